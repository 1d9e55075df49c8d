"""Reads of the surveys app: lists for staff pages, the survey an interaction gets, public token look-ups."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.utils import timezone

from momentos.accounts.models import Branch
from momentos.attention.models import Interaction, MomentReached
from momentos.core.db import fixed_statement_cursor
from momentos.core.models import Scope
from momentos.surveys.models import Alert, Choice, QrCode, Question, Survey, SurveyLink, SurveyVersion
from momentos.surveys.tokens import hash_token, looks_like_token


def survey_list(*, scope: Scope, search: str = "") -> QuerySet[Survey]:
    qs = Survey.objects.visible_to(scope).annotate(response_count=Count("versions__responses"))
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("name")


# Questions of a version, per process, keyed by the version's id and last change: a version with
# answers never changes, and replacing the questions of one without answers touches ``updated_at``.
_QUESTIONS: OrderedDict[tuple[Any, Any], list[Question]] = OrderedDict()
_QUESTIONS_MAX = 256


def version_questions(version: SurveyVersion) -> list[Question]:
    """The questions of a version in order, with their options: two queries, then from memory."""
    key = (version.pk, version.updated_at)
    cached = _QUESTIONS.get(key)
    if cached is not None:
        _QUESTIONS.move_to_end(key)
        return list(cached)
    questions = list(
        version.questions.select_related("moment")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position")))
        .order_by("position")
    )
    _QUESTIONS[key] = questions
    if len(_QUESTIONS) > _QUESTIONS_MAX:
        _QUESTIONS.popitem(last=False)
    return list(questions)


def surveys_for_interactions(interactions: Sequence[Interaction]) -> dict[Any, Survey]:
    """The survey each interaction gets (by interaction id), in a fixed number of queries.

    A survey applies when, for each kind of trigger it has, the interaction matches one (channel,
    branch, a moment it reached); a survey without triggers of a kind applies to every one. Among
    those that apply, the one with the most matching triggers wins, then the oldest.
    """
    if not interactions:
        return {}
    organization_id = interactions[0].organization_id
    surveys = list(
        Survey.objects.for_organization(organization_id)
        .filter(is_active=True, versions__questions__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch("surveychannel_set", to_attr="channel_triggers"),
            Prefetch("surveybranch_set", to_attr="branch_triggers"),
            Prefetch("surveymoment_set", to_attr="moment_triggers"),
        )
        .order_by("created_at", "id")
    )
    if not surveys:
        return {}
    reached: dict[Any, set[Any]] = {i.pk: set() for i in interactions}
    for interaction_id, moment_id in MomentReached.objects.filter(
        interaction_id__in=list(reached)
    ).values_list("interaction_id", "moment_id"):
        reached[interaction_id].add(moment_id)

    chosen: dict[Any, Survey] = {}
    for interaction in interactions:
        best: tuple[int, Survey] | None = None
        for survey in surveys:
            channels = {t.channel_id for t in survey.channel_triggers}
            branches = {t.branch_id for t in survey.branch_triggers}
            moments = {t.moment_id for t in survey.moment_triggers}
            if channels and interaction.channel_id not in channels:
                continue
            if branches and interaction.branch_id not in branches:
                continue
            matched_moments = len(moments & reached[interaction.pk])
            if moments and not matched_moments:
                continue
            specificity = bool(channels) + bool(branches) + matched_moments
            if best is None or specificity > best[0]:
                best = (specificity, survey)
        if best is not None:
            chosen[interaction.pk] = best[1]
    return chosen


def survey_for_interaction(interaction: Interaction) -> Survey | None:
    """The active survey whose triggers match the interaction; the most specific one wins."""
    return surveys_for_interactions([interaction]).get(interaction.pk)


def link_reusable_for(interaction: Interaction, *, source: str) -> SurveyLink | None:
    """The interaction's newest link of this kind that can still be answered, if any."""
    return (
        SurveyLink.objects.filter(
            interaction=interaction, source=source, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("version__survey")
        .order_by("-created_at")
        .first()
    )


# The link a public token opens, with its version, survey, interaction and branch: one statement,
# written once per process. A submit waits on this read, and building it through the ORM costs
# more CPU than the customer's whole form; the objects are made with ``from_db``, as the ORM would.
_LINK_PARTS: tuple[tuple[type[Model], str, str], ...] = (
    (SurveyLink, "l", ""),
    (SurveyVersion, "v", 'JOIN {table} v ON v."id" = l."version_id"'),
    (Survey, "s", 'JOIN {table} s ON s."id" = v."survey_id"'),
    (Interaction, "i", 'JOIN {table} i ON i."id" = l."interaction_id"'),
    (Branch, "b", 'JOIN {table} b ON b."id" = i."branch_id"'),
)


@functools.cache
def _link_statement(vendor: str) -> tuple[str, tuple[tuple[type[Model], list[str], list[Any]], ...]]:
    """The statement, and per model its attribute names and each column's converters (the backend's and
    the field's, as the ORM applies them: SQLite, for one, returns times and UUIDs as text)."""
    quote = connection.ops.quote_name
    columns, joins, parts = [], [], []
    for model, alias, join in _LINK_PARTS:
        fields = model._meta.concrete_fields  # noqa: SLF001 - Django's public-in-practice API
        columns += [f"{alias}.{quote(f.column)}" for f in fields]
        table = quote(model._meta.db_table)  # noqa: SLF001
        joins.append(join.format(table=table) if join else f"{table} {alias}")
        converters = []
        for f in fields:
            col = f.get_col(alias)
            converters.append(
                (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            )
        parts.append((model, [f.attname for f in fields], converters))
    sql = f'SELECT {", ".join(columns)} FROM {" ".join(joins)} WHERE l."token_hash" = %s'  # noqa: S608 - names only
    return sql, tuple(parts)


def link_get_by_token(raw: str) -> SurveyLink | None:
    """The link a public token opens (any organisation: the token itself is the key), or None.

    Its version (and survey), interaction (and branch) come with it, as ``select_related`` would.
    """
    if not looks_like_token(raw):
        return None
    sql, parts = _link_statement(connection.vendor)
    with fixed_statement_cursor() as cursor:
        cursor.execute(sql, [hash_token(raw)])
        row = cursor.fetchone()
    if row is None:
        return None
    objects: list[Any] = []
    start = 0
    for model, names, converters in parts:
        values = list(row[start : start + len(names)])
        start += len(names)
        for i, (col, functions) in enumerate(converters):
            for convert in functions:
                values[i] = convert(values[i], col, connection)
        objects.append(model.from_db(connection.alias, names, values))
    link, version, survey, interaction, branch = objects
    version.survey = survey
    interaction.branch = branch
    link.version = version
    link.interaction = interaction
    return link


def qr_code_get_by_token(raw: str) -> QrCode | None:
    if not looks_like_token(raw):
        return None
    return (
        QrCode.objects.select_related("survey", "branch", "moment")
        .filter(token=raw, is_active=True, survey__is_active=True)
        .first()
    )


def qr_codes_for_survey(*, scope: Scope, survey: Survey) -> QuerySet[QrCode]:
    return QrCode.objects.visible_to(scope).filter(survey=survey).select_related("branch", "moment")


def alert_list(*, scope: Scope, status: str = "") -> QuerySet[Alert]:
    qs = Alert.objects.visible_to(scope).select_related(
        "branch", "team", "follow_up", "follow_up__owner", "response__interaction"
    )
    if status:
        qs = qs.filter(follow_up__status=status)
    return qs.order_by("-created_at")


def supervisor_emails_for(*, organization_id: Any, branch_id: Any, team_id: Any = None) -> list[str]:
    """E-mail addresses of the active supervisors whose scope covers the branch or the team."""
    from momentos.accounts.choices import Role
    from momentos.accounts.models import Membership

    scope = Q(membershipbranch__branch_id=branch_id) | Q(membershipteam__team__branch_id=branch_id)
    if team_id:
        scope |= Q(membershipteam__team_id=team_id)
    return sorted(
        set(
            Membership.objects.for_organization(organization_id)
            .filter(scope, role=Role.SUPERVISOR, is_active=True, user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )


def alert_context(alert: Alert) -> dict[str, Any]:
    return {"answers": list(alert.response.answers.select_related("question").order_by("question__position"))}
