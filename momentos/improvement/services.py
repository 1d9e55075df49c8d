"""Writes of continuous improvement: raise, edit, accept, move and close actions; propose them automatically."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from momentos.accounts.models import Branch, Membership, Organization, User
from momentos.core.errors import DomainError
from momentos.cycle.models import Moment, Objective, ServiceCycle
from momentos.improvement.choices import (
    ACTIVE_STATUSES,
    CLOSED_STATUSES,
    COMMITTED_STATUSES,
    ActionSource,
    ActionStatus,
    EventKind,
)
from momentos.improvement.models import ActionEvent, ImprovementAction
from momentos.protocols.choices import VersionStatus
from momentos.protocols.models import DocumentVersion
from momentos.surveys.choices import FollowUpStatus, QuestionKind
from momentos.surveys.models import FollowUp

# A moment whose combined score (0–100) over the last WEAK_MOMENT_DAYS is below this is "weak".
WEAK_MOMENT_THRESHOLD = 70
WEAK_MOMENT_DAYS = 30
# A dismissed proposal is not proposed again for this many days.
DISMISSED_QUIET_DAYS = 30

# The moves a person may make from each status (accepting a proposal goes through action_accept).
TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.PROPOSED: frozenset({ActionStatus.OPEN, ActionStatus.DISMISSED}),
    ActionStatus.OPEN: frozenset({ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DISMISSED}),
    ActionStatus.IN_PROGRESS: frozenset({ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DISMISSED}),
    ActionStatus.DONE: frozenset({ActionStatus.OPEN}),
    ActionStatus.DISMISSED: frozenset({ActionStatus.OPEN}),
}

FIELDS = (
    "title",
    "description",
    "source",
    "objective",
    "moment",
    "follow_up",
    "branch",
    "owner",
    "due_date",
    "closing_version",
)


def _org_id(obj: Any) -> Any:
    return getattr(obj, "organization_id", None)


def is_member(organization: Any, user: User) -> bool:
    return Membership.objects.for_organization(organization).filter(user=user, is_active=True).exists()


def published_versions(organization: Any) -> Any:
    """Versions that were published (in force now or superseded since): the ones that can close an action."""
    return DocumentVersion.objects.for_organization(organization).filter(
        status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED], published_at__isnull=False
    )


def _validate(organization: Organization, data: dict[str, Any]) -> None:
    """Every reference belongs to the organisation; the owner is a member; the version was published."""
    org_id = organization.pk
    if not (data.get("title") or "").strip():
        raise DomainError(_("Give the action a title."), field="title", code="title_required")
    for name in ("objective", "moment", "follow_up", "branch"):
        ref = data.get(name)
        if ref is not None and _org_id(ref) != org_id:
            raise DomainError(_("Not found."), field=name, code="not_found")
    owner = data.get("owner")
    if owner is not None and not is_member(organization, owner):
        raise DomainError(
            _("The owner must be a member of the organisation."), field="owner", code="owner_not_member"
        )
    version = data.get("closing_version")
    if version is not None and (
        _org_id(version) != org_id or not published_versions(organization).filter(pk=version.pk).exists()
    ):
        raise DomainError(
            _("Choose a published version of one of the organisation's documents."),
            field="closing_version",
            code="version_not_published",
        )
    if data.get("source") not in ActionSource.values:
        raise DomainError(_("Choose where the action comes from."), field="source", code="invalid_source")


def _check_committed(action: ImprovementAction) -> None:
    if action.status in COMMITTED_STATUSES:
        if action.owner_id is None:
            raise DomainError(_("An open action needs an owner."), field="owner", code="owner_required")
        if action.due_date is None:
            raise DomainError(
                _("An open action needs a due date."), field="due_date", code="due_date_required"
            )


def _record(action: ImprovementAction, kind: str, actor: User | None) -> None:
    ActionEvent.objects.create(
        organization_id=action.organization_id, action=action, kind=kind, status=action.status, actor=actor
    )


def _set_closed_at(action: ImprovementAction) -> None:
    if action.status in CLOSED_STATUSES:
        action.closed_at = action.closed_at or timezone.now()
    else:
        action.closed_at = None


@transaction.atomic
def action_create(
    *,
    organization: Organization,
    created_by: User | None,
    status: str = ActionStatus.OPEN,
    **fields: Any,
) -> ImprovementAction:
    data = {name: fields.get(name) for name in FIELDS}
    data["source"] = data["source"] or ActionSource.MANUAL
    data["description"] = data["description"] or ""
    _validate(organization, data)
    if status not in {ActionStatus.PROPOSED, ActionStatus.OPEN, ActionStatus.IN_PROGRESS}:
        raise DomainError(
            _("A new action is proposed, open or in progress."), field="status", code="invalid_status"
        )
    action = ImprovementAction(organization=organization, created_by=created_by, status=status, **data)
    _check_committed(action)
    _set_closed_at(action)
    action.save()
    _record(action, EventKind.RAISED, created_by)
    return action


@transaction.atomic
def action_update(
    *, action: ImprovementAction, actor: User | None = None, **fields: Any
) -> ImprovementAction:
    """Change the given fields (any of FIELDS; ``status`` goes through action_status_set)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    data = {name: getattr(action, name) for name in FIELDS} | fields
    _validate(action.organization, data)
    changed = [name for name, value in fields.items() if getattr(action, name) != value]
    for name, value in fields.items():
        setattr(action, name, value)
    _check_committed(action)
    action.save()
    if changed:
        _record(action, EventKind.EDITED, actor)
    return action


@transaction.atomic
def action_status_set(
    *, action: ImprovementAction, status: str, actor: User | None = None
) -> ImprovementAction:
    if status not in ActionStatus.values:
        raise DomainError(_("Unknown status."), field="status", code="invalid_status")
    if status == action.status:
        return action
    if status not in TRANSITIONS[action.status]:
        raise DomainError(
            _("An action that is “%(from)s” cannot become “%(to)s”.")
            % {"from": action.get_status_display(), "to": ActionStatus(status).label},
            field="status",
            code="invalid_transition",
        )
    action.status = status
    _check_committed(action)
    _set_closed_at(action)
    action.save(update_fields=["status", "closed_at", "updated_at"])
    _record(action, EventKind.STATUS, actor)
    return action


@transaction.atomic
def action_accept(
    *, action: ImprovementAction, owner: User, due_date: date | None, actor: User | None = None
) -> ImprovementAction:
    """A proposal becomes an open action with an owner and a due date."""
    if action.status != ActionStatus.PROPOSED:
        raise DomainError(_("Only a proposal can be accepted."), code="not_a_proposal")
    if due_date is None:
        raise DomainError(_("An open action needs a due date."), field="due_date", code="due_date_required")
    if not is_member(action.organization_id, owner):
        raise DomainError(
            _("The owner must be a member of the organisation."), field="owner", code="owner_not_member"
        )
    action.owner = owner
    action.due_date = due_date
    action.status = ActionStatus.OPEN
    action.closed_at = None
    action.save(update_fields=["owner", "due_date", "status", "closed_at", "updated_at"])
    _record(action, EventKind.ACCEPTED, actor)
    return action


@transaction.atomic
def action_delete(*, action: ImprovementAction) -> None:
    action.delete()


# -- automatic proposals --------------------------------------------------------------------------


def _busy_sources(organization: Organization, today: date) -> dict[str, set[Any]]:
    """Sources that already have an active action, or a proposal dismissed recently."""
    quiet_since = timezone.now() - timedelta(days=DISMISSED_QUIET_DAYS)
    rows = (
        ImprovementAction.objects.for_organization(organization)
        .filter(Q(status__in=ACTIVE_STATUSES) | Q(status=ActionStatus.DISMISSED, closed_at__gte=quiet_since))
        .values_list("objective_id", "moment_id", "follow_up_id")
    )
    busy: dict[str, set[Any]] = {"objective": set(), "moment": set(), "follow_up": set()}
    for objective_id, moment_id, follow_up_id in rows:
        busy["objective"].add(objective_id)
        busy["moment"].add(moment_id)
        busy["follow_up"].add(follow_up_id)
    for ids in busy.values():
        ids.discard(None)
    return busy


def _propose(organization: Organization, **fields: Any) -> ImprovementAction | None:
    try:
        with transaction.atomic():
            action = ImprovementAction.objects.create(
                organization=organization, status=ActionStatus.PROPOSED, created_by=None, **fields
            )
            _record(action, EventKind.PROPOSED, None)
            return action
    except IntegrityError:  # another run proposed the same source in the meantime
        return None


def _score_of(moment_score: Any) -> Any:
    return getattr(moment_score, "score", None)


def _moment_id_of(moment_score: Any) -> Any:
    moment = getattr(moment_score, "moment", None)
    return getattr(moment, "pk", None) or getattr(moment_score, "moment_id", None)


def _format_value(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".")


def propose_actions(*, organization: Organization, today: date | None = None) -> list[ImprovementAction]:
    """Proposals from what the figures show; each source gets at most one active action.

    Sources: Step 1 objectives off target in their period to date; the weakest moment of each service
    cycle over the last WEAK_MOMENT_DAYS when its combined score is below WEAK_MOMENT_THRESHOLD; NPS
    detractor follow-ups still open after their due date.
    """
    from momentos.insight import engine
    from momentos.insight.filters import Filters

    if today is None:
        today = timezone.localdate(timezone=ZoneInfo(organization.time_zone))
    busy = _busy_sources(organization, today)
    created: list[ImprovementAction] = []
    with translation.override(organization.language or "es"):
        objectives = Objective.objects.for_organization(organization).select_related("branch")
        for objective in objectives.order_by("title"):
            if objective.pk in busy["objective"]:
                continue
            value = engine.compute(
                organization, objective.indicator, engine.objective_filters(objective, today)
            )
            if engine.status(value, objective) != "off_target":
                continue
            action = _propose(
                organization,
                title=_("Bring “%(objective)s” back on target") % {"objective": objective.title},
                description=_("%(indicator)s is %(value)s against a target of %(comparison)s %(target)s.")
                % {
                    "indicator": objective.get_indicator_display(),
                    "value": _format_value(value.value),
                    "comparison": objective.get_comparison_display(),
                    "target": _format_value(objective.target),
                },
                source=ActionSource.OBJECTIVE,
                objective=objective,
                branch=objective.branch,
            )
            if action:
                created.append(action)

        window = Filters(start=today - timedelta(days=WEAK_MOMENT_DAYS - 1), end=today)
        moments = {m.pk: m for m in Moment.objects.for_organization(organization).select_related("cycle")}
        for cycle in ServiceCycle.objects.for_organization(organization).order_by("name"):
            scored = [
                s for s in engine.moment_scores(organization, window, cycle=cycle) if _score_of(s) is not None
            ]
            if not scored:
                continue
            weakest = min(scored, key=_score_of)
            moment = moments.get(_moment_id_of(weakest))
            if moment is None or _score_of(weakest) >= WEAK_MOMENT_THRESHOLD or moment.pk in busy["moment"]:
                continue
            action = _propose(
                organization,
                title=_("Strengthen the moment “%(moment)s”") % {"moment": moment.name},
                description=_(
                    "The weakest moment of %(cycle)s over the last %(days)s days: score %(score)s of 100."
                )
                % {"cycle": cycle.name, "days": WEAK_MOMENT_DAYS, "score": _format_value(_score_of(weakest))},
                source=ActionSource.MOMENT,
                moment=moment,
            )
            if action:
                created.append(action)

        late = (
            FollowUp.objects.for_organization(organization)
            .filter(
                status__in=[FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS],
                due_date__lt=today,
                alert__kind=QuestionKind.NPS,
            )
            .exclude(pk__in=busy["follow_up"])
            .select_related("alert__branch")
            .order_by("due_date")
        )
        for follow_up in late:
            alert = follow_up.alert
            action = _propose(
                organization,
                title=_("Call back the detractor of %(branch)s") % {"branch": alert.branch.name},
                description=_(
                    "A customer scored %(score)s out of 10; the follow-up was due on %(due)s and is still open."
                )
                % {"score": alert.score, "due": follow_up.due_date.isoformat()},
                source=ActionSource.DETRACTOR,
                follow_up=follow_up,
                branch=alert.branch,
            )
            if action:
                created.append(action)
    return created


def prefill_from(
    *,
    organization: Organization,
    objective: Objective | None,
    moment: Moment | None,
    follow_up: FollowUp | None,
) -> dict[str, Any]:
    """Initial values of a new action raised by hand from an objective, a moment or a follow-up."""
    if objective is not None:
        return {
            "source": ActionSource.OBJECTIVE,
            "objective": objective,
            "branch": objective.branch,
            "title": _("Bring “%(objective)s” back on target") % {"objective": objective.title},
        }
    if moment is not None:
        return {
            "source": ActionSource.MOMENT,
            "moment": moment,
            "title": _("Strengthen the moment “%(moment)s”") % {"moment": moment.name},
        }
    if follow_up is not None:
        branch: Branch = follow_up.alert.branch
        return {
            "source": ActionSource.DETRACTOR,
            "follow_up": follow_up,
            "branch": branch,
            "title": _("Act on the detractor of %(branch)s") % {"branch": branch.name},
            "description": follow_up.alert.comment,
        }
    return {"source": ActionSource.MANUAL}
