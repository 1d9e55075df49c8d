"""The studio's "moment of truth" filter: documents that are a moment's procedure or back its checklist."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _

from momentos.cycle.models import ChecklistItem, Moment
from momentos.protocols.hooks import DocumentFacet


def moment_choices(scope: Any) -> list[tuple[str, str]]:
    moments = (
        Moment.objects.for_organization(scope.organization_id)
        .select_related("cycle")
        .order_by("cycle__channel__kind", "position")
    )
    return [(str(m.pk), f"{m.cycle.name} · {m.position}. {m.name}") for m in moments]


def documents_for_moment(scope: Any, value: str) -> Any:
    try:
        moment_id = uuid.UUID(value)
    except ValueError:
        return []
    procedures = Moment.objects.for_organization(scope.organization_id).filter(
        pk=moment_id, procedure__isnull=False
    )
    checklist = ChecklistItem.objects.for_organization(scope.organization_id).filter(
        moment_id=moment_id, protocol__isnull=False
    )
    ids = set(procedures.values_list("procedure_id", flat=True)) | set(
        checklist.values_list("protocol_id", flat=True)
    )
    return list(ids)


MOMENT_FACET = DocumentFacet(
    name="moment",
    label=_("Moment of truth"),
    any_label=_("Any moment"),
    choices=moment_choices,
    document_ids=documents_for_moment,
)
