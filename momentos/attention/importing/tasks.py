"""Background work of imports: one task runs one import job (immediately in the embedded default)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_run(*, job_id: str) -> None:
    from momentos.attention.importing.services import import_job_execute

    import_job_execute(job_id=job_id)
