"""Reads of the surveys app: lists for staff pages, the survey an interaction gets, public token look-ups."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from momentos.attention.models import Interaction, MomentReached
from momentos.core.models import Scope
from momentos.surveys.models import Alert, Choice, QrCode, Question, Survey, SurveyLink, SurveyVersion
from momentos.surveys.tokens import hash_token, looks_like_token


def survey_list(*, scope: Scope, search: str = "") -> QuerySet[Survey]:
    qs = Survey.objects.visible_to(scope).annotate(response_count=Count("versions__responses"))
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("name")


def version_questions(version: SurveyVersion) -> list[Question]:
    """The questions of a version in order, with their options, in two queries."""
    return list(
        version.questions.select_related("moment")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position")))
        .order_by("position")
    )


def survey_for_interaction(interaction: Interaction) -> Survey | None:
    """The active survey whose triggers match the interaction; the most specific one wins."""
    moment_ids = list(
        MomentReached.objects.filter(interaction=interaction).values_list("moment_id", flat=True)
    )
    candidates = (
        Survey.objects.for_organization(interaction.organization_id)
        .filter(is_active=True, versions__isnull=False)
        .filter(Q(surveychannel__isnull=True) | Q(surveychannel__channel_id=interaction.channel_id))
        .filter(Q(surveybranch__isnull=True) | Q(surveybranch__branch_id=interaction.branch_id))
        .filter(Q(surveymoment__isnull=True) | Q(surveymoment__moment_id__in=moment_ids))
        .annotate(
            specificity=Count("surveychannel", distinct=True)
            + Count("surveybranch", distinct=True)
            + Count("surveymoment", distinct=True)
        )
        .distinct()
        .order_by("specificity", "created_at")
    )
    # The survey with the most matching triggers is the most specific one.
    found = list(candidates)
    if not found:
        return None
    return max(found, key=lambda s: s.specificity)


def link_get_by_token(raw: str) -> SurveyLink | None:
    """The link a public token opens (any organisation: the token itself is the key), or None."""
    if not looks_like_token(raw):
        return None
    return (
        SurveyLink.objects.select_related("version__survey", "interaction", "interaction__branch")
        .filter(token_hash=hash_token(raw))
        .first()
    )


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
