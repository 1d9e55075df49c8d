"""What an indicator is computed over: a period of local calendar days and the dimensions it is narrowed to.

A dimension left empty is not restricted. A member's scope narrows the filters (``restrict_to_scope``);
when the narrowing leaves nothing, the dimension holds ``NOTHING``, an id no row has, so the filters
select no rows rather than every row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from dataclasses import replace as dataclass_replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext as _

from momentos.cycle.choices import Period

if TYPE_CHECKING:
    from django.http import QueryDict

    from momentos.core.models import Scope

NOTHING = uuid.UUID(int=0)
"""An id no row has: a dimension restricted to it selects nothing."""

CUSTOM = "custom"
PERIODS = (*Period.values, CUSTOM)

# Query parameter -> Filters field, in the order links show them.
DIMENSIONS = {
    "branch": "branch_ids",
    "channel": "channel_ids",
    "team": "team_ids",
    "agent": "agent_ids",
    "segment": "segment_ids",
    "moment": "moment_ids",
}


@dataclass(frozen=True)
class Filters:
    """A period (inclusive local dates) and the ids each dimension is restricted to (empty: all)."""

    start: date
    end: date
    branch_ids: tuple[uuid.UUID, ...] = ()
    channel_ids: tuple[uuid.UUID, ...] = ()
    team_ids: tuple[uuid.UUID, ...] = ()
    agent_ids: tuple[uuid.UUID, ...] = ()
    segment_ids: tuple[uuid.UUID, ...] = ()
    moment_ids: tuple[uuid.UUID, ...] = ()

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period must not end before it starts")
        for name in DIMENSIONS.values():
            value = getattr(self, name)
            # Normalised (deduplicated, sorted) so that equal filters compare and hash equal.
            object.__setattr__(self, name, tuple(sorted({_as_uuid(v) for v in value}, key=str)))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The same filters over the period of the same length that ends the day before this one starts."""
        length = timedelta(days=self.days)
        return dataclass_replace(self, start=self.start - length, end=self.start - timedelta(days=1))

    def replace(self, **kw: Any) -> Filters:
        return dataclass_replace(self, **kw)

    def as_query(self) -> dict[str, str | list[str]]:
        """Query parameters that ``filters_from_query`` reads back into these filters (for links)."""
        query: dict[str, str | list[str]] = {
            "period": CUSTOM,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }
        for param, name in DIMENSIONS.items():
            ids = getattr(self, name)
            if ids:
                query[param] = [str(i) for i in ids]
        return query

    @property
    def is_empty_selection(self) -> bool:
        """Whether a dimension is restricted to nothing at all (so no row can match)."""
        return any(getattr(self, name) == (NOTHING,) for name in DIMENSIONS.values())


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def period_bounds(period: str, today: date) -> tuple[date, date]:
    """The current ``period`` (week from Monday, month, quarter, year) up to and including ``today``."""
    if period == Period.WEEK:
        return today - timedelta(days=today.weekday()), today
    if period == Period.MONTH:
        return today.replace(day=1), today
    if period == Period.QUARTER:
        return date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today
    if period == Period.YEAR:
        return date(today.year, 1, 1), today
    raise ValueError(f"unknown period {period!r}")


def organization_today(organization: Any) -> date:
    """Today's date in the organisation's time zone."""
    try:
        zone = ZoneInfo(getattr(organization, "time_zone", "") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _visible_ids(
    param: str, ids: Iterable[uuid.UUID], *, organization: Any, scope: Scope | None
) -> set[uuid.UUID]:
    """Those of ``ids`` that exist in the organisation and, for branches, teams and agents, in the scope."""
    from momentos.accounts.models import Branch, Channel, Membership, Team
    from momentos.cycle.models import Moment, Segment

    wanted = list(ids)
    if not wanted:
        return set()
    qs: Any
    column = "pk"
    if param == "branch":
        qs = (
            Branch.objects.visible_to(scope)
            if scope is not None
            else Branch.objects.for_organization(organization)
        )
    elif param == "team":
        qs = (
            Team.objects.visible_to(scope)
            if scope is not None
            else Team.objects.for_organization(organization)
        )
    elif param == "agent":
        qs = (
            Membership.objects.visible_to(scope)
            if scope is not None
            else Membership.objects.for_organization(organization)
        )
        column = "user_id"
    elif param == "channel":
        qs = Channel.objects.for_organization(organization)
    elif param == "segment":
        qs = Segment.objects.for_organization(organization)
    else:
        qs = Moment.objects.for_organization(organization)
    return set(qs.filter(**{f"{column}__in": wanted}).values_list(column, flat=True))


def filters_from_query(
    query: QueryDict, *, organization: Any, scope: Scope | None = None, today: date | None = None
) -> tuple[Filters, dict[str, str]]:
    """Filters read from a page's or the API's query string, and a message per parameter that was wrong.

    ``period`` is week, month, quarter, year or custom (``start`` and ``end``, ISO dates; given alone
    they mean custom); the default is the current month to date in the organisation's time zone.
    Dimensions are repeatable (``?branch=..&branch=..``). An id that is malformed, of another
    organisation or outside the member's scope is reported and left out; nothing here raises.
    """
    errors: dict[str, str] = {}
    today = today or organization_today(organization)
    period = (query.get("period") or "").strip()
    has_dates = bool((query.get("start") or "").strip() or (query.get("end") or "").strip())
    if not period:
        period = CUSTOM if has_dates else Period.MONTH
    start, end = period_bounds(Period.MONTH, today)
    if period == CUSTOM:
        raw_start = (query.get("start") or "").strip()
        raw_end = (query.get("end") or "").strip()
        parsed_start = _parse_date(raw_start) if raw_start else None
        parsed_end = _parse_date(raw_end) if raw_end else today
        if raw_start and parsed_start is None:
            errors["start"] = _("Enter a valid start date (YYYY-MM-DD).")
        elif not raw_start:
            errors["start"] = _("Enter a start date.")
        if parsed_end is None:
            errors["end"] = _("Enter a valid end date (YYYY-MM-DD).")
        if parsed_start is not None and parsed_end is not None:
            if parsed_end < parsed_start:
                errors["end"] = _("The end date must not be before the start date.")
            else:
                start, end = parsed_start, parsed_end
    elif period in Period.values:
        start, end = period_bounds(period, today)
    else:
        errors["period"] = _("Choose a period: week, month, quarter, year or custom.")

    chosen: dict[str, tuple[uuid.UUID, ...]] = {}
    for param, name in DIMENSIONS.items():
        values = [v for v in query.getlist(param) if v.strip()] if hasattr(query, "getlist") else []
        parsed: list[uuid.UUID] = []
        bad = False
        for value in values:
            try:
                parsed.append(uuid.UUID(value.strip()))
            except ValueError:
                bad = True
        visible = _visible_ids(param, parsed, organization=organization, scope=scope)
        if bad or len(visible) < len(set(parsed)):
            errors[param] = _("Unknown %(dimension)s.") % {"dimension": _dimension_label(param)}
        chosen[name] = tuple(v for v in parsed if v in visible)

    filters = Filters(start=start, end=end, **chosen)
    if scope is not None:
        filters = restrict_to_scope(filters, scope)
    return filters, errors


def _dimension_label(param: str) -> str:
    labels = {
        "branch": _("branch"),
        "channel": _("channel"),
        "team": _("team"),
        "agent": _("agent"),
        "segment": _("customer segment"),
        "moment": _("moment of truth"),
    }
    return labels[param]


def _narrow(requested: tuple[uuid.UUID, ...], allowed: Iterable[Any]) -> tuple[uuid.UUID, ...]:
    allowed_set = {_as_uuid(a) for a in allowed}
    kept = tuple(r for r in requested if r in allowed_set) if requested else tuple(allowed_set)
    return kept or (NOTHING,)


def restrict_to_scope(filters: Filters, scope: Scope) -> Filters:
    """The filters narrowed to what the member may see.

    The whole organisation for admins and quality managers; an agent's own interactions and answers;
    a supervisor's branches (which include the branches of their teams), or their teams when they have
    no branch. A member with nothing in scope gets filters that select nothing.
    """
    if scope.sees_whole_organization:
        return filters
    if scope.is_agent:
        return filters.replace(agent_ids=_narrow(filters.agent_ids, [scope.user_id]))
    if scope.branch_ids:
        return filters.replace(branch_ids=_narrow(filters.branch_ids, scope.branch_ids))
    if scope.team_ids:
        return filters.replace(team_ids=_narrow(filters.team_ids, scope.team_ids))
    return filters.replace(branch_ids=(NOTHING,))


def filter_fields() -> tuple[str, ...]:
    """The names of the dimension fields of Filters."""
    return tuple(f.name for f in fields(Filters) if f.name.endswith("_ids"))
