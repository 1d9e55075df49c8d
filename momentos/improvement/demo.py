"""Demo improvement actions: an open one, an overdue one, a proposal, and one closed by a published version."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from momentos.demo import register_demo_step


def improvement_demo_step(context: dict[str, Any]) -> None:
    from momentos.cycle.models import Moment, Objective
    from momentos.improvement.choices import ActionSource, ActionStatus, EventKind
    from momentos.improvement.models import ActionEvent, ImprovementAction
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
        action = ImprovementAction.objects.create(organization=org, **fields)
        raised = EventKind.PROPOSED if action.status == ActionStatus.PROPOSED else EventKind.RAISED
        first = ActionStatus.PROPOSED if raised == EventKind.PROPOSED else ActionStatus.OPEN
        ActionEvent.objects.create(
            organization=org, action=action, kind=raised, status=first, actor=fields.get("created_by")
        )
        if action.status != first:
            ActionEvent.objects.create(
                organization=org,
                action=action,
                kind=EventKind.STATUS,
                status=action.status,
                actor=action.owner,
            )
        return action

    with transaction.atomic():
        objectives = {o.indicator: o for o in Objective.objects.for_organization(org)}
        moments = list(
            Moment.objects.for_organization(org).select_related("cycle").order_by("cycle__name", "position")
        )
        open_follow_ups = (
            FollowUp.objects.for_organization(org)
            .filter(status=FollowUpStatus.OPEN)
            .select_related("alert__branch")
            .order_by("due_date")
        )
        follow_up = (
            open_follow_ups.filter(alert__branch=branches["CDMX-01"]).first() or open_follow_ups.first()
        )
        moment = moments[1] if len(moments) > 1 else (moments[0] if moments else None)
        csat = objectives.get("csat")
        first_response = objectives.get("first_response_time") or csat

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
            source=ActionSource.OBJECTIVE if csat else ActionSource.MANUAL,
            objective=csat,
            branch=branches["CDMX-01"],
            owner=quality,
            due_date=today + timedelta(days=14),
            status=ActionStatus.OPEN,
        )
        version = _closing_version(org, quality)
        if version is not None:
            make(
                title="Comprometer un tiempo de primera respuesta en los canales a distancia",
                description="El protocolo fija ahora responder en menos de dos horas hábiles y confirmar "
                "el siguiente paso al cliente.",
                source=ActionSource.OBJECTIVE if first_response else ActionSource.MANUAL,
                objective=first_response,
                owner=quality,
                due_date=today + timedelta(days=2),
                status=ActionStatus.DONE,
                closing_version=version,
                closed_at=version.published_at,
            )
        if follow_up is not None:
            make(
                title=f"Llamar al cliente detractor de {follow_up.alert.branch.name}",
                description="Propuesta automática: el seguimiento del detractor venció sin llamada.",
                source=ActionSource.DETRACTOR,
                follow_up=follow_up,
                branch=follow_up.alert.branch,
                status=ActionStatus.PROPOSED,
                created_by=None,
            )


def _closing_version(org: Any, user: Any) -> Any:
    """A second version of the remote first-contact protocol, published with its change note."""
    from momentos.accounts.models import Membership
    from momentos.core.errors import DomainError
    from momentos.improvement.services import published_versions
    from momentos.protocols import services as protocols
    from momentos.protocols.models import Document

    actor = Membership.objects.for_organization(org).get(user=user)
    protocols_in_force = Document.objects.for_organization(org).filter(
        kind="protocol", current_version__isnull=False
    )
    document = (
        protocols_in_force.filter(current_version__title__icontains="primer contacto").first()
        or protocols_in_force.order_by("current_version__title").first()
    )
    if document is None:
        return published_versions(org).first()
    try:
        draft = protocols.version_new_draft(document=document, actor=actor)
        return protocols.version_publish(
            version=draft,
            actor=actor,
            change_note="Compromiso de primera respuesta en menos de dos horas hábiles (acción de mejora).",
        )
    except DomainError:
        return document.current_version


# After the survey responses (order 50), so the follow-ups to link exist.
register_demo_step(improvement_demo_step, order=60)
