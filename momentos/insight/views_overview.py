"""Insight pages: the overview of the Step 1 objectives, the service cycle map and a moment's detail.

Every figure comes from ``momentos.insight.engine`` over filters narrowed to the member's scope (an
agent sees only their own figures); every number links to the interactions or responses behind it;
every table exports as CSV or XLSX (``?export=csv|xlsx``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.permissions import Capability
from momentos.core.access import object_get_for_scope, scoped_queryset
from momentos.cycle.choices import TIME_INDICATORS, Comparison, Indicator, Period
from momentos.cycle.models import Moment, Objective, ServiceCycle
from momentos.insight import engine, rollups
from momentos.insight.charts import sparkline
from momentos.insight.drill import indicator_url, interactions_url, responses_url
from momentos.insight.filters import NOTHING, Filters, restrict_to_scope
from momentos.insight.forms import InsightFilterForm
from momentos.insight.labels import STATUS_BADGES, STATUS_LABELS
from momentos.insight.tables import (
    INTEGER,
    PERCENT,
    SCORE,
    SECONDS,
    Column,
    Table,
    export_response,
    format_value,
)

# The indicators the overview shows for the filter selection (training coverage has no data yet).
KEY_INDICATORS = (
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
LOWER_IS_BETTER = TIME_INDICATORS
UNIT_FORMATS = {"percent": PERCENT, "score": SCORE, "seconds": SECONDS}
PERIOD_SO_FAR: dict[str, Any] = {
    Period.WEEK: gettext_lazy("This week so far, since %(start)s"),
    Period.MONTH: gettext_lazy("This month so far, since %(start)s"),
    Period.QUARTER: gettext_lazy("This quarter so far, since %(start)s"),
    Period.YEAR: gettext_lazy("This year so far, since %(start)s"),
}
# How far back an objective's trend looks, and in which steps, per objective period.
TREND: dict[str, tuple[timedelta, str]] = {
    Period.WEEK: (timedelta(weeks=12), "week"),
    Period.MONTH: (timedelta(days=182), "month"),
    Period.QUARTER: (timedelta(days=365), "month"),
    Period.YEAR: (timedelta(days=365 * 2), "month"),
}


def value_format(value: Any) -> str:
    return UNIT_FORMATS.get(getattr(value, "unit", ""), SCORE)


def show(value: Any) -> str:
    """A Value for people: its number in its unit, or "—"."""
    if value is None or value.value is None:
        return "—"
    return format_value(value.value, value_format(value))


@dataclass
class Delta:
    text: str
    direction: str  # "up" | "down" | "flat"
    good: bool | None  # None: neither better nor worse
    previous: str

    @property
    def css(self) -> str:
        if self.good is None:
            return "delta-flat"
        return "delta-up" if self.good else "delta-down"


def delta(current: Any, previous: Any, *, lower_is_better: bool) -> Delta | None:
    """The change from the previous period, in the indicator's unit (points for percentages)."""
    if current is None or previous is None or current.value is None or previous.value is None:
        return None
    fmt = value_format(current)
    step = Decimal(1) if fmt == SECONDS else Decimal("0.1")
    change = (Decimal(current.value) - Decimal(previous.value)).quantize(step)
    magnitude = abs(change)
    if fmt == PERCENT:
        text = _("%(n)s pts") % {"n": format_value(magnitude, SCORE)}
    else:
        text = format_value(magnitude, fmt)
    if change == 0:
        return Delta("±" + text, "flat", None, show(previous))
    direction = "up" if change > 0 else "down"
    good = (change < 0) if lower_is_better else (change > 0)
    return Delta(("+" if change > 0 else "−") + text, direction, good, show(previous))


@dataclass
class Card:
    title: str
    indicator: str
    indicator_label: str
    value: Any
    value_text: str
    n: int
    url: str
    status: str = ""
    target_text: str = ""
    change: Delta | None = None
    trend: str = ""
    scope_text: str = ""
    period_text: str = ""
    previous: Any = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, ""))

    @property
    def badge(self) -> str:
        return STATUS_BADGES.get(self.status, "")


def target_text(objective: Objective) -> str:
    symbol = dict(Comparison.choices).get(objective.comparison, "")
    if objective.indicator in TIME_INDICATORS:
        shown = _("%(n)s min") % {"n": format_value(objective.target, SCORE)}
    elif objective.indicator in {Indicator.NPS, Indicator.CES}:
        shown = format_value(objective.target, SCORE)
    else:
        shown = format_value(objective.target, PERCENT)
    # Kept on one line in narrow table cells.
    return f"{symbol} {shown}".replace(" ", "\u00a0")


class Figures:
    """What one overview request asks the engine, each distinct question asked once.

    The values of every filter set come from one ``compute_many`` of all the indicators wanted of it
    (objectives sharing a period and scope share it, and so do their previous periods), the trends of
    every (filters, step) from one ``series_many``; the marked rollup partitions are refreshed once for
    the whole request. No median or p90 (read from the raw rows): the overview shows means only.
    """

    def __init__(self, organization: Any) -> None:
        self.organization = organization
        self._wanted: dict[Filters, dict[str, None]] = {}
        self._trends_wanted: dict[tuple[Filters, str], dict[str, None]] = {}
        self._values: dict[Filters, dict[str, Any]] = {}
        self._trends: dict[tuple[Filters, str], dict[str, Any]] = {}

    def want(self, filters: Filters, indicators: Any) -> None:
        self._wanted.setdefault(filters, {}).update(dict.fromkeys(indicators))

    def want_trend(self, filters: Filters, bucket: str, indicator: str) -> None:
        self._trends_wanted.setdefault((filters, bucket), {})[indicator] = None

    def fetch(self) -> None:
        with rollups.reads_refreshed_once(self.organization):
            for filters, indicators in self._wanted.items():
                self._values[filters] = engine.compute_many(
                    self.organization, list(indicators), filters, percentiles=False
                )
            for (filters, bucket), indicators in self._trends_wanted.items():
                self._trends[(filters, bucket)] = engine.series_many(
                    self.organization, list(indicators), filters, bucket=bucket, percentiles=False
                )

    def value(self, filters: Filters, indicator: str) -> Any:
        return self._values[filters][indicator]

    def trend(self, filters: Filters, bucket: str, indicator: str) -> list[tuple[date, Any]]:
        return list(self._trends[(filters, bucket)][indicator])


@dataclass
class ObjectivePlan:
    """An objective's filters (its period and scope, the member's choices, the member's scope) and trend."""

    objective: Objective
    filters: Filters
    trend_filters: Filters
    bucket: str


def objective_plan(
    request: MemberRequest, objective: Objective, chosen: dict[str, Any], today: date
) -> ObjectivePlan:
    filters = engine.objective_filters(objective, today)
    # The member's own choices narrow what the objective leaves open (an objective for one branch keeps it).
    extra = {name: ids for name, ids in chosen.items() if not getattr(filters, name)}
    filters = restrict_to_scope(filters.replace(**extra), request.membership)
    lookback, bucket = TREND.get(objective.period, TREND[Period.MONTH])
    trend_filters = filters.replace(start=max(filters.end - lookback, date(2000, 1, 1)))
    return ObjectivePlan(objective, filters, trend_filters, bucket)


def objective_card(request: MemberRequest, plan: ObjectivePlan, figures: Figures) -> Card:
    scope = request.membership
    objective, filters = plan.objective, plan.filters
    value = figures.value(filters, objective.indicator)
    previous = figures.value(filters.previous(), objective.indicator)
    if objective.branch:
        scope_parts = [str(objective.branch)]
    elif scope.sees_whole_organization:
        scope_parts = [_("Whole organisation")]
    else:
        # The objective is the organisation's; the figure is the member's part of it.
        scope_parts = [_("Your own results") if scope.is_agent else _("Your branches and teams")]
    if objective.channel:
        scope_parts.append(str(objective.channel))
    points = figures.trend(plan.trend_filters, plan.bucket, objective.indicator)
    return Card(
        title=objective.title,
        indicator=objective.indicator,
        indicator_label=str(objective.get_indicator_display()),
        value=value,
        value_text=show(value),
        n=value.denominator,
        url=indicator_url(objective.indicator, filters, scope),
        status=engine.status(value, objective),
        target_text=target_text(objective),
        change=delta(
            value, previous, lower_is_better=objective.comparison in {Comparison.LTE, Comparison.LT}
        ),
        trend=str(
            sparkline(
                [point.value for _day, point in points],
                title=objective.title,
                labels=[day.isoformat() for day, _point in points],
            )
        ),
        scope_text=" · ".join(scope_parts),
        previous=previous,
        period_text=str(PERIOD_SO_FAR.get(objective.period, PERIOD_SO_FAR[Period.MONTH]))
        % {"start": date_format(filters.start, "SHORT_DATE_FORMAT")},
    )


def _overdue_context(request: MemberRequest) -> dict[str, Any]:
    """The improvement app's overdue actions, once it offers them."""
    try:
        get_template("improvement/partials/overdue.html")
        from momentos.improvement import selectors as improvement_selectors
    except (TemplateDoesNotExist, ImportError):
        return {}
    overdue = getattr(improvement_selectors, "overdue_actions", None)
    if overdue is None:
        return {}
    count = getattr(improvement_selectors, "overdue_count", None)
    return {
        "overdue_template": "improvement/partials/overdue.html",
        "overdue_actions": overdue(request.membership),
        "overdue_total": count(request.membership) if count is not None else None,
    }


@member_required(Capability.READ_INSIGHT)
def overview(request: MemberRequest) -> HttpResponse:
    organization, scope = request.organization, request.membership
    form = InsightFilterForm(request.GET, scope=scope)
    filters = form.filters()
    chosen = form.chosen_ids()
    query = form.query()

    objectives = list(
        scoped_queryset(Objective, scope=scope)
        .select_related("branch", "channel")
        .order_by("indicator", "title")
    )
    # A chosen branch or channel shows the objectives that concern it (and the organisation-wide ones).
    if chosen.get("branch_ids"):
        objectives = [o for o in objectives if o.branch_id is None or o.branch_id in chosen["branch_ids"]]
    if chosen.get("channel_ids"):
        objectives = [o for o in objectives if o.channel_id is None or o.channel_id in chosen["channel_ids"]]
    plans = [objective_plan(request, objective, chosen, form.today) for objective in objectives]
    figures = Figures(organization)
    figures.want(filters, KEY_INDICATORS)
    figures.want(filters.previous(), KEY_INDICATORS)
    for plan in plans:
        figures.want(plan.filters, [plan.objective.indicator])
        figures.want(plan.filters.previous(), [plan.objective.indicator])
        figures.want_trend(plan.trend_filters, plan.bucket, plan.objective.indicator)
    figures.fetch()
    cards = [objective_card(request, plan, figures) for plan in plans]
    current: dict[str, Any] = {code: figures.value(filters, code) for code in KEY_INDICATORS}
    previous: dict[str, Any] = {code: figures.value(filters.previous(), code) for code in KEY_INDICATORS}
    labels = dict(Indicator.choices)
    key_cards = [
        Card(
            title=str(labels[code]),
            indicator=code,
            indicator_label=str(labels[code]),
            value=current[code],
            value_text=show(current[code]),
            n=current[code].denominator,
            url=indicator_url(code, filters, scope),
            status="not_enough" if current[code].value is not None and not current[code].enough else "",
            change=delta(current[code], previous[code], lower_is_better=code in LOWER_IS_BETTER),
            previous=previous[code],
        )
        for code in KEY_INDICATORS
    ]

    unit_labels = {"percent": _("percent"), "score": _("score"), "seconds": _("seconds")}
    objective_table = Table(
        "objectives",
        _("Objectives"),
        [
            Column("objective", _("Objective")),
            Column("indicator", _("Indicator")),
            Column("scope", _("Scope")),
            Column("value", _("Value"), SCORE),
            Column("unit", _("Unit")),
            Column("target", _("Target")),
            Column("status", _("Status")),
            Column("n", _("Based on"), INTEGER),
            Column("previous", _("Previous period"), SCORE),
        ],
        query=query,
    )
    for card in cards:
        objective_table.add(
            {
                "objective": card.title,
                "indicator": card.indicator_label,
                "scope": card.scope_text,
                "value": card.value.value,
                "unit": unit_labels.get(card.value.unit, card.value.unit),
                "target": card.target_text,
                "status": card.status_label,
                "n": card.n,
                "previous": card.previous.value if card.previous is not None else None,
            },
            links={"value": card.url},
            formats={"value": value_format(card.value), "previous": value_format(card.value)},
        )
    indicator_table = Table(
        "indicators",
        _("Indicators of the selection"),
        [
            Column("indicator", _("Indicator")),
            Column("value", _("Value"), SCORE),
            Column("unit", _("Unit")),
            Column("n", _("Based on"), INTEGER),
            Column("previous", _("Previous period"), SCORE),
        ],
        query=query,
    )
    for card in key_cards:
        indicator_table.add(
            {
                "indicator": card.title,
                "value": card.value.value,
                "unit": unit_labels.get(card.value.unit, card.value.unit),
                "n": card.n,
                "previous": previous[card.indicator].value,
            },
            links={"value": card.url},
            formats={"value": value_format(card.value), "previous": value_format(card.value)},
        )
    exported = export_response(
        request, [indicator_table, objective_table], page="overview", period=form.period_label()
    )
    if exported is not None:
        return exported

    return render(
        request,
        "insight/overview.html",
        {
            "form": form,
            "filters": filters,
            "cards": cards,
            "key_cards": key_cards,
            "has_objectives": bool(objectives) or Objective.objects.for_organization(organization).exists(),
            "objective_table": objective_table,
            "indicator_table": indicator_table,
            "can_design": scope.can(Capability.DESIGN_PROTOCOL),
            "is_agent": scope.is_agent,
            **_overdue_context(request),
        },
    )


# The service cycle map --------------------------------------------------------------------------------


def band(score: Any) -> str:
    """The colour band of a combined moment score 0–100 (the number is always shown beside it)."""
    if score is None:
        return "none"
    if score >= 80:
        return "good"
    if score >= 60:
        return "fair"
    return "poor"


BAND_LABELS = {
    "good": gettext_lazy("Good (80 or more)"),
    "fair": gettext_lazy("Fair (60 to 79)"),
    "poor": gettext_lazy("Poor (under 60)"),
    "none": gettext_lazy("No data"),
}


@dataclass
class MapMoment:
    moment: Moment
    score: Any
    rating: Any
    rating_text: str
    standard: Any
    checklist: Any
    band: str
    worst: bool
    url: str

    @property
    def alert_class(self) -> str:
        return {"poor": "alert-error", "fair": "alert-warning"}.get(self.band, "alert-info")

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band])

    @property
    def score_text(self) -> str:
        return "—" if self.score is None else format_value(self.score, SCORE)

    @property
    def standard_text(self) -> str:
        return show(self.standard)

    @property
    def checklist_text(self) -> str:
        return show(self.checklist)


def _rating_of(score: Any) -> tuple[Any, str]:
    """The moment rating of a MomentScore: (mean 1–5 or None, text)."""
    mean = getattr(score, "rating_mean", None)
    if mean is None:
        return None, "—"
    return mean, format_value(mean, SCORE) + " / 5"


def _weakest_cycle(
    organization: Any, filters: Filters, cycles: list[ServiceCycle]
) -> tuple[ServiceCycle, Any]:
    """The cycle whose weakest moment scores lowest (the first cycle when none has data), and its scores."""
    best: tuple[Any, ServiceCycle, Any] | None = None
    for cycle in cycles:
        scores = engine.moment_scores(organization, filters, cycle=cycle)
        lowest = min((s.score for s in scores if s.score is not None), default=None)
        if lowest is not None and (best is None or lowest < best[0]):
            best = (lowest, cycle, scores)
    if best is None:
        return cycles[0], None
    return best[1], best[2]


def _chosen_cycle(
    request: MemberRequest, cycles: list[ServiceCycle], filters: Filters
) -> tuple[ServiceCycle | None, Any, str]:
    """The cycle asked for by ``?cycle=``; by default the one with the weakest moment (where to look first)."""
    wanted = (request.GET.get("cycle") or "").strip()
    if not cycles:
        return None, None, ""
    for cycle in cycles:
        if wanted and str(cycle.pk) == wanted:
            return cycle, None, ""
    cycle, scores = _weakest_cycle(request.organization, filters, cycles)
    error = _("That service cycle does not exist; showing the one with the weakest moment.") if wanted else ""
    return cycle, scores, error


@member_required(Capability.READ_INSIGHT)
def cycle_map(request: MemberRequest) -> HttpResponse:
    organization, scope = request.organization, request.membership
    form = InsightFilterForm(request.GET, scope=scope, exclude=("channel", "moment"))
    cycles = list(
        ServiceCycle.objects.for_organization(organization)
        .select_related("channel")
        .order_by("channel__kind")
    )
    filters = form.filters()
    with rollups.reads_refreshed_once(organization):
        cycle, scores, cycle_error = _chosen_cycle(request, cycles, filters)
        if cycle is not None and scores is None:
            scores = engine.moment_scores(organization, filters, cycle=cycle)
    moments: list[MapMoment] = []
    worst: MapMoment | None = None
    table = Table(
        "moments",
        _("Moments of truth"),
        [
            Column("position", _("Order"), INTEGER),
            Column("moment", _("Moment of truth")),
            Column("score", _("Score (0–100)"), SCORE),
            Column("rating", _("Customer rating (1–5)"), SCORE),
            Column("standards", _("Standard compliance"), PERCENT),
            Column("checklist", _("Checklist compliance"), PERCENT),
        ],
    )
    if cycle is not None:
        # The cycle's moments already say which channel; no channel filter, so that answers without
        # one (a QR code's) still rate their moment.
        table.query = form.query(cycle=str(cycle.pk))
        by_moment = {s.moment.pk: s for s in scores or ()}
        cycle_moments = list(
            Moment.objects.for_organization(organization).filter(cycle=cycle).order_by("position")
        )
        for moment in cycle_moments:
            score = by_moment.get(moment.pk)
            combined = getattr(score, "score", None)
            mean, rating_text = _rating_of(score)
            item = MapMoment(
                moment=moment,
                score=combined,
                rating=mean,
                rating_text=rating_text,
                standard=getattr(score, "standard_compliance", None),
                checklist=getattr(score, "checklist_compliance", None),
                band=band(combined),
                worst=bool(getattr(score, "is_worst", False)),
                url=reverse("insight:moment_detail", kwargs={"pk": moment.pk}) + "?" + form.query(),
            )
            moments.append(item)
            if item.worst:
                worst = item
        for index, item in enumerate(moments, start=1):
            table.add(
                {
                    "position": index,
                    "moment": item.moment.name,
                    "score": item.score,
                    "rating": item.rating,
                    "standards": getattr(item.standard, "value", None),
                    "checklist": getattr(item.checklist, "value", None),
                },
                links={"moment": item.url},
            )
    exported = export_response(request, [table], page="cycle-map", period=form.period_label())
    if exported is not None:
        return exported
    return render(
        request,
        "insight/map.html",
        {
            "form": form,
            "cycles": cycles,
            "cycle": cycle,
            "cycle_error": cycle_error,
            "moments": moments,
            "worst": worst,
            "table": table,
            "bands": [(key, BAND_LABELS[key]) for key in ("good", "fair", "poor", "none")],
            "switch_links": [(c, "?" + form.query(cycle=str(c.pk))) for c in cycles],
            "hidden": {"cycle": str(cycle.pk)} if cycle else {},
            "clear_url": f"?cycle={cycle.pk}" if cycle else "?",
            "can_design": scope.can(Capability.DESIGN_PROTOCOL),
        },
    )


def _zone(organization: Any) -> ZoneInfo:
    try:
        return ZoneInfo(organization.time_zone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _comments(scope: Any, moment: Moment, filters: Filters, limit: int = 20) -> list[Any]:
    """Customers' words about ``moment`` in the period: free text of responses about it, follow-ups of its rating."""
    from momentos.surveys.choices import QuestionKind
    from momentos.surveys.models import Answer

    qs = Answer.objects.for_organization(scope.organization_id).filter(response__flagged_staff=False)
    if scope.is_agent:
        qs = qs.filter(response__interaction__agent_id=scope.user_id)
    else:
        qs = qs.visible_to(scope)
    about = (Q(kind=QuestionKind.FREE_TEXT) & Q(response__moment=moment) & ~Q(text="")) | (
        Q(kind=QuestionKind.MOMENT_RATING) & Q(question__moment=moment) & ~Q(followup_text="")
    )
    zone = _zone(moment.organization)
    qs = qs.filter(about).filter(
        response__submitted_at__gte=datetime.combine(filters.start, time.min, tzinfo=zone),
        response__submitted_at__lt=datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=zone),
    )
    for name, column in (("branch_ids", "response__branch_id"), ("team_ids", "response__team_id")):
        ids = [i for i in getattr(filters, name) if i != NOTHING]
        if ids:
            qs = qs.filter(**{f"{column}__in": ids})
    agent_ids = [i for i in filters.agent_ids if i != NOTHING]
    if agent_ids:
        qs = qs.filter(response__interaction__agent_id__in=agent_ids)
    return list(qs.select_related("response", "response__branch").order_by("-response__submitted_at")[:limit])


def _verbatims_url(form: InsightFilterForm, moment: Moment) -> str:
    """Every comment about the moment, on the comments page, when it exists."""
    try:
        base = reverse("insight:verbatims")
    except NoReverseMatch:
        return ""
    return base + "?" + form.query(moment=str(moment.pk), channel=str(moment.cycle.channel_id))


@member_required(Capability.READ_INSIGHT)
def moment_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    organization, scope = request.organization, request.membership
    moment = object_get_for_scope(
        Moment, scope=scope, pk=pk, queryset=Moment.objects.select_related("cycle__channel")
    )
    form = InsightFilterForm(request.GET, scope=scope, exclude=("channel", "moment"))
    filters = form.filters().replace(moment_ids=(moment.pk,))
    query = form.query()
    with rollups.reads_refreshed_once(organization):
        scores = engine.moment_scores(organization, filters.replace(moment_ids=()), cycle=moment.cycle)
        results = dict(engine.breakdown(organization, Indicator.STANDARD_COMPLIANCE, filters, by="standard"))
    score = next((s for s in scores if s.moment.pk == moment.pk), None)
    standards = list(moment.standards.order_by("name"))
    table = Table(
        "standards",
        _("Service standards"),
        [
            Column("standard", _("Standard")),
            Column("threshold", _("Threshold")),
            Column("met", _("Met"), INTEGER),
            Column("missed", _("Missed"), INTEGER),
            Column("compliance", _("Compliance"), PERCENT),
        ],
        query=query,
        empty_message=_("This moment has no service standards yet."),
    )
    can_attend = scope.can(Capability.ATTEND)
    for standard in standards:
        value = results.get(standard.pk)
        met = int(value.numerator) if value is not None else 0
        applicable = value.denominator if value is not None else 0
        threshold = (
            f"{dict(Comparison.choices).get(standard.comparison, '')} {format_value(standard.threshold, SCORE)} "
            f"{standard.get_unit_display()}"
            if standard.threshold is not None
            else "—"
        )
        link = interactions_url(filters) if can_attend and applicable else ""
        table.add(
            {
                "standard": standard.name,
                "threshold": threshold,
                "met": met,
                "missed": applicable - met,
                "compliance": value.value if value is not None else None,
            },
            links={"met": link, "missed": link, "compliance": link},
        )
    exported = export_response(request, [table], page="moment", period=form.period_label())
    if exported is not None:
        return exported
    mean, rating_text = _rating_of(score)
    combined = getattr(score, "score", None)
    standard_value = getattr(score, "standard_compliance", None)
    checklist_value = getattr(score, "checklist_compliance", None)
    return render(
        request,
        "insight/map_moment.html",
        {
            "form": form,
            "moment": moment,
            "score": combined,
            "score_text": "—" if combined is None else format_value(combined, SCORE),
            "band": band(combined),
            "band_label": BAND_LABELS[band(combined)],
            "rating_text": rating_text,
            "standard_text": show(standard_value),
            "checklist_text": show(checklist_value),
            "table": table,
            "comments": _comments(scope, moment, filters),
            "rating_n": getattr(score, "rating_n", 0),
            "rating_url": responses_url(filters, kind="moment_rating")
            if getattr(score, "rating_n", 0)
            else "",
            "standard_n": standard_value.denominator if standard_value is not None else 0,
            "checklist_n": checklist_value.denominator if checklist_value is not None else 0,
            "interactions_url": interactions_url(filters) if can_attend else "",
            "map_url": reverse("insight:cycle_map") + "?" + form.query(cycle=str(moment.cycle_id)),
            "comments_url": _verbatims_url(form, moment),
        },
    )
