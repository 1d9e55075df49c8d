"""Demo improvement actions: an open one, an overdue one, a proposal, and one closed by a published version."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from momentos.demo import register_demo_step


def improvement_demo_step(context: dict[str, Any]) -> None:
    from momentos.cycle.models import Moment, Objective
    from momentos.improvement.choices import ActionSource, ActionStatus
    from momentos.improvement.models import ImprovementAction
    from momentos.improvement.services import published_versions
    from momentos.surveys.choices import FollowUpStatus
    from momentos.surveys.models import FollowUp

    org = context["organization"]
    users = context["users"]
    branches = context["branches"]
    quality = users["calidad@demo.momentos.app"]
    supervisor = users["supervisora.centro@demo.momentos.app"]
    now = timezone.now()
    today = timezone.localdate()

    def make(**fields: Any) -> ImprovementAction:
        fields.setdefault("created_by", quality)
        if fields.get("status") in {ActionStatus.DONE, ActionStatus.DISMISSED}:
            fields.setdefault("closed_at", now - timedelta(days=3))
        return ImprovementAction.objects.create(organization=org, **fields)

    with transaction.atomic():
        objectives = list(Objective.objects.for_organization(org).order_by("indicator", "title"))
        moments = list(
            Moment.objects.for_organization(org).select_related("cycle").order_by("cycle__name", "position")
        )
        versions = list(published_versions(org).order_by("published_at"))
        follow_up = (
            FollowUp.objects.for_organization(org)
            .filter(status=FollowUpStatus.OPEN, alert__branch=branches["CDMX-01"])
            .select_related("alert")
            .order_by("due_date")
            .first()
        )
        objective = objectives[0] if objectives else None
        moment = moments[1] if len(moments) > 1 else (moments[0] if moments else None)

        make(
            title="Reforzar el saludo y la identificación del cliente en ventanilla",
            description="Taller de 30 minutos con el equipo de ventanilla y escucha de 10 atenciones por agente.",
            source=ActionSource.MOMENT if moment else ActionSource.MANUAL,
            moment=moment,
            branch=branches["CDMX-01"],
            owner=supervisor,
            due_date=today - timedelta(days=6),
            status=ActionStatus.IN_PROGRESS,
        )
        make(
            title="Recuperar la satisfacción en Sucursal Centro",
            description="Revisar los comentarios de los clientes insatisfechos del último mes y ajustar el protocolo.",
            source=ActionSource.OBJECTIVE if objective else ActionSource.MANUAL,
            objective=objective,
            branch=branches["CDMX-01"],
            owner=quality,
            due_date=today + timedelta(days=14),
            status=ActionStatus.OPEN,
        )
        if versions:
            version = versions[-1]
            make(
                title="Acordar un tiempo de respuesta en el protocolo de atención telefónica",
                description="El protocolo fija ahora un compromiso de respuesta y una frase de cierre.",
                source=ActionSource.OBJECTIVE if objective else ActionSource.MANUAL,
                objective=objective,
                owner=quality,
                due_date=timezone.localdate(version.published_at) + timedelta(days=2),
                status=ActionStatus.DONE,
                closing_version=version,
                closed_at=version.published_at,
            )
        if follow_up is not None:
            make(
                title="Llamar al cliente detractor de Sucursal Centro",
                description="Propuesta automática: el seguimiento del detractor venció sin llamada.",
                source=ActionSource.DETRACTOR,
                follow_up=follow_up,
                branch=branches["CDMX-01"],
                status=ActionStatus.PROPOSED,
                created_by=None,
            )


# After the survey responses (order 50), so the follow-ups to link exist.
register_demo_step(improvement_demo_step, order=60)
