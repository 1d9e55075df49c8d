"""Drill-down links: from a number to the interactions or survey responses behind it, with the same filters."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import NoReverseMatch, reverse

from momentos.accounts.models import Channel
from momentos.accounts.permissions import Capability
from momentos.cycle.choices import Indicator
from momentos.insight.filters import NOTHING, Filters

SURVEY_INDICATORS = frozenset({Indicator.CSAT, Indicator.NPS, Indicator.CES})
# What the interactions behind an interaction indicator are (the list's outcome filter).
INTERACTION_OUTCOME: dict[str, str] = {
    Indicator.RESOLUTION_RATE: "closed",
    Indicator.FIRST_CONTACT_RESOLUTION: "resolved",
    Indicator.ATTENTION_TIME: "closed",
    Indicator.FIRST_RESPONSE_TIME: "",
    Indicator.STANDARD_COMPLIANCE: "",
    Indicator.CHECKLIST_COMPLIANCE: "",
}
# Filters field -> the interaction list's parameter.
INTERACTION_PARAMS = {
    "branch_ids": "branch",
    "team_ids": "team",
    "agent_ids": "agent",
    "segment_ids": "segment",
    "moment_ids": "moment",
}


def _ids(filters: Filters, name: str) -> list[str]:
    return [str(value) for value in getattr(filters, name) if value != NOTHING]


def interactions_url(
    filters: Filters, *, outcome: str = "", channel_kinds: dict[Any, str] | None = None
) -> str:
    """The interaction list narrowed like ``filters`` (a dimension with several values is left to the scope)."""
    params = QueryDict(mutable=True)
    params["started_from"] = filters.start.isoformat()
    params["started_to"] = filters.end.isoformat()
    for name, param in INTERACTION_PARAMS.items():
        ids = _ids(filters, name)
        if len(ids) == 1:
            params[param] = ids[0]
    channels = _ids(filters, "channel_ids")
    if len(channels) == 1:
        kinds = channel_kinds
        if kinds is None:
            kinds = {
                str(pk): kind for pk, kind in Channel.objects.filter(pk=channels[0]).values_list("pk", "kind")
            }
        kind = kinds.get(channels[0]) or kinds.get(filters.channel_ids[0])
        if kind:
            params["channel"] = kind
    if outcome:
        params["outcome"] = outcome
    return reverse("attention:interaction_list") + "?" + params.urlencode()


def responses_url(filters: Filters, *, kind: str = "") -> str:
    """The survey responses behind a survey indicator, when the responses list exists."""
    try:
        base = reverse("insight:responses")
    except NoReverseMatch:
        return ""
    query = {key: value for key, value in filters.as_query().items()}
    params = QueryDict(mutable=True)
    for key, value in query.items():
        if isinstance(value, list):
            kept = [v for v in value if v != str(NOTHING)]
            if kept:
                params.setlist(key, kept)
        else:
            params[key] = value
    if kind:
        params["kind"] = kind
    return base + "?" + params.urlencode()


def indicator_url(indicator: str, filters: Filters, membership: Any) -> str:
    """Where a number of ``indicator`` over ``filters`` drills down to ("" when the member cannot follow)."""
    if indicator in SURVEY_INDICATORS:
        return responses_url(filters, kind=indicator)
    if indicator in INTERACTION_OUTCOME and membership.can(Capability.ATTEND):
        return interactions_url(filters, outcome=INTERACTION_OUTCOME[indicator])
    return ""
