"""Reads behind the analysis pages: responses and comments under the insight filters, targets, expectations.

Everything here starts from an organisation and engine ``Filters`` that the view has already narrowed
to the member's scope (``InsightFilterForm.filters()``), so an agent's filters name only themselves and
a supervisor's only their branches. Responses and comments follow the engine's rules: a response
belongs to the local date of ``submitted_at`` in its branch's time zone, staff-flagged responses never
count, and a comment is about its question's moment, else its response's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from momentos.accounts.models import Branch
from momentos.core.models import Scope
from momentos.cycle.choices import TIME_INDICATORS
from momentos.cycle.models import Expectation, MomentExpectation, Objective, ServiceCycle
from momentos.insight import engine
from momentos.insight.filters import Filters
from momentos.insight.raw import local_day_start
from momentos.protocols.sanitize import normalize_for_search
from momentos.surveys.choices import QuestionKind
from momentos.surveys.models import Answer, Response

# The score groups a responses list can be narrowed to, per scale: (lowest, highest) included.
# NPS names its groups; every scale has "top" (the engine's top answers) and "low" (its low answers).
SCORE_GROUPS: dict[str, dict[str, tuple[int, int]]] = {
    QuestionKind.NPS: {
        "promoter": (9, 10),
        "passive": (7, 8),
        "detractor": (0, 6),
        "top": (9, 10),
        "low": (0, 6),
    },
    QuestionKind.CSAT: {"top": (4, 5), "middle": (3, 3), "low": (1, 2)},
    QuestionKind.CES: {"top": (5, 7), "middle": (4, 4), "low": (1, 3)},
    QuestionKind.MOMENT_RATING: {"top": (4, 5), "middle": (3, 3), "low": (1, 2)},
}
SCORED_KINDS = tuple(SCORE_GROUPS)

# Performance (0–100) at or above which an expectation counts as well served; importance 4–5 is high.
PERFORMANCE_SPLIT = Decimal(75)
IMPORTANCE_SPLIT = Decimal("3.5")


# ---------------------------------------------------------------- filters on responses and answers


def _period_q(organization: Any, filters: Filters, *, branch_column: str, time_column: str) -> Q:
    """The period as a range of instants per branch time zone (the engine's rule for local days)."""
    branches = Branch.objects.for_organization(organization)
    if filters.branch_ids:
        branches = branches.filter(pk__in=filters.branch_ids)
    zones: dict[str, list[Any]] = defaultdict(list)
    for pk, zone in branches.values_list("pk", "time_zone"):
        zones[zone].append(pk)
    if not zones:
        return Q(pk__in=[])
    condition = Q()
    for zone, ids in zones.items():
        condition |= Q(
            **{
                f"{branch_column}__in": ids,
                f"{time_column}__gte": local_day_start(filters.start, zone),
                f"{time_column}__lt": local_day_start(filters.end + timedelta(days=1), zone),
            }
        )
    return condition


def _dimensions_q(filters: Filters, prefix: str) -> Q:
    columns = {
        "branch_ids": "branch_id",
        "channel_ids": "channel_id",
        "team_ids": "team_id",
        "agent_ids": "interaction__agent_id",
        "segment_ids": "interaction__segment_id",
    }
    condition = Q()
    for name, column in columns.items():
        ids = getattr(filters, name)
        if ids:
            condition &= Q(**{f"{prefix}{column}__in": ids})
    return condition


def _answer_moment() -> Coalesce:
    return Coalesce("question__moment_id", "response__moment_id")


def score_range(kind: str, group: str) -> tuple[int, int] | None:
    """The scores of ``group`` on ``kind``'s scale, or None when either is unknown."""
    return SCORE_GROUPS.get(kind, {}).get(group)


def responses_for(
    organization: Any, filters: Filters, *, kind: str = "", group: str = ""
) -> QuerySet[Response]:
    """Counted responses (not sent by staff) under ``filters``, newest first.

    With ``kind``, only responses that answered a question of that kind, and with ``group`` only those
    whose answer falls in the group (``kind=nps&group=detractor``). The moment filter keeps responses
    with an answer about one of the moments.
    """
    qs = Response.objects.for_organization(organization).filter(flagged_staff=False)
    qs = qs.filter(_dimensions_q(filters, ""))
    qs = qs.filter(_period_q(organization, filters, branch_column="branch_id", time_column="submitted_at"))
    answers = Answer.objects.filter(response_id=OuterRef("pk"))
    narrowed = False
    if filters.moment_ids:
        answers = answers.annotate(_moment=_answer_moment()).filter(_moment__in=filters.moment_ids)
        narrowed = True
    if kind:
        answers = answers.filter(kind=kind, value__isnull=False)
        bounds = score_range(kind, group) if group else None
        if bounds:
            answers = answers.filter(value__gte=bounds[0], value__lte=bounds[1])
        narrowed = True
    if narrowed:
        qs = qs.filter(Exists(answers))
    return qs.select_related("branch", "channel", "moment", "interaction__agent").order_by(
        "-submitted_at", "-id"
    )


# ---------------------------------------------------------------- comments (verbatims)

_FOLDS = {
    "a": "aáàâäãå",
    "c": "cç",
    "e": "eéèêë",
    "i": "iíìîï",
    "n": "nñ",
    "o": "oóòôöõ",
    "u": "uúùûü",
    "y": "yýÿ",
}


def accent_insensitive_pattern(word: str) -> str:
    """A regular expression matching ``word`` whatever its accents and case ("atencion" finds "Atención").

    Written with explicit character classes, so it means the same to PostgreSQL and to SQLite (where
    Django evaluates regular expressions in Python), without a database extension.
    """
    parts = []
    for ch in normalize_for_search(word):
        variants = _FOLDS.get(ch)
        if variants:
            parts.append("[" + variants + variants.upper() + "]")
        elif ch.isalpha():
            parts.append("[" + re.escape(ch) + re.escape(ch.upper()) + "]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def comments_for(organization: Any, filters: Filters, *, search: str = "") -> QuerySet[Answer]:
    """Answers with a customer's own words (free text, or the follow-up after a low score) under
    ``filters``, newest first, each with its response, question, moment and branch.

    ``search``: every word must appear in the comment or its follow-up, accents and case ignored.
    """
    qs = Answer.objects.for_organization(organization).filter(response__flagged_staff=False)
    qs = qs.exclude(text="", followup_text="")
    qs = qs.filter(_dimensions_q(filters, "response__"))
    qs = qs.filter(
        _period_q(
            organization, filters, branch_column="response__branch_id", time_column="response__submitted_at"
        )
    )
    qs = qs.annotate(moment_pk=_answer_moment())
    if filters.moment_ids:
        qs = qs.filter(moment_pk__in=filters.moment_ids)
    for word in normalize_for_search(search).split()[:8]:
        pattern = accent_insensitive_pattern(word)
        qs = qs.filter(Q(text__regex=pattern) | Q(followup_text__regex=pattern))
    return qs.select_related(
        "response__branch", "response__moment", "response__interaction", "question__moment"
    ).order_by("-response__submitted_at", "-response_id", "question__position")


# ---------------------------------------------------------------- targets


def visible_objectives(scope: Scope) -> list[Objective]:
    """Every Step 1 objective the member may see, read once per page."""
    return list(Objective.objects.visible_to(scope).order_by("created_at"))


def objective_for(
    scope: Scope,
    indicator: str,
    filters: Filters,
    *,
    branch_id: UUID | None = None,
    objectives: Sequence[Objective] | None = None,
) -> Objective | None:
    """The Step 1 objective whose target applies to ``indicator`` over ``filters`` (or one branch).

    The most specific first: the branch and channel chosen, then the branch, the channel, and the
    organisation-wide objective; a branch or channel is "chosen" only when exactly one is.
    ``objectives``: the member's objectives already read (``visible_objectives``), to save queries.
    """
    branch = branch_id or (filters.branch_ids[0] if len(filters.branch_ids) == 1 else None)
    channel = filters.channel_ids[0] if len(filters.channel_ids) == 1 else None
    candidates = [
        objective
        for objective in (objectives if objectives is not None else visible_objectives(scope))
        if objective.indicator == indicator
        and objective.branch_id in (None, branch)
        and objective.channel_id in (None, channel)
    ]
    for wanted in ((branch, channel), (branch, None), (None, channel), (None, None)):
        for objective in candidates:
            if (objective.branch_id, objective.channel_id) == wanted:
                return objective
    return None


def target_in_value_unit(objective: Objective | None) -> Decimal | None:
    """The target as the indicator's values are (time targets are minutes, values seconds)."""
    if objective is None:
        return None
    target = Decimal(objective.target)
    return target * 60 if objective.indicator in TIME_INDICATORS else target


# ---------------------------------------------------------------- importance vs performance


@dataclass(frozen=True)
class ExpectationPerformance:
    expectation: Expectation
    moments: Sequence[Any]  # the moments that serve it
    scores: Sequence[engine.MomentScore]  # their scores (those with data count)
    performance: Decimal | None  # mean combined score 0–100 of its moments with data
    quadrant: str  # keep | concentrate | overkill | low_priority | no_data


def quadrant_of(importance: Decimal | int, performance: Decimal | None) -> str:
    if performance is None:
        return "no_data"
    high_importance = Decimal(importance) > IMPORTANCE_SPLIT
    high_performance = performance >= PERFORMANCE_SPLIT
    if high_importance:
        return "keep" if high_performance else "concentrate"
    return "overkill" if high_performance else "low_priority"


def expectation_performance(organization: Any, filters: Filters) -> list[ExpectationPerformance]:
    """Each Step 2 expectation (of the chosen segments, if any) with the performance of its moments.

    Performance is the mean of the combined moment scores (engine.moment_scores: ratings, standard and
    checklist compliance) of the moments that serve the expectation and have data, under ``filters``.
    """
    expectations = Expectation.objects.for_organization(organization).select_related("segment")
    if filters.segment_ids:
        expectations = expectations.filter(segment_id__in=filters.segment_ids)
    expectations = expectations.order_by("-importance", "segment__position", "description")
    links = MomentExpectation.objects.for_organization(organization).select_related("moment__cycle")
    served: dict[Any, list[Any]] = defaultdict(list)
    cycles: dict[Any, ServiceCycle] = {}
    for link in links.order_by("moment__cycle__name", "moment__position"):
        served[link.expectation_id].append(link.moment)
        cycles[link.moment.cycle_id] = link.moment.cycle
    by_moment: dict[Any, engine.MomentScore] = {}
    for cycle in cycles.values():
        for score in engine.moment_scores(organization, filters, cycle=cycle):
            by_moment[score.moment.pk] = score
    result = []
    for expectation in expectations:
        moments = served.get(expectation.pk, [])
        scores = [by_moment[m.pk] for m in moments if m.pk in by_moment]
        known = [s.score for s in scores if s.score is not None]
        performance = (sum(known, Decimal(0)) / len(known)).quantize(Decimal("0.1")) if known else None
        result.append(
            ExpectationPerformance(
                expectation=expectation,
                moments=moments,
                scores=scores,
                performance=performance,
                quadrant=quadrant_of(expectation.importance, performance),
            )
        )
    return result
