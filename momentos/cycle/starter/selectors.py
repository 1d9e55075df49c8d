"""Reads of the starter kit: what it would create for an organisation, and what stands in its way."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from momentos.accounts.choices import Language
from momentos.accounts.models import Channel, Organization
from momentos.cycle.models import Objective, Segment, ServiceCycle
from momentos.cycle.starter.content import KITS, REMOTE_CHANNELS, WALK_IN_CHANNEL
from momentos.protocols.models import Document


def starter_channels(*, organization: Organization) -> list[Channel]:
    """The channels in use that get a cycle: in person first, then the remote ones in a fixed order."""
    order = (WALK_IN_CHANNEL, *REMOTE_CHANNELS)
    channels = Channel.objects.for_organization(organization).filter(is_active=True, kind__in=order)
    return sorted(channels, key=lambda channel: order.index(channel.kind))


def starter_blockers(*, organization: Organization) -> list[str]:
    """Why the kit cannot be applied: the parts of the design the organisation already has (empty: none).

    The kit fills an empty design only, so it never duplicates or overwrites someone's work.
    """
    cycles = ServiceCycle.objects.for_organization(organization).count()
    documents = Document.objects.for_organization(organization).filter(is_archived=False).count()
    objectives = Objective.objects.for_organization(organization).count()
    segments = Segment.objects.for_organization(organization).count()
    found = [
        (cycles, ngettext("%(count)s service cycle", "%(count)s service cycles", cycles)),
        (documents, ngettext("%(count)s document", "%(count)s documents", documents)),
        (objectives, ngettext("%(count)s objective", "%(count)s objectives", objectives)),
        (segments, ngettext("%(count)s customer segment", "%(count)s customer segments", segments)),
    ]
    return [text % {"count": count} for count, text in found if count]


def _cycle_counts(template: dict[str, Any], kind: str) -> dict[str, int]:
    moments = template["moments"]
    return {
        "moments": len(moments),
        "standards": sum(
            len(m["standards"]) + len(m.get("channel_standards", {}).get(kind, [])) for m in moments
        ),
        "checklist_items": sum(len(m["checklist"]) for m in moments),
    }


def starter_plan(*, organization: Organization, language: str) -> dict[str, Any]:
    """What applying the kit in ``language`` creates for this organisation's channels in use."""
    kit = KITS[language]
    channels = starter_channels(organization=organization)
    totals = {"moments": 0, "standards": 0, "checklist_items": 0}
    for channel in channels:
        template = kit["cycles"]["walk_in" if channel.kind == WALK_IN_CHANNEL else "remote"]
        for key, value in _cycle_counts(template, channel.kind).items():
            totals[key] += value
    segments = kit["segments"]
    return {
        "language": language,
        "language_name": str(Language(language).label),
        # In the reader's language: what the kit calls each channel shows up later, in the cycle names.
        "channels": [str(c) for c in channels],
        "objectives": len(kit["objectives"]),
        "segments": len(segments),
        "expectations": sum(len(s["expectations"]) for s in segments),
        "evidence": sum(len(s["expectations"]) for s in segments),
        "cycles": len(channels),
        **totals,
        "protocols": len(kit["protocols"]),
        "manuals": 1,
        "guides": 1,
        "protocol_titles": [p["title"] for p in kit["protocols"]],
        "manual_title": kit["manual"]["title"],
        "guide_title": kit["guide"]["title"],
    }
