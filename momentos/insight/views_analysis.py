"""The analysis pages of insight: trends, league tables (branches, teams, agents), one agent's results,
importance vs performance of the Step 2 expectations, customers' comments and the responses behind a
survey number.

Every page reads the shared filter bar (``InsightFilterForm``), whose filters are already narrowed to
the member's scope: an agent's figures are their own, a supervisor's their branches'. Each table
exports as CSV or XLSX (``?export=csv|xlsx&table=<name>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from momentos.accounts.choices import Role
from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.models import Branch, Membership, Team
from momentos.accounts.permissions import Capability
from momentos.core.access import object_get_for_scope, scoped_queryset
from momentos.core.pagination import paginate, querystring_without_page
from momentos.cycle.choices import TIME_INDICATORS, Indicator
from momentos.cycle.models import Moment
from momentos.insight import analysis, charts, drill, engine
from momentos.insight.filters import Filters
from momentos.insight.forms import InsightFilterForm
from momentos.insight.labels import STATUS_BADGES, STATUS_LABELS
from momentos.insight.tables import (
    DATE,
    DATETIME,
    INTEGER,
    PERCENT,
    SCORE,
    SECONDS,
    TEXT,
    Column,
    Table,
    export_response,
)
from momentos.surveys.choices import QuestionKind
from momentos.surveys.models import Answer

# The indicators a trend or a league table can show (training coverage has no data source yet).
INDICATORS = [code for code in Indicator.values if code != Indicator.TRAINING_COVERAGE]
LEAGUE_INDICATORS = [
    Indicator.CSAT,
    Indicator.NPS,
    Indicator.RESOLUTION_RATE,
    Indicator.FIRST_RESPONSE_TIME,
    Indicator.STANDARD_COMPLIANCE,
    Indicator.CHECKLIST_COMPLIANCE,
]
BUCKETS = {"day": gettext_lazy("Day"), "week": gettext_lazy("Week"), "month": gettext_lazy("Month")}
QUADRANTS = {
    "keep": gettext_lazy("Keep up the good work"),
    "concentrate": gettext_lazy("Concentrate here"),
    "overkill": gettext_lazy("Possible overkill"),
    "low_priority": gettext_lazy("Low priority"),
    "no_data": gettext_lazy("No data"),
}
QUADRANT_BADGES = {
    "keep": "badge-success",
    "concentrate": "badge-danger",
    "overkill": "badge-warning",
    "low_priority": "",
    "no_data": "",
}
EXPORT_LIMIT = 10_000


# ---------------------------------------------------------------- shared


def _filters(request: MemberRequest, *, exclude: Sequence[str] = ()) -> tuple[InsightFilterForm, Filters]:
    form = InsightFilterForm(request.GET, scope=request.membership, exclude=exclude)
    return form, form.filters()


def _unit_format(indicator: str) -> str:
    unit = engine.UNITS.get(indicator, engine.PERCENT)
    return {engine.PERCENT: PERCENT, engine.SCORE: SCORE, engine.SECONDS: SECONDS}[unit]


def _label(indicator: str) -> str:
    return str(Indicator(indicator).label)


def _display(indicator: str, value: Decimal | None) -> str:
    from momentos.insight.tables import format_value

    fmt = _unit_format(indicator)
    if value is not None and fmt != SECONDS:
        # Rounded here: the locale formatting cuts extra decimals off rather than rounding them.
        value = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return format_value(value, fmt)


def _page(
    request: MemberRequest,
    template: str,
    form: InsightFilterForm,
    *,
    active: str,
    hidden: dict[str, str] | list[tuple[str, str]] | None = None,
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "hidden": _Pairs(
                (k, v) for k, v in (hidden.items() if isinstance(hidden, dict) else hidden or []) if v
            ),
            "subnav": _subnav(request, form, active),
            **context,
        },
    )


def _subnav(request: MemberRequest, form: InsightFilterForm, active: str) -> list[dict[str, Any]]:
    query = form.query()
    membership = request.membership
    items = [
        ("trends", reverse("insight:trends"), _("Trends")),
    ]
    if membership.is_agent:
        items.append(("agents", reverse("insight:agent_detail", args=[membership.pk]), _("My results")))
    else:
        items += [
            ("league", reverse("insight:league"), _("Branches")),
            ("teams", reverse("insight:teams"), _("Teams")),
            ("agents", reverse("insight:agents"), _("Agents")),
        ]
    items += [
        ("importance", reverse("insight:importance"), _("Importance vs performance")),
        ("verbatims", reverse("insight:verbatims"), _("Comments")),
        ("responses", reverse("insight:responses"), _("Responses")),
    ]
    return [
        {"name": name, "url": f"{url}?{query}" if query else url, "label": label, "active": name == active}
        for name, url, label in items
    ]


class _Pairs(list[tuple[str, str]]):
    """(name, value) pairs the filter bar keeps as hidden inputs; a name may repeat (several indicators).

    The filter bar reads ``hidden.items``, so the pairs answer to that too.
    """

    def items(self) -> list[tuple[str, str]]:
        return list(self)


def _pairs(query: str) -> list[tuple[str, str]]:
    """A query string as (name, value) pairs, for hidden inputs that keep the filters."""
    return [(key, value) for key, values in QueryDict(query).lists() for value in values]


def _drill_url(indicator: str, filters: Filters, membership: Membership) -> str:
    """The rows behind a number; for a survey indicator, only the responses that answered its question."""
    url = drill.indicator_url(indicator, filters, membership)
    if url and indicator in (Indicator.CSAT, Indicator.NPS, Indicator.CES) and "?" in url:
        url += "&" + urlencode({"kind": indicator})
    return url


def _bucket_end(start: date, bucket: str) -> date:
    if bucket == "day":
        return start
    if bucket == "week":
        return start + timedelta(days=6)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _bucket_label(start: date, bucket: str) -> str:
    if bucket == "month":
        return formats.date_format(start, "YEAR_MONTH_FORMAT")
    return formats.date_format(start, "j M")


def _default_bucket(filters: Filters) -> str:
    if filters.days <= 45:
        return "day"
    if filters.days <= 200:
        return "week"
    return "month"


def _change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None:
        return None
    return current - previous


# ---------------------------------------------------------------- trends


@member_required(Capability.READ_INSIGHT)
def trends(request: MemberRequest) -> HttpResponse:
    form, filters = _filters(request)
    organization, membership = request.organization, request.membership
    errors: list[str] = []
    chosen = [code for code in dict.fromkeys(request.GET.getlist("indicator")) if code]
    indicators = [code for code in chosen if code in INDICATORS][:4]
    if len(indicators) < len(chosen):
        errors.append(_("Unknown indicator: choose from the list."))
    chosen_valid = list(indicators)
    if not indicators:
        indicators = [Indicator.CSAT]
    bucket = request.GET.get("bucket") or _default_bucket(filters)
    if bucket not in BUCKETS:
        errors.append(_("Unknown grouping: choose day, week or month."))
        bucket = _default_bucket(filters)
    previous_filters = filters.previous()
    objectives = analysis.visible_objectives(membership)
    blocks, tables = [], []
    for indicator in indicators:
        current = engine.series(organization, indicator, filters, bucket=bucket)
        before = engine.series(organization, indicator, previous_filters, bucket=bucket)
        total = engine.compute(organization, indicator, filters)
        total_before = engine.compute(organization, indicator, previous_filters)
        objective = analysis.objective_for(membership, indicator, filters, objectives=objectives)
        target = analysis.target_in_value_unit(objective)
        status = engine.status(total, objective) if objective else ""
        minutes = indicator in TIME_INDICATORS
        scale = Decimal(60) if minutes else Decimal(1)

        def chart_value(value: Decimal | None, scale: Decimal = scale) -> Decimal | None:
            return None if value is None else value / scale

        points, previous_points = [], []
        table = Table(
            f"trend-{indicator}",
            _label(indicator),
            [
                Column("period", _("Period starting"), DATE),
                Column("value", _label(indicator), _unit_format(indicator)),
                Column("n", _("Based on"), INTEGER),
                Column("previous", _("Previous period"), _unit_format(indicator)),
                Column("change", _("Change"), SCORE if not minutes else SECONDS),
            ],
            query=request.GET.urlencode(),
            empty_message=_("No data for this selection."),
        )
        for index, (start, value) in enumerate(current):
            part = filters.replace(
                start=max(start, filters.start), end=min(_bucket_end(start, bucket), filters.end)
            )
            href = _drill_url(indicator, part, membership)
            label = _bucket_label(start, bucket)
            previous_value = before[index][1] if index < len(before) else None
            shown = _display(indicator, value.value) if value.value is not None else ""
            points.append(charts.Point(label, chart_value(value.value), shown, href if shown else ""))
            before_value = previous_value.value if previous_value else None
            previous_points.append(
                charts.Point(
                    label,
                    chart_value(before_value),
                    _display(indicator, before_value) if before_value is not None else "",
                )
            )
            table.add(
                {
                    "period": start,
                    "value": value.value,
                    "n": value.denominator,
                    "previous": previous_value.value if previous_value else None,
                    "change": _change(value.value, previous_value.value if previous_value else None),
                },
                links={"value": href},
            )
        name = _label(indicator) + (" (" + _("minutes") + ")" if minutes else "")
        chart = charts.line_chart(
            [
                charts.Series(name, points),
                charts.Series(_("Previous period"), previous_points, "previous"),
            ],
            title=_("%(indicator)s over time") % {"indicator": _label(indicator)},
            target=chart_value(target),
            target_label=_("Target: %(value)s") % {"value": _display(indicator, target)}
            if target is not None
            else "",
            y_min=0 if engine.UNITS[indicator] == engine.PERCENT else None,
            y_max=100 if engine.UNITS[indicator] == engine.PERCENT else None,
        )
        has_data = any(v.value is not None for _start, v in current)
        blocks.append(
            {
                "indicator": indicator,
                "label": _label(indicator),
                "chart": chart,
                "has_data": has_data,
                "total": total,
                "total_text": _display(indicator, total.value),
                "total_url": _drill_url(indicator, filters, membership),
                "previous_text": _display(indicator, total_before.value),
                "change": _change(total.value, total_before.value),
                "change_text": _change_text(indicator, total.value, total_before.value),
                "objective": objective,
                "spread": _spread_text(indicator, total),
                "target_text": _display(indicator, target) if target is not None else "",
                "status": status,
                "status_label": STATUS_LABELS.get(status, ""),
                "status_badge": STATUS_BADGES.get(status, ""),
                "table": table,
            }
        )
        tables.append(table)
    if response := export_response(request, tables, page="trends", period=form.period_label()):
        return response
    return _page(
        request,
        "insight/analysis/trends.html",
        form,
        active="trends",
        hidden=[("bucket", request.GET.get("bucket", ""))] + [("indicator", code) for code in chosen_valid],
        blocks=blocks,
        errors=errors,
        indicator_choices=[(code, _label(code)) for code in INDICATORS],
        chosen=indicators,
        bucket=bucket,
        buckets=list(BUCKETS.items()),
        keep=_pairs(form.query()),
        previous_start=previous_filters.start,
        previous_end=previous_filters.end,
    )


def _spread_text(indicator: str, value: engine.Value) -> str:
    """Median and p90 beside a mean time, which a few very long attentions can pull up."""
    median, p90 = value.detail.get("median"), value.detail.get("p90")
    if indicator != Indicator.ATTENTION_TIME or median is None or p90 is None:
        return ""
    from momentos.insight.tables import format_duration

    return _("median %(median)s · p90 %(p90)s") % {
        "median": format_duration(median),
        "p90": format_duration(p90),
    }


def _change_text(indicator: str, current: Decimal | None, previous: Decimal | None) -> str:
    change = _change(current, previous)
    if change is None:
        return ""
    if indicator in TIME_INDICATORS:
        from momentos.insight.tables import format_duration

        sign = "+" if change > 0 else "−" if change < 0 else "±"
        return sign + format_duration(abs(change))
    text = formats.number_format(
        abs(change).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1, use_l10n=True
    )
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return sign + text + (" " + _("pts") if engine.UNITS[indicator] == engine.PERCENT else "")


# ---------------------------------------------------------------- league tables


@dataclass
class Cell:
    text: str
    value: Decimal | None
    n: int = 0
    status: str = ""
    url: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, ""))

    @property
    def badge(self) -> str:
        return STATUS_BADGES.get(self.status, "")

    @property
    def short_label(self) -> str:
        # Narrow table cells: "few answers" stands for the full "not enough answers" (its title).
        return str(_("Few answers")) if self.status == "not_enough" else self.status_label


@dataclass
class RankRow:
    key: Any
    name: str
    url: str = ""
    branch_id: Any = None
    cells: dict[str, Cell] = field(default_factory=dict)
    rank: int | None = None


def _sort_rows(rows: list[RankRow], sort: str, direction: str) -> None:
    if sort == "name":
        rows.sort(key=lambda r: r.name.casefold(), reverse=direction == "desc")
        return
    known = [r for r in rows if r.cells[sort].value is not None]
    missing = [r for r in rows if r.cells[sort].value is None]
    known.sort(key=lambda r: r.name.casefold())
    # A stable sort: ties keep alphabetical order in both directions.
    known.sort(key=lambda r: r.cells[sort].value or Decimal(0), reverse=direction == "desc")
    missing.sort(key=lambda r: r.name.casefold())
    rows[:] = known + missing
    # The rank follows "best first" for the indicator, whatever the direction shown.
    best_first = sorted(known, key=lambda r: r.cells[sort].value or 0, reverse=sort not in TIME_INDICATORS)
    previous_value, previous_rank = None, 0
    for position, row in enumerate(best_first, start=1):
        value = row.cells[sort].value
        row.rank = previous_rank if value == previous_value else position
        previous_value, previous_rank = value, row.rank


def _ranking(
    request: MemberRequest,
    form: InsightFilterForm,
    filters: Filters,
    *,
    by: str,
    rows: list[RankRow],
    page: str,
    title: str,
    template: str = "insight/analysis/ranking.html",
    intro: str = "",
    empty_message: str = "",
) -> HttpResponse:
    organization, membership = request.organization, request.membership
    errors: list[str] = []
    visible = analysis.visible_objectives(membership)
    objectives: dict[tuple[str, Any], Any] = {}
    for indicator in LEAGUE_INDICATORS:
        values = dict(engine.breakdown(organization, indicator, filters, by=by))
        for row in rows:
            value = values.get(row.key)
            cache_key = (indicator, row.branch_id)
            if cache_key not in objectives:
                objectives[cache_key] = analysis.objective_for(
                    membership, indicator, filters, branch_id=row.branch_id, objectives=visible
                )
            objective = objectives[cache_key]
            status = engine.status(value, objective) if value is not None and objective is not None else ""
            if value is None and objective is not None:
                status = "no_data"
            narrowed = filters.replace(**{f"{by}_ids": (row.key,)})
            row.cells[indicator] = Cell(
                text=_display(indicator, value.value if value else None),
                value=value.value if value else None,
                n=value.denominator if value else 0,
                status=status,
                url=_drill_url(indicator, narrowed, membership) if value and value.value is not None else "",
            )
    sort = request.GET.get("sort") or Indicator.CSAT
    if sort not in [*LEAGUE_INDICATORS, "name"]:
        errors.append(_("Unknown sort column: the table is sorted by CSAT."))
        sort = Indicator.CSAT
    default_direction = "asc" if sort in TIME_INDICATORS or sort == "name" else "desc"
    direction = request.GET.get("dir") or default_direction
    if direction not in ("asc", "desc"):
        errors.append(_("Unknown sort direction."))
        direction = default_direction
    _sort_rows(rows, sort, direction)

    table = Table(
        page,
        title,
        [
            Column("rank", _("Rank"), INTEGER),
            Column("name", _("Name"), TEXT),
            *[
                column
                for indicator in LEAGUE_INDICATORS
                for column in (
                    Column(indicator, _label(indicator), _unit_format(indicator)),
                    Column(
                        f"{indicator}_n",
                        _("%(indicator)s: based on") % {"indicator": _label(indicator)},
                        INTEGER,
                    ),
                    Column(
                        f"{indicator}_status", _("%(indicator)s: status") % {"indicator": _label(indicator)}
                    ),
                )
            ],
        ],
        query=request.GET.urlencode(),
    )
    for row in rows:
        exported: dict[str, Any] = {"rank": row.rank, "name": row.name}
        for code, cell in row.cells.items():
            exported[code] = cell.value
            exported[f"{code}_n"] = cell.n
            exported[f"{code}_status"] = cell.status_label or None
        table.add(exported)
    if response := export_response(request, [table], page=page, period=form.period_label()):
        return response

    general = (
        analysis.objective_for(membership, sort, filters, objectives=visible) if sort != "name" else None
    )
    target = analysis.target_in_value_unit(general)
    chart_indicator = sort if sort != "name" else Indicator.CSAT
    scale = Decimal(60) if chart_indicator in TIME_INDICATORS else Decimal(1)
    bars = [
        charts.Bar(
            row.name,
            None if row.cells[chart_indicator].value is None else row.cells[chart_indicator].value / scale,  # type: ignore[operator]
            row.cells[chart_indicator].text if row.cells[chart_indicator].value is not None else "",
            row.cells[chart_indicator].url,
            row.cells[chart_indicator].status,
        )
        for row in rows[:30]
    ]
    chart_title = _("%(indicator)s, %(dimension)s") % {
        "indicator": _label(chart_indicator),
        "dimension": title,
    }
    chart = charts.bar_chart(
        bars,
        title=chart_title,
        target=None if target is None else target / scale,
        target_label=_("Target: %(value)s") % {"value": _display(chart_indicator, target)}
        if target is not None
        else "",
        min_value=0 if engine.UNITS[chart_indicator] == engine.PERCENT else None,
        max_value=100 if engine.UNITS[chart_indicator] == engine.PERCENT else None,
    )
    query = QueryDict(form.query(), mutable=True)
    headers = []
    for key, label in [("name", _("Name")), *[(i, _label(i)) for i in LEAGUE_INDICATORS]]:
        params = query.copy()
        params["sort"] = key
        current = sort == key
        key_default = "asc" if key in TIME_INDICATORS or key == "name" else "desc"
        params["dir"] = ("asc" if direction == "desc" else "desc") if current else key_default
        headers.append(
            {
                "key": key,
                "label": label,
                "url": "?" + params.urlencode(),
                "current": current,
                "aria_sort": ("ascending" if direction == "asc" else "descending") if current else "none",
                "numeric": key != "name",
            }
        )
    return _page(
        request,
        template,
        form,
        active=page,
        hidden={"sort": request.GET.get("sort", ""), "dir": request.GET.get("dir", "")},
        title=title,
        intro=intro,
        rows=rows,
        headers=headers,
        indicators=LEAGUE_INDICATORS,
        chart=chart,
        chart_title=chart_title,
        chart_has_data=any(b.value is not None for b in bars),
        table=table,
        errors=errors,
        sort=sort,
        direction=direction,
        sort_choices=[("name", _("Name")), *[(i, _label(i)) for i in LEAGUE_INDICATORS]],
        keep=[(k, v) for k, v in _pairs(form.query()) if k not in ("sort", "dir")],
        empty_message=empty_message,
    )


@member_required(Capability.READ_INSIGHT)
def league(request: MemberRequest) -> HttpResponse:
    if request.membership.is_agent:
        return redirect("insight:agent_detail", pk=request.membership.pk)
    form, filters = _filters(request)
    branches = scoped_queryset(Branch, scope=request.membership).order_by("name")
    if filters.branch_ids:
        branches = branches.filter(pk__in=filters.branch_ids)
    rows = [RankRow(key=b.pk, name=b.name, branch_id=b.pk) for b in branches]
    return _ranking(
        request,
        form,
        filters,
        by="branch",
        rows=rows,
        page="league",
        title=_("Branches"),
        intro=_("Branches ranked on the key indicators, each against its Step 1 target."),
        empty_message=_("No branch in this selection."),
    )


@member_required(Capability.READ_INSIGHT)
def teams(request: MemberRequest) -> HttpResponse:
    if request.membership.is_agent:
        return redirect("insight:agent_detail", pk=request.membership.pk)
    form, filters = _filters(request)
    qs = scoped_queryset(Team, scope=request.membership).order_by("name")
    if filters.team_ids:
        qs = qs.filter(pk__in=filters.team_ids)
    if filters.branch_ids:
        qs = qs.filter(branch_id__in=filters.branch_ids)
    rows = [RankRow(key=t.pk, name=t.name, branch_id=t.branch_id) for t in qs]
    return _ranking(
        request,
        form,
        filters,
        by="team",
        rows=rows,
        page="teams",
        title=_("Teams"),
        intro=_("Teams side by side on the key indicators."),
        empty_message=_("No team in this selection."),
    )


@member_required(Capability.READ_INSIGHT)
def agents(request: MemberRequest) -> HttpResponse:
    if request.membership.is_agent:
        # An agent's view of the agents is their own page.
        return redirect("insight:agent_detail", pk=request.membership.pk)
    form, filters = _filters(request)
    members = (
        scoped_queryset(Membership, scope=request.membership)
        .filter(is_active=True, role__in=[Role.AGENT, Role.SUPERVISOR])
        .select_related("user")
        .order_by("user__full_name")
    )
    if filters.agent_ids:
        members = members.filter(user_id__in=filters.agent_ids)
    query = form.query()
    rows = [
        RankRow(
            key=m.user_id,
            name=m.user.full_name or m.user.email,
            url=reverse("insight:agent_detail", args=[m.pk]) + (f"?{query}" if query else ""),
        )
        for m in members
    ]
    return _ranking(
        request,
        form,
        filters,
        by="agent",
        rows=rows,
        page="agents",
        title=_("Agents"),
        intro=_("Each person's results on the interactions they attended and the answers about them."),
        empty_message=_("No agent in this selection."),
    )


@member_required(Capability.READ_INSIGHT)
def agent_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    membership = request.membership
    member = object_get_for_scope(
        Membership, scope=membership, pk=pk, queryset=Membership.objects.select_related("user")
    )
    if membership.is_agent and member.pk != membership.pk:
        from django.http import Http404

        raise Http404
    form, filters = _filters(request, exclude=("agent",))
    filters = filters.replace(agent_ids=(member.user_id,))
    organization = request.organization
    previous = filters.previous()
    current_values = engine.compute_many(organization, LEAGUE_INDICATORS, filters)
    previous_values = engine.compute_many(organization, LEAGUE_INDICATORS, previous)
    # Weeks unless the period is short: an agent's days are often empty, and a line of lone dots says little.
    bucket = "day" if filters.days <= 14 else "week" if filters.days <= 200 else "month"
    objectives = analysis.visible_objectives(membership)
    table = Table(
        "agent",
        member.user.full_name or member.user.email,
        [
            Column("indicator", _("Indicator")),
            Column("value", _("Value"), TEXT),
            Column("n", _("Based on"), INTEGER),
            Column("previous", _("Previous period"), TEXT),
            Column("target", _("Target"), TEXT),
            Column("status", _("Status")),
        ],
        query=request.GET.urlencode(),
    )
    items = []
    for indicator in LEAGUE_INDICATORS:
        value = current_values[indicator]
        before = previous_values[indicator]
        objective = analysis.objective_for(membership, indicator, filters, objectives=objectives)
        target = analysis.target_in_value_unit(objective)
        status = engine.status(value, objective) if objective else ""
        series = engine.series(organization, indicator, filters, bucket=bucket)
        scale = Decimal(60) if indicator in TIME_INDICATORS else Decimal(1)
        spark = charts.sparkline(
            [None if v.value is None else v.value / scale for _s, v in series],
            title=_("%(indicator)s over the period") % {"indicator": _label(indicator)},
            labels=[_bucket_label(s, bucket) for s, _v in series],
        )
        item = {
            "label": _label(indicator),
            "value": _display(indicator, value.value),
            "n": value.denominator,
            "url": _drill_url(indicator, filters, membership) if value.value is not None else "",
            "previous": _display(indicator, before.value),
            "change": _change_text(indicator, value.value, before.value),
            "target": f"{objective.get_comparison_display()} {_display(indicator, target)}"
            if objective is not None and target is not None
            else "",
            "status": status,
            "status_label": STATUS_LABELS.get(status, ""),
            "status_badge": STATUS_BADGES.get(status, ""),
            "spark": spark,
        }
        items.append(item)
        table.add(
            {
                "indicator": item["label"],
                "value": item["value"] if value.value is not None else None,
                "n": value.denominator,
                "previous": item["previous"] if before.value is not None else None,
                "target": item["target"] or None,
                "status": str(item["status_label"]) or None,
            }
        )
    if response := export_response(request, [table], page="agent", period=form.period_label()):
        return response
    comments = analysis.comments_for(organization, filters)[:5]
    comments_url = reverse("insight:verbatims") + "?" + form.query(agent=str(member.user_id))
    return _page(
        request,
        "insight/analysis/agent_detail.html",
        form,
        active="agents",
        member=member,
        items=items,
        table=table,
        comments=comments,
        comments_url=comments_url,
        own=member.pk == membership.pk,
    )


# ---------------------------------------------------------------- importance vs performance


def _moment_names(moments: Sequence[Any]) -> str:
    """Moment names once each: a moment of the same name in several channels' cycles counts once."""
    counts: dict[str, int] = {}
    for moment in moments:
        counts[moment.name] = counts.get(moment.name, 0) + 1
    return ", ".join(
        name if n == 1 else _("%(name)s (%(count)s cycles)") % {"name": name, "count": n}
        for name, n in counts.items()
    )


def _one_decimal(value: Decimal | None) -> str:
    if value is None:
        return ""
    rounded = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, 1, use_l10n=True)


@member_required(Capability.READ_INSIGHT)
def importance(request: MemberRequest) -> HttpResponse:
    form, filters = _filters(request)
    rows = analysis.expectation_performance(request.organization, filters)
    table = Table(
        "importance",
        _("Expectations"),
        [
            Column("key", _("No."), INTEGER),
            Column("expectation", _("Expectation")),
            Column("segment", _("Segment")),
            Column("importance", _("Importance (1–5)"), INTEGER),
            Column("moments", _("Moments that serve it")),
            Column("performance", _("Performance (0–100)"), SCORE),
            Column("quadrant", _("Reading")),
        ],
        query=request.GET.urlencode(),
        empty_message=_("No expectations yet: Step 2 of the design lists them, with how much each matters."),
    )
    dots, items = [], []
    for number, row in enumerate(rows, start=1):
        moment_ids = [m.pk for m in row.moments]
        url = ""
        if moment_ids:
            url = reverse("insight:verbatims") + "?" + form.query(moment=[str(i) for i in moment_ids])
        table.add(
            {
                "key": number,
                "expectation": row.expectation.description,
                "segment": row.expectation.segment.name,
                "importance": row.expectation.importance,
                "moments": _moment_names(row.moments) or None,
                "performance": row.performance,
                "quadrant": str(QUADRANTS[row.quadrant]),
            }
        )
        dots.append(
            charts.Dot(
                row.expectation.description,
                row.expectation.importance,
                row.performance,
                _one_decimal(row.performance),
                url,
                key=str(number),
                css=f"is-{row.quadrant}",
            )
        )
        items.append(
            {
                "number": number,
                "row": row,
                "url": url,
                "quadrant": QUADRANTS[row.quadrant],
                "badge": QUADRANT_BADGES[row.quadrant],
                "performance": _one_decimal(row.performance),
                "moment_names": _moment_names(row.moments),
            }
        )
    if response := export_response(request, [table], page="importance", period=form.period_label()):
        return response
    chart = charts.scatter_chart(
        dots,
        title=_("Importance vs performance of the expectations"),
        x_label=_("Importance"),
        y_label=_("Performance"),
        x_range=(Decimal("0.5"), Decimal("5.5")),
        width=460,
        height=380,
        y_range=(0, 100),
        x_split=analysis.IMPORTANCE_SPLIT,
        y_split=analysis.PERFORMANCE_SPLIT,
        quadrant_labels=(
            str(QUADRANTS["overkill"]),
            str(QUADRANTS["keep"]),
            str(QUADRANTS["low_priority"]),
            str(QUADRANTS["concentrate"]),
        ),
    )
    return _page(
        request,
        "insight/analysis/importance.html",
        form,
        active="importance",
        items=items,
        table=table,
        chart=chart,
        has_data=any(row.performance is not None for row in rows),
        performance_split=charts.fmt(analysis.PERFORMANCE_SPLIT),
    )


# ---------------------------------------------------------------- comments


def _answer_url(answer: Answer, membership: Membership, form: InsightFilterForm) -> str:
    response = answer.response
    if response.interaction_id and membership.can(Capability.ATTEND):
        return reverse("attention:interaction_detail", args=[response.interaction_id])
    return reverse("insight:responses") + "?" + form.query(response=str(response.pk))


@member_required(Capability.READ_INSIGHT)
def verbatims(request: MemberRequest) -> HttpResponse:
    form, filters = _filters(request)
    organization, membership = request.organization, request.membership
    search = (request.GET.get("q") or "").strip()[:200]
    qs = analysis.comments_for(organization, filters, search=search)
    columns = [
        Column("submitted", _("Submitted"), DATETIME),
        Column("branch", _("Branch")),
        Column("moment", _("Moment of truth")),
        Column("question", _("Question")),
        Column("score", _("Score"), INTEGER),
        Column("comment", _("Comment")),
        Column("followup", _("Answer to the follow-up")),
    ]
    if request.GET.get("export"):
        table = Table("comments", _("Comments"), columns, query=request.GET.urlencode())
        moments = {m.pk: m.name for m in Moment.objects.for_organization(organization)}
        for answer in qs[:EXPORT_LIMIT]:
            table.add(
                {
                    "submitted": answer.response.submitted_at,
                    "branch": answer.response.branch.name,
                    "moment": moments.get(getattr(answer, "moment_pk", None)),
                    "question": answer.question.text_en or answer.question.text_es,
                    "score": answer.value,
                    "comment": answer.text or None,
                    "followup": answer.followup_text or None,
                }
            )
        if response := export_response(request, [table], page="comments", period=form.period_label()):
            return response
    page = paginate(request, qs)
    moment_names = {m.pk: m for m in Moment.objects.for_organization(organization).select_related("cycle")}
    items = [
        {
            "answer": answer,
            "moment": moment_names.get(getattr(answer, "moment_pk", None)),
            "url": _answer_url(answer, membership, form),
        }
        for answer in page.object_list
    ]
    counts = qs.order_by().values("moment_pk").annotate(n=Count("pk")).order_by("-n")  # type: ignore[misc]
    by_moment = [
        {
            "moment": moment_names.get(row["moment_pk"]),
            "n": row["n"],
            "url": "?"
            + form.query(moment=[str(row["moment_pk"])] if row["moment_pk"] else None, q=search or None),
        }
        for row in counts[:12]
    ]
    table = Table("comments", _("Comments"), columns, query=request.GET.urlencode())
    table.rows = [{}] if page.object_list else []
    return _page(
        request,
        "insight/analysis/verbatims.html",
        form,
        active="verbatims",
        hidden={"q": search},
        keep_query=_pairs(form.query()),
        clear_search=form.query(),
        page=page,
        items=items,
        search=search,
        by_moment=by_moment,
        qs=querystring_without_page(request),
        export_table=table,
    )


# ---------------------------------------------------------------- responses


def _score_label(answer: Answer) -> str:
    if answer.kind == QuestionKind.MOMENT_RATING:
        moment = answer.question.moment
        return moment.name if moment is not None else _("Moment rating")
    short: dict[str, str] = {QuestionKind.CSAT: "CSAT", QuestionKind.NPS: "NPS", QuestionKind.CES: "CES"}
    return short.get(answer.kind, str(answer.get_kind_display()))


@member_required(Capability.READ_INSIGHT)
def responses(request: MemberRequest) -> HttpResponse:
    form, filters = _filters(request)
    organization, membership = request.organization, request.membership
    errors: list[str] = []
    kind = request.GET.get("kind") or ""
    group = request.GET.get("group") or ""
    if kind and kind not in analysis.SCORED_KINDS:
        errors.append(_("Unknown question kind: showing every response."))
        kind = group = ""
    if group and not (kind and analysis.score_range(kind, group)):
        errors.append(_("Unknown score group for this question kind: showing every score."))
        group = ""
    qs = analysis.responses_for(organization, filters, kind=kind, group=group)
    single = request.GET.get("response") or ""
    if single:
        try:
            import uuid

            qs = qs.filter(pk=uuid.UUID(single))
        except ValueError:
            errors.append(_("Unknown response."))
    qs = qs.prefetch_related(
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("question__moment").order_by("question__position"),
        )
    )
    columns = [
        Column("submitted", _("Submitted"), DATETIME),
        Column("branch", _("Branch")),
        Column("channel", _("Channel")),
        Column("moment", _("Moment of truth")),
        Column("agent", _("Agent")),
        Column("csat", "CSAT", INTEGER),
        Column("nps", "NPS", INTEGER),
        Column("ces", "CES", INTEGER),
        Column("comment", _("Comment")),
    ]

    def row_of(response: Any) -> dict[str, Any]:
        scores = {a.kind: a.value for a in response.answers.all() if a.value is not None}
        words = [a.text or a.followup_text for a in response.answers.all() if a.text or a.followup_text]
        agent = response.interaction.agent if response.interaction_id and response.interaction else None
        return {
            "submitted": response.submitted_at,
            "branch": response.branch.name,
            "channel": str(response.channel) if response.channel_id else None,
            "moment": response.moment.name if response.moment_id else None,
            "agent": (agent.full_name or agent.email) if agent else None,
            "csat": scores.get(QuestionKind.CSAT),
            "nps": scores.get(QuestionKind.NPS),
            "ces": scores.get(QuestionKind.CES),
            "comment": " · ".join(words) or None,
        }

    if request.GET.get("export"):
        table = Table("responses", _("Responses"), columns, query=request.GET.urlencode())
        for response in qs[:EXPORT_LIMIT]:
            table.add(row_of(response))
        if response_ := export_response(request, [table], page="responses", period=form.period_label()):
            return response_
    page = paginate(request, qs)
    items = []
    for response in page.object_list:
        url = ""
        if response.interaction_id and membership.can(Capability.ATTEND):
            url = reverse("attention:interaction_detail", args=[response.interaction_id])
        scores = [
            (_score_label(answer), answer.value)
            for answer in response.answers.all()
            if answer.value is not None
        ]
        items.append({"response": response, "row": row_of(response), "url": url, "scores": scores})
    export_table = Table("responses", _("Responses"), columns, query=request.GET.urlencode())
    export_table.rows = [{}] if page.object_list else []
    group_labels = {
        "promoter": _("promoters"),
        "passive": _("passives"),
        "detractor": _("detractors"),
        "top": _("top scores"),
        "middle": _("middle scores"),
        "low": _("low scores"),
    }
    return _page(
        request,
        "insight/analysis/responses.html",
        form,
        active="responses",
        hidden={"kind": kind, "group": group},
        page=page,
        items=items,
        errors=errors,
        kind=kind,
        kind_label=dict(QuestionKind.choices).get(kind, "") if kind else "",
        group_label=group_labels.get(group, ""),
        qs=querystring_without_page(request),
        export_table=export_table,
        total=page.paginator.count,
    )
