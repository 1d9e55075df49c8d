"""Pages of the import of interactions: upload a file, map its columns with a preview, dry run, import.

The upload view is exempt from the CSRF middleware and protected inside instead: the middleware reads
the request body, and a file over the size limit must be refused before a byte of it is read.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.models import Organization
from momentos.accounts.permissions import Capability
from momentos.attention.choices import ImportFormat
from momentos.attention.importing import services
from momentos.attention.importing.forms import MappingForm, UploadForm
from momentos.attention.importing.mapping import ColumnMap
from momentos.attention.importing.readers import ImportFileError, cell_text, human_size
from momentos.attention.models import ColumnMapping, ImportJob
from momentos.core.access import object_get_for_organization

PREVIEW_ROWS = 10
# Room for the multipart envelope and the other fields around the file.
MULTIPART_SLACK = 64 * 1024


class _SizeLimitHandler(FileUploadHandler):
    """Stops an upload without a Content-Length as soon as it passes the limit."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _too_large(request: HttpRequest, size: int | None = None) -> HttpResponse:
    limit = settings.IMPORT_MAX_BYTES
    if size:
        message = _(
            "The file is %(size)s; files up to %(max)s can be imported. Split it into smaller files."
        ) % {
            "size": human_size(size),
            "max": human_size(limit),
        }
    else:
        message = _(
            "The file is larger than %(max)s, the most that can be imported. Split it into smaller files."
        ) % {"max": human_size(limit)}
    return render(request, "attention/import/too_large.html", {"message": message}, status=413)


def _organization(request: MemberRequest) -> Organization:
    return request.membership.organization


@csrf_exempt
@member_required(Capability.IMPORT_INTERACTIONS)
def import_list(request: MemberRequest) -> HttpResponse:
    if request.method == "POST":
        limit = settings.IMPORT_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + MULTIPART_SLACK:
            return _too_large(request, max(length - MULTIPART_SLACK, 0))
        handler = _SizeLimitHandler(request, limit)
        request.upload_handlers.insert(0, handler)  # type: ignore[union-attr]  # still a list here
        return _import_upload(request, handler)
    return _import_list_page(request, UploadForm(organization=_organization(request)))


@csrf_protect
def _import_upload(request: MemberRequest, handler: _SizeLimitHandler) -> HttpResponse:
    organization = _organization(request)
    form = UploadForm(request.POST, request.FILES, organization=organization)
    if handler.exceeded:
        return _too_large(request)
    if not form.is_valid():
        return _import_list_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size and upload.size > settings.IMPORT_MAX_BYTES:
        return _too_large(request, upload.size)
    try:
        job = services.import_job_create(
            organization=organization,
            user=request.user,
            upload=upload,
        )
    except ImportFileError as exc:
        form.add_error("file", str(exc.message))
        return _import_list_page(request, form, status=400)
    start = form.cleaned_data.get("start_from") or ""
    column_map = None
    if start.startswith("preset:"):
        column_map = ColumnMap.preset(start.removeprefix("preset:"))
    elif start.startswith("saved:"):
        saved = (
            ColumnMapping.objects.for_organization(organization)
            .filter(pk=start.removeprefix("saved:"))
            .first()
        )
        if saved is not None:
            column_map = services.column_map_named(organization=organization, name=saved.name)
    if column_map is None:
        column_map = ColumnMap.by_field_name(services.job_table(job).header())
    job.mapping = {**column_map.to_dict(), "file": {}}
    job.save(update_fields=["mapping", "updated_at"])
    return redirect("attention:importjob_detail", pk=job.pk)


def _import_list_page(request: MemberRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    jobs = ImportJob.objects.for_organization(_organization(request)).select_related("created_by")[:20]
    return render(
        request,
        "attention/import/import_list.html",
        {"form": form, "jobs": jobs, "max_size": human_size(settings.IMPORT_MAX_BYTES)},
        status=status,
    )


def _preview(job: ImportJob) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    table = services.job_table(job)
    header = table.header()
    rows = [(line, [cell_text(c) for c in cells]) for line, cells in islice(table.records(), PREVIEW_ROWS)]
    return header, rows, table.warnings


@member_required(Capability.IMPORT_INTERACTIONS)
def importjob_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    organization = _organization(request)
    job = object_get_for_organization(ImportJob, organization=organization, pk=pk)
    context: dict[str, Any] = {"job": job}
    can_run = bool(job.stored_name) and not job.is_active
    if can_run:
        try:
            header, rows, warnings = _preview(job)
        except ImportFileError as exc:
            context["file_error"] = exc.message
            return render(request, "attention/import/importjob_detail.html", context, status=400)
        file_options = job.mapping.get("file") or {}
        form = MappingForm(
            request.POST or None,
            header=header,
            organization=organization,
            column_map=ColumnMap.from_dict(job.mapping),
            file_options=file_options,
            is_csv=job.file_format == ImportFormat.CSV,
        )
        if request.method == "POST" and form.is_valid():
            if form.file_options() != {k: file_options.get(k, "") for k in ("delimiter", "encoding")}:
                # The columns depend on how the file is read: show them again before running anything.
                job.mapping = {**job.mapping, "file": form.file_options()}
                job.save(update_fields=["mapping", "updated_at"])
                messages.info(request, _("The file is read again with the delimiter and encoding you chose."))
                return redirect("attention:importjob_detail", pk=job.pk)
            column_map = form.column_map()
            if form.cleaned_data.get("save_as"):
                services.column_mapping_save(
                    organization=organization, name=form.cleaned_data["save_as"], column_map=column_map
                )
            services.import_job_start(
                job=job,
                column_map=column_map,
                dry_run=request.POST.get("action") != "import",
                all_or_nothing=form.cleaned_data["all_or_nothing"],
            )
            return redirect("attention:importjob_detail", pk=job.pk)
        context.update({"form": form, "header": header, "rows": rows, "preview_warnings": warnings})
        status = 400 if form.is_bound else 200
        return render(request, "attention/import/importjob_detail.html", context, status=status)
    if request.method == "POST":
        messages.error(request, _("This import cannot be run again; upload the file again."))
        return redirect("attention:importjob_detail", pk=job.pk)
    return render(request, "attention/import/importjob_detail.html", context)


@member_required(Capability.IMPORT_INTERACTIONS)
def importjob_progress(request: MemberRequest, pk: Any) -> HttpResponse:
    job = object_get_for_organization(ImportJob, organization=_organization(request), pk=pk)
    response = render(request, "attention/import/partials/progress.html", {"job": job})
    if not job.is_active and request.headers.get("HX-Request"):
        # Finished: reload the page so it shows the result and what can be done next.
        response["HX-Refresh"] = "true"
    return response
