"""The period report: every figure of a period and scope gathered once, for the page, the PDF and the e-mail.

`report_build` reads through the engine only (no query of its own on interactions or responses), so the
report shows exactly the numbers of the insight pages. The result is plain data with the figures
already formatted in the active language, so the HTML template, the PDF and the e-mail stay dumb.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from momentos.accounts.models import Branch, Channel, Organization, Team, User
from momentos.cycle.choices import TIME_INDICATORS, Comparison, Indicator
from momentos.cycle.models import Objective, ServiceCycle
from momentos.insight import engine, tables
from momentos.insight.filters import Filters
from momentos.insight.tables import format_duration

# The figures of the "key indicators" table, in this order (training coverage has no data source yet).
KEY_INDICATORS: tuple[str, ...] = (
    Indicator.CSAT,
    Indicator.NPS,
    Indicator.CES,
    Indicator.RESOLUTION_RATE,
    Indicator.FIRST_CONTACT_RESOLUTION,
    Indicator.ATTENTION_TIME,
    Indicator.FIRST_RESPONSE_TIME,
    Indicator.STANDARD_COMPLIANCE,
    Indicator.CHECKLIST_COMPLIANCE,
)
TREND_INDICATORS: tuple[str, ...] = (
    Indicator.CSAT,
    Indicator.NPS,
    Indicator.RESOLUTION_RATE,
    Indicator.FIRST_RESPONSE_TIME,
)
LEAGUE_INDICATORS: tuple[str, ...] = (
    Indicator.CSAT,
    Indicator.NPS,
    Indicator.RESOLUTION_RATE,
    Indicator.FIRST_RESPONSE_TIME,
)
ACTIONS_LIMIT = 20
# For these a smaller number is better.
LOWER_IS_BETTER = frozenset(TIME_INDICATORS)


def indicator_label(indicator: str) -> str:
    return str(Indicator(indicator).label) if indicator in Indicator.values else indicator


def status_label(status: str) -> str:
    return {
        "on_target": _("On target"),
        "at_risk": _("At risk"),
        "off_target": _("Off target"),
        "no_data": _("No data"),
        "not_enough": _("Not enough answers"),
    }.get(status, status)


def _number(value: Decimal | float, places: int) -> str:
    return formats.number_format(Decimal(str(value)).quantize(Decimal(1).scaleb(-places)), places)


def format_number(indicator: str, value: Decimal | float | None) -> str:
    """One indicator's value in the active language, as the insight pages show it; "—" for no data."""
    if value is None:
        return tables.NO_DATA
    if indicator in TIME_INDICATORS:
        return format_duration(value)
    if indicator == Indicator.NPS:
        text = tables.format_value(value, tables.SCORE)
        return f"+{text}" if value > 0 else text
    if indicator == Indicator.CES:
        return tables.format_value(value, tables.SCORE)
    return tables.format_value(value, tables.PERCENT)


def format_change(indicator: str, now: Decimal | None, before: Decimal | None) -> tuple[str, str]:
    """The change from the previous period as text, and whether it is "better", "worse" or ""."""
    if now is None or before is None:
        return "", ""
    # Rounded as shown, so a change too small to see reads "=" rather than "+0.0".
    delta = (Decimal(now) - Decimal(before)).quantize(
        Decimal(1) if indicator in TIME_INDICATORS else Decimal("0.1")
    )
    if delta == 0:
        return "=", ""
    better = (delta < 0) if indicator in LOWER_IS_BETTER else (delta > 0)
    sign = "+" if delta > 0 else "−"
    if indicator in TIME_INDICATORS:
        text = sign + format_duration(abs(delta))
    elif indicator == Indicator.CES:
        text = sign + _number(abs(delta), 1)
    elif indicator == Indicator.NPS:
        text = sign + _number(abs(delta), 1)
    else:
        text = _("%(sign)s%(n)s pts") % {"sign": sign, "n": _number(abs(delta), 1)}
    return text, "better" if better else "worse"


def format_target(objective: Objective) -> str:
    symbol = Comparison(objective.comparison).label
    target = Decimal(objective.target)
    if objective.indicator in TIME_INDICATORS:
        return f"{symbol} {_number(target, 0 if target == target.to_integral() else 1)} min"
    if objective.indicator in (Indicator.NPS, Indicator.CES):
        return f"{symbol} {_number(target, 0 if target == target.to_integral() else 1)}"
    return f"{symbol} {_number(target, 0 if target == target.to_integral() else 1)} %"


@dataclass
class Figure:
    """One indicator over the period, beside the previous period of the same length."""

    indicator: str
    label: str
    value: engine.Value
    previous: engine.Value
    text: str
    previous_text: str
    change: str
    trend: str  # "better" | "worse" | ""

    @property
    def n(self) -> int:
        return self.value.denominator

    @property
    def has_data(self) -> bool:
        return self.value.value is not None


@dataclass
class ObjectiveRow:
    title: str
    figure: Figure
    target: str
    status: str
    status_label: str
    scope: str  # the objective's own branch and channel; empty for the whole organisation


@dataclass
class MomentRow:
    position: int
    name: str
    score: Decimal | None
    score_text: str
    rating: str
    standards: str
    checklist: str
    worst: bool = False


@dataclass
class CycleBlock:
    name: str
    channel: str
    moments: list[MomentRow]
    worst: MomentRow | None


@dataclass
class Trend:
    indicator: str
    label: str
    unit: str
    points: list[tuple[date, float | None]]

    @property
    def has_data(self) -> bool:
        return any(v is not None for _d, v in self.points)


@dataclass
class LeagueRow:
    rank: int
    name: str
    branch_id: Any
    cells: list[str]
    scores: dict[str, float | None]
    interactions: int
    columns: list[str] = field(default_factory=list)
    small: bool = False  # its CSAT rests on fewer answers than the minimum sample

    @property
    def labelled_cells(self) -> list[tuple[str, str]]:
        return list(zip(self.columns, self.cells, strict=True))


@dataclass
class ActionRow:
    title: str
    owner: str
    due: str
    days_late: int


@dataclass
class Report:
    organization: str
    start: date
    end: date
    period: str
    scope: list[str]
    generated: str
    filters: Filters
    objectives: list[ObjectiveRow] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    cycles: list[CycleBlock] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)
    league_columns: list[str] = field(default_factory=list)
    league: list[LeagueRow] = field(default_factory=list)
    actions: list[ActionRow] | None = None  # None: the improvement app offers no overdue list
    minimum_sample: int = 0

    @property
    def league_small(self) -> bool:
        """Whether a figure of the league rests on fewer answers than the minimum sample (marked "*")."""
        return any(cell.endswith(" *") for row in self.league for cell in row.cells)

    @property
    def has_data(self) -> bool:
        return any(f.value.denominator for f in self.figures)

    def figure(self, indicator: str) -> Figure | None:
        return next((f for f in self.figures if f.indicator == indicator), None)


def period_text(start: date, end: date) -> str:
    if start == end:
        return formats.date_format(start, "DATE_FORMAT")
    return _("%(start)s to %(end)s") % {
        "start": formats.date_format(start, "DATE_FORMAT"),
        "end": formats.date_format(end, "DATE_FORMAT"),
    }


def scope_lines(organization: Organization, filters: Filters) -> list[str]:
    """The scope of the report in words, one line per restriction; the whole organisation when none."""
    org_id = organization.pk
    parts: list[tuple[str, Sequence[Any], Callable[[Sequence[Any]], list[str]]]] = [
        (
            _("Branches"),
            filters.branch_ids,
            lambda ids: [b.name for b in Branch.objects.for_organization(org_id).filter(pk__in=ids)],
        ),
        (
            _("Channels"),
            filters.channel_ids,
            lambda ids: [str(c) for c in Channel.objects.for_organization(org_id).filter(pk__in=ids)],
        ),
        (
            _("Teams"),
            filters.team_ids,
            lambda ids: [t.name for t in Team.objects.for_organization(org_id).filter(pk__in=ids)],
        ),
        (
            _("Agents"),
            filters.agent_ids,
            lambda ids: [
                str(u) for u in User.objects.filter(pk__in=ids, memberships__organization_id=org_id)
            ],
        ),
    ]
    optional: list[tuple[str, Sequence[Any], str]] = [
        (_("Segments"), filters.segment_ids, "momentos.cycle.models.Segment"),
        (_("Moments"), filters.moment_ids, "momentos.cycle.models.Moment"),
    ]
    lines = [f"{label}: {', '.join(sorted(names(ids)))}" for label, ids, names in parts if ids]
    for label, ids, path in optional:
        if ids:
            module, _dot, name = path.rpartition(".")
            model = getattr(importlib.import_module(module), name)
            lines.append(
                f"{label}: {', '.join(sorted(str(o) for o in model.objects.for_organization(org_id).filter(pk__in=ids)))}"
            )
    return lines or [_("Whole organisation")]


def _figure(indicator: str, now: engine.Value, before: engine.Value) -> Figure:
    change, trend = format_change(indicator, now.value, before.value)
    return Figure(
        indicator=indicator,
        label=indicator_label(indicator),
        value=now,
        previous=before,
        text=format_number(indicator, now.value),
        previous_text=format_number(indicator, before.value),
        change=change,
        trend=trend,
    )


def _objective_rows(
    organization: Organization, filters: Filters, scope: Any, known: dict[Filters, dict[str, engine.Value]]
) -> list[ObjectiveRow]:
    """Each objective over the report's period, narrowed to its own branch and channel.

    ``known`` holds values already computed per filters; the values each objective needs are computed
    together per distinct filters (most objectives share the report's own).
    """
    objectives = Objective.objects.for_organization(organization).select_related("branch", "channel")
    if scope is not None:
        objectives = objectives.filter(Objective.scope_q(scope))
    chosen: list[tuple[Objective, Filters]] = []
    for objective in objectives.order_by("indicator", "title"):
        # An objective of a branch or channel outside the report's filters is left out.
        f = filters
        if objective.branch_id:
            if filters.branch_ids and objective.branch_id not in filters.branch_ids:
                continue
            f = f.replace(branch_ids=(objective.branch_id,))
        if objective.channel_id:
            if filters.channel_ids and objective.channel_id not in filters.channel_ids:
                continue
            f = f.replace(channel_ids=(objective.channel_id,))
        chosen.append((objective, f))
    wanted: dict[Filters, set[str]] = {}
    for objective, f in chosen:
        for g in (f, f.previous()):
            if objective.indicator not in known.get(g, {}):
                wanted.setdefault(g, set()).add(objective.indicator)
    for g, indicators in wanted.items():
        known.setdefault(g, {}).update(engine.compute_many(organization, sorted(indicators), g))
    rows = []
    for objective, f in chosen:
        now, before = known[f][objective.indicator], known[f.previous()][objective.indicator]
        status = engine.status(now, objective)
        where = [str(x) for x in (objective.branch, objective.channel) if x is not None]
        rows.append(
            ObjectiveRow(
                title=objective.title,
                figure=_figure(objective.indicator, now, before),
                target=format_target(objective),
                status=status,
                status_label=str(status_label(status)),
                scope=" · ".join(where),  # empty: the whole organisation
            )
        )
    return rows


def _as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _cycle_blocks(organization: Organization, filters: Filters) -> list[CycleBlock]:
    cycles = ServiceCycle.objects.for_organization(organization).select_related("channel")
    if filters.channel_ids:
        cycles = cycles.filter(channel_id__in=filters.channel_ids)
    blocks = []
    for cycle in cycles:
        rows = []
        for score in engine.moment_scores(organization, filters, cycle=cycle):
            rating = "—"
            if score.rating_mean is not None:
                rating = _("%(mean)s / 5") % {"mean": _number(score.rating_mean, 1)}
                if score.rating_top_pct is not None:
                    rating += f" · {_number(score.rating_top_pct, 0)} % 4–5"
            rows.append(
                MomentRow(
                    position=score.moment.position,
                    name=score.moment.name,
                    score=score.score,
                    score_text="—" if score.score is None else _number(score.score, 0),
                    rating=rating,
                    standards=format_number(Indicator.STANDARD_COMPLIANCE, score.standard_compliance.value),
                    checklist=format_number(Indicator.CHECKLIST_COMPLIANCE, score.checklist_compliance.value),
                    worst=score.is_worst,
                )
            )
        if rows:
            worst = next((r for r in rows if r.worst), None)
            blocks.append(CycleBlock(name=cycle.name, channel=str(cycle.channel), moments=rows, worst=worst))
    return blocks


def trend_bucket(filters: Filters) -> str:
    # The same steps as the overview's trends.
    return "day" if filters.days <= 45 else "week" if filters.days <= 200 else "month"


def _trends(organization: Organization, filters: Filters) -> list[Trend]:
    bucket = trend_bucket(filters)
    trends = []
    for indicator in TREND_INDICATORS:
        points = engine.series(organization, indicator, filters, bucket=bucket)
        unit = points[0][1].unit if points else ("seconds" if indicator in TIME_INDICATORS else "percent")
        trends.append(
            Trend(
                indicator=indicator,
                label=indicator_label(indicator),
                unit=unit,
                points=[(day, _as_float(v.value)) for day, v in points],
            )
        )
    return trends


def _league(organization: Organization, filters: Filters) -> tuple[list[str], list[LeagueRow]]:
    columns = [indicator_label(i) for i in LEAGUE_INDICATORS]
    by_indicator = {
        i: dict(engine.breakdown(organization, i, filters, by="branch")) for i in LEAGUE_INDICATORS
    }
    volume = by_indicator[Indicator.RESOLUTION_RATE]
    ids = {pk for values in by_indicator.values() for pk in values if pk is not None}
    names = {b.pk: b.name for b in Branch.objects.for_organization(organization).filter(pk__in=ids)}
    rows = []
    for pk, name in names.items():
        values = {i: by_indicator[i].get(pk) for i in LEAGUE_INDICATORS}
        cells = []
        for indicator, value in values.items():
            text = format_number(indicator, value.value if value is not None else None)
            # A survey figure below the organisation's minimum sample is marked, and ranks after the others.
            cells.append(f"{text} *" if value is not None and value.has_data and not value.enough else text)
        csat = values[Indicator.CSAT]
        rows.append(
            LeagueRow(
                rank=0,
                name=name,
                branch_id=pk,
                cells=cells,
                columns=columns,
                scores={i: _as_float(v.value) if v is not None else None for i, v in values.items()},
                interactions=volume[pk].denominator if pk in volume else 0,
                small=csat is not None and csat.has_data and not csat.enough,
            )
        )

    # Ranked by CSAT, then NPS; small samples after, branches without data at the bottom, by name.
    def key(row: LeagueRow) -> tuple[Any, ...]:
        csat, nps = row.scores[Indicator.CSAT], row.scores[Indicator.NPS]
        return (csat is None, row.small, -(csat or 0), nps is None, -(nps or 0), row.name)

    rows.sort(key=key)
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return columns, rows


def _overdue_actions(scope: Any, today: date) -> list[ActionRow] | None:
    """Overdue improvement actions the scope may see, when the improvement app offers the list."""
    try:
        selectors = importlib.import_module("momentos.improvement.selectors")
    except ModuleNotFoundError:
        return None
    overdue = getattr(selectors, "overdue_actions", None)
    if overdue is None or scope is None:
        return None
    rows = []
    for action in overdue(scope, limit=ACTIONS_LIMIT, today=today):
        due = action.due_date
        rows.append(
            ActionRow(
                title=action.title,
                owner=str(action.owner) if action.owner else "—",
                due=formats.date_format(due, "SHORT_DATE_FORMAT") if due else "—",
                days_late=(today - due).days if due else 0,
            )
        )
    return rows


def last_week(today: date) -> tuple[date, date]:
    """Monday to Sunday of the week before the one ``today`` is in."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7), monday - timedelta(days=1)


def report_build(
    *, organization: Organization, filters: Filters, scope: Any = None, now: datetime | None = None
) -> Report:
    """Every figure of the report for ``filters`` (already restricted to what ``scope`` may see)."""
    now = now or timezone.now()
    local_now = now.astimezone(ZoneInfo(organization.time_zone))
    today = local_now.date()
    before = filters.previous()
    current = engine.compute_many(organization, KEY_INDICATORS, filters)
    previous = engine.compute_many(organization, KEY_INDICATORS, before)
    report = Report(
        organization=organization.name,
        start=filters.start,
        end=filters.end,
        period=period_text(filters.start, filters.end),
        scope=scope_lines(organization, filters),
        generated=formats.date_format(local_now, "DATETIME_FORMAT"),
        filters=filters,
        minimum_sample=organization.min_sample_size,
        objectives=_objective_rows(
            organization, filters, scope, {filters: dict(current), before: dict(previous)}
        ),
        figures=[_figure(i, current[i], previous[i]) for i in KEY_INDICATORS],
    )
    if report.has_data:
        report.cycles = _cycle_blocks(organization, filters)
        report.trends = _trends(organization, filters)
        report.league_columns, report.league = _league(organization, filters)
    report.actions = _overdue_actions(scope, today)
    return report
