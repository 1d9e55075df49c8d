"""What the cycle adds to the studio: the moment-of-truth filter and the standards a protocol must carry."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _

from momentos.cycle.models import ChecklistItem, Moment, ServiceStandard
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


def standards_without_threshold(version: Any) -> list[str]:
    """A protocol cannot be published while a moment it governs has a standard with no threshold."""
    standards = (
        ServiceStandard.objects.for_organization(version.organization_id)
        .filter(moment__procedure_id=version.document_id, threshold__isnull=True)
        .select_related("moment")
        .order_by("moment__position", "name")
    )
    return [
        _("The standard “%(standard)s” of the moment “%(moment)s” has no threshold.")
        % {"standard": s.name, "moment": s.moment.name}
        for s in standards
    ]
