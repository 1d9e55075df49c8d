"""The guided attention console: start an attention, tick its checklist, walk its moments, close it.

Writes (``attention_start``, ``checklist_tick``, ``moment_advance``, ``attention_close``) follow the
services rules: keyword-only, one transaction, ``DomainError`` when a rule refuses. Reads build what the
console and the supervisors' live view show, timers included.

Rules the console keeps:

- The first moment of the channel's cycle (by position) is reached when the attention starts: it is
  the customer's arrival or first contact.
- **First response** is the instant the agent first moves past that first moment (the next moment is
  reached). A cycle of a single moment has no such step, so its first response is the close — unless
  the customer abandoned, in which case nobody responded and it stays empty.
- "Next" names the moment the agent is looking at; if the attention has moved on meanwhile (a double
  click, a second tab) the request is refused as stale, so no moment is ever skipped.
- A tick is keyed by (interaction, item): sending it again stores the same row, so retries lose nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from momentos.accounts.models import Branch, Channel, Team
from momentos.attention import hooks
from momentos.attention.business_hours import (
    add_business_time,
    calendar_for_branch,
    elapsed_business_time,
    is_open,
)
from momentos.attention.choices import Outcome, TickAnswer
from momentos.attention.evaluation import SECONDS_PER_UNIT
from momentos.attention.models import ChecklistTick, Interaction, MomentReached
from momentos.attention.services import interaction_evaluate
from momentos.core.access import scoped_queryset
from momentos.core.errors import Conflict, DomainError
from momentos.cycle.choices import Comparison, StandardMetric, Unit
from momentos.cycle.models import ChecklistItem, Moment, Segment, ServiceCycle, ServiceStandard
from momentos.protocols.models import DocumentBlock

# Metrics the console can time live; the others (contacts, ratings) are not a clock.
TIMED_METRICS = frozenset(
    {
        StandardMetric.FIRST_RESPONSE_TIME,
        StandardMetric.ATTENTION_TIME,
        StandardMetric.WAIT_TIME,
        StandardMetric.MOMENT_DURATION,
    }
)
WARN_AT = Decimal("0.8")
LIVE_LIMIT = 200


class StaleMoment(Conflict):
    """The attention is no longer at the moment the request was made from."""

    code = "stale_moment"


class AttentionClosed(Conflict):
    """The attention is closed; the console no longer changes it."""

    code = "attention_closed"


# --- reads -----------------------------------------------------------------------------------------


def channels_for_console(*, organization: Any) -> QuerySet[Channel]:
    """Active channels whose service cycle has at least one moment: the ones an attention can run on."""
    with_moments = ServiceCycle.objects.for_organization(organization).filter(moments__isnull=False)
    return (
        Channel.objects.for_organization(organization)
        .filter(is_active=True, pk__in=with_moments.values("channel_id"))
        .order_by("kind")
    )


def branches_for_console(*, scope: Any) -> QuerySet[Branch]:
    """The active branches a member may attend in: their own, or every one for organisation-wide roles."""
    return scoped_queryset(Branch, scope=scope).filter(is_active=True).order_by("name")


def cycle_moments(*, interaction: Interaction) -> list[Moment]:
    """The moments of the interaction's channel cycle, in order."""
    return list(
        Moment.objects.for_organization(interaction.organization_id)
        .filter(cycle__channel_id=interaction.channel_id)
        .select_related("procedure__current_version")
        .order_by("position", "id")
    )


def reached_moments(*, interaction: Interaction) -> dict[Any, datetime]:
    return dict(
        MomentReached.objects.for_organization(interaction.organization_id)
        .filter(interaction=interaction)
        .values_list("moment_id", "reached_at")
    )


def current_moment_of(moments: Sequence[Moment], reached: Mapping[Any, datetime]) -> Moment | None:
    """The latest moment reached (ties broken by position): where the attention stands."""
    done = [m for m in moments if m.pk in reached]
    if not done:
        return None
    return max(done, key=lambda m: (reached[m.pk], m.position))


def next_moment_of(
    moments: Sequence[Moment], current: Moment | None, reached: Mapping[Any, Any]
) -> Moment | None:
    """The first moment after ``current`` in the cycle that has not been reached yet."""
    if current is None:
        return next((m for m in moments if m.pk not in reached), None)
    after = False
    for moment in moments:
        if moment.pk == current.pk:
            after = True
            continue
        if after and moment.pk not in reached:
            return moment
    return None


@dataclass
class Timer:
    """One standard timed on one interaction; instants are aware datetimes."""

    standard: ServiceStandard
    start: datetime
    deadline: datetime | None  # when the threshold is reached (None: the branch never opens again)
    warn: datetime | None  # 80 % of the threshold
    stopped: datetime | None  # the instant the measured interval ended, if it did
    elapsed: timedelta  # up to ``stopped`` or now, in the standard's clock
    running_now: bool  # the clock is counting now (business time: the branch is open)
    kind: str  # "max" (≤, <: must not pass) or "min" (≥, >: must reach)
    state: str  # "ok", "warn" or "over" as of now

    @property
    def elapsed_seconds(self) -> int:
        return int(self.elapsed.total_seconds())

    @property
    def elapsed_display(self) -> str:
        return duration_display(self.elapsed)


def duration_display(value: timedelta) -> str:
    """``m:ss`` or ``h:mm:ss``, as the console's timers show it (the script keeps the same format)."""
    total = max(int(value.total_seconds()), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _threshold(standard: ServiceStandard) -> timedelta | None:
    if standard.threshold is None or standard.unit not in SECONDS_PER_UNIT:
        return None
    return timedelta(seconds=float(standard.threshold * SECONDS_PER_UNIT[Unit(standard.unit)]))


def _span(
    standard: ServiceStandard,
    *,
    interaction: Interaction,
    reached: Mapping[Any, datetime],
    moments: Sequence[Moment],
) -> tuple[datetime, datetime | None] | None:
    """(start, end or None while running) of the interval a timed standard measures; None: not started."""
    started = interaction.started_at
    metric = standard.metric
    if metric == StandardMetric.FIRST_RESPONSE_TIME:
        return started, interaction.first_response_at or interaction.closed_at
    if metric == StandardMetric.ATTENTION_TIME:
        return started, interaction.closed_at
    if metric == StandardMetric.WAIT_TIME:
        return started, reached.get(standard.moment_id) or interaction.closed_at
    if metric == StandardMetric.MOMENT_DURATION:
        begin = reached.get(standard.moment_id)
        if begin is None:
            return None
        # The moment lasts until the next one is reached (ties broken by cycle position).
        position = {m.pk: m.position for m in moments}
        own = (begin, position.get(standard.moment_id, 0))
        later = [
            t for mid, t in reached.items() if mid != standard.moment_id and (t, position.get(mid, 0)) > own
        ]
        end = min(later) if later else interaction.closed_at
        return begin, end
    return None


class _Clocks:
    """Each branch's calendar, read once and only when a business-hours standard needs it."""

    def __init__(self) -> None:
        self._calendars: dict[Any, Any] = {}

    def calendar(self, branch: Branch) -> Any:
        if branch.pk not in self._calendars:
            self._calendars[branch.pk] = calendar_for_branch(branch)
        return self._calendars[branch.pk]


def _timer(
    standard: ServiceStandard,
    *,
    interaction: Interaction,
    reached: Mapping[Any, datetime],
    moments: Sequence[Moment],
    clocks: _Clocks,
    now: datetime,
) -> Timer | None:
    threshold = _threshold(standard)
    span = _span(standard, interaction=interaction, reached=reached, moments=moments)
    if threshold is None or span is None:
        return None
    start, stopped = span
    end = stopped or now
    if end < start:
        end = start
    warn_after = timedelta(seconds=threshold.total_seconds() * float(WARN_AT))
    if standard.business_hours:
        calendar = clocks.calendar(interaction.branch)
        elapsed = elapsed_business_time(calendar, start, end)
        try:
            deadline: datetime | None = add_business_time(calendar, start, threshold)
            warn: datetime | None = add_business_time(calendar, start, warn_after)
        except ValueError:
            deadline = warn = None
        running_now = stopped is None and is_open(calendar, now)
    else:
        elapsed = end - start
        deadline, warn = start + threshold, start + warn_after
        running_now = stopped is None
    kind = "min" if standard.comparison in {Comparison.GTE, Comparison.GT} else "max"
    if kind == "max":
        state = "over" if elapsed > threshold else "warn" if elapsed >= warn_after else "ok"
        if standard.comparison == Comparison.LT and elapsed == threshold:
            state = "over"
    else:
        state = "ok" if elapsed >= threshold else "warn"
    return Timer(
        standard=standard,
        start=start,
        deadline=deadline,
        warn=warn,
        stopped=stopped,
        elapsed=elapsed,
        running_now=running_now,
        kind=kind,
        state=state,
    )


def _timed_standards(*, organization_id: Any, channel_ids: Iterable[Any]) -> dict[Any, list[ServiceStandard]]:
    grouped: dict[Any, list[ServiceStandard]] = defaultdict(list)
    for standard in (
        ServiceStandard.objects.for_organization(organization_id)
        .filter(moment__cycle__channel_id__in=set(channel_ids), metric__in=TIMED_METRICS)
        .select_related("moment__cycle")
        .order_by("moment__position", "name")
    ):
        grouped[standard.moment.cycle.channel_id].append(standard)
    return grouped


def _relevant(standard: ServiceStandard, current: Moment | None) -> bool:
    """Whether the console shows this standard now: interaction-wide clocks, and the current moment's."""
    if standard.metric in {StandardMetric.FIRST_RESPONSE_TIME, StandardMetric.ATTENTION_TIME}:
        return True
    return current is not None and standard.moment_id == current.pk


def timers_for(
    *,
    interaction: Interaction,
    standards: Sequence[ServiceStandard],
    moments: Sequence[Moment],
    reached: Mapping[Any, datetime],
    current: Moment | None,
    now: datetime,
    clocks: _Clocks | None = None,
) -> list[Timer]:
    clocks = clocks or _Clocks()
    timers = []
    for standard in standards:
        if not _relevant(standard, current):
            continue
        timer = _timer(
            standard, interaction=interaction, reached=reached, moments=moments, clocks=clocks, now=now
        )
        if timer is not None:
            timers.append(timer)
    return timers


@dataclass
class ConsoleState:
    """Everything the console page shows for one interaction."""

    interaction: Interaction
    moments: list[Moment]
    reached: dict[Any, datetime]
    current: Moment | None
    next: Moment | None
    steps: list[DocumentBlock] = field(default_factory=list)
    dos: list[DocumentBlock] = field(default_factory=list)
    donts: list[DocumentBlock] = field(default_factory=list)
    checklist: list[tuple[ChecklistItem, ChecklistTick | None]] = field(default_factory=list)
    timers: list[Timer] = field(default_factory=list)
    now: datetime = field(default_factory=timezone.now)

    @property
    def position(self) -> int:
        return sum(1 for m in self.moments if m.pk in self.reached)


def console_state(*, interaction: Interaction, now: datetime | None = None) -> ConsoleState:
    """Where the attention stands: its moments, the current one's protocol, checklist and timers."""
    now = now or timezone.now()
    moments = cycle_moments(interaction=interaction)
    reached = reached_moments(interaction=interaction)
    current = current_moment_of(moments, reached)
    state = ConsoleState(
        interaction=interaction,
        moments=moments,
        reached=reached,
        current=current,
        next=next_moment_of(moments, current, reached),
        now=now,
    )
    if current is not None:
        version = current.procedure.current_version if current.procedure else None
        if version is not None:
            for block in DocumentBlock.objects.filter(version=version).order_by("kind", "position"):
                {"step": state.steps, "do": state.dos, "dont": state.donts}.get(block.kind, []).append(block)
        ticks = {
            t.item_id: t
            for t in ChecklistTick.objects.for_organization(interaction.organization_id).filter(
                interaction=interaction, item__moment=current
            )
        }
        state.checklist = [
            (item, ticks.get(item.pk))
            for item in ChecklistItem.objects.for_organization(interaction.organization_id)
            .filter(moment=current)
            .order_by("position", "id")
        ]
    standards = _timed_standards(
        organization_id=interaction.organization_id, channel_ids=[interaction.channel_id]
    ).get(interaction.channel_id, [])
    state.timers = timers_for(
        interaction=interaction,
        standards=standards,
        moments=moments,
        reached=reached,
        current=current,
        now=now,
    )
    return state


def console_interaction_queryset() -> QuerySet[Interaction]:
    return Interaction.objects.select_related("branch", "channel", "agent", "team", "segment")


def my_open_attentions(*, scope: Any) -> QuerySet[Interaction]:
    """The member's own open attentions, oldest first (the one waiting longest comes first)."""
    return (
        scoped_queryset(Interaction, scope=scope)
        .filter(agent_id=scope.user_id, closed_at__isnull=True)
        .select_related("branch", "channel")
        .order_by("started_at", "id")
    )


@dataclass
class LiveRow:
    interaction: Interaction
    current: Moment | None
    elapsed: timedelta
    timers: list[Timer]

    @property
    def elapsed_display(self) -> str:
        return duration_display(self.elapsed)

    @property
    def status(self) -> str:
        states = {t.state for t in self.timers}
        return "over" if "over" in states else "warn" if "warn" in states else "ok" if states else ""


def live_attentions(*, scope: Any, now: datetime | None = None) -> list[LiveRow]:
    """The open attentions ``scope`` may see, with where each stands and how its clocks look now.

    A fixed number of queries for any number of rows (plus one calendar per branch with a
    business-hours standard); at most ``LIVE_LIMIT`` rows, the longest-running first.
    """
    now = now or timezone.now()
    interactions = list(
        scoped_queryset(Interaction, scope=scope)
        .filter(closed_at__isnull=True)
        .select_related("branch", "channel", "agent")
        .order_by("started_at", "id")[:LIVE_LIMIT]
    )
    if not interactions:
        return []
    organization_id = scope.organization_id
    channel_ids = {i.channel_id for i in interactions}
    moments_by_channel: dict[Any, list[Moment]] = defaultdict(list)
    for moment in (
        Moment.objects.for_organization(organization_id)
        .filter(cycle__channel_id__in=channel_ids)
        .select_related("cycle")
        .order_by("position", "id")
    ):
        moments_by_channel[moment.cycle.channel_id].append(moment)
    reached: dict[Any, dict[Any, datetime]] = defaultdict(dict)
    for interaction_id, moment_id, reached_at in (
        MomentReached.objects.for_organization(organization_id)
        .filter(interaction_id__in=[i.pk for i in interactions])
        .values_list("interaction_id", "moment_id", "reached_at")
    ):
        reached[interaction_id][moment_id] = reached_at
    standards = _timed_standards(organization_id=organization_id, channel_ids=channel_ids)
    clocks = _Clocks()
    rows = []
    for interaction in interactions:
        moments = moments_by_channel.get(interaction.channel_id, [])
        current = current_moment_of(moments, reached[interaction.pk])
        rows.append(
            LiveRow(
                interaction=interaction,
                current=current,
                elapsed=max(now - interaction.started_at, timedelta()),
                timers=timers_for(
                    interaction=interaction,
                    standards=standards.get(interaction.channel_id, []),
                    moments=moments,
                    reached=reached[interaction.pk],
                    current=current,
                    now=now,
                    clocks=clocks,
                ),
            )
        )
    return rows


# --- writes ----------------------------------------------------------------------------------------


def _locked(interaction: Interaction) -> Interaction:
    """The interaction re-read under a row lock, so concurrent console requests run one after another."""
    locked = Interaction.objects.select_for_update().get(pk=interaction.pk)
    if locked.closed_at is not None:
        raise AttentionClosed(_("This attention is already closed."))
    return locked


@transaction.atomic
def attention_start(
    *,
    organization: Any,
    agent: Any,
    branch: Branch,
    channel: Channel,
    reason: str,
    segment: Segment | None = None,
    customer_ref: str = "",
    team: Team | None = None,
    now: datetime | None = None,
) -> Interaction:
    """Open an attention now and reach the first moment of the channel's cycle."""
    org_id = getattr(organization, "pk", organization)
    for thing in (branch, channel, segment, team):
        if thing is not None and thing.organization_id != org_id:
            raise DomainError(_("That choice belongs to another organisation."), code="foreign_object")
    if not branch.is_active:
        raise DomainError(_("This branch is not active."), code="inactive_branch", field="branch")
    if not channel.is_active:
        raise DomainError(_("This channel is not in use."), code="inactive_channel", field="channel")
    first = (
        Moment.objects.for_organization(org_id)
        .filter(cycle__channel=channel)
        .order_by("position", "id")
        .first()
    )
    if first is None:
        raise DomainError(
            _("The service cycle of this channel has no moments of truth yet."),
            code="no_cycle",
            field="channel",
        )
    now = now or timezone.now()
    interaction = Interaction.objects.create(
        organization_id=org_id,
        branch=branch,
        channel=channel,
        team=team,
        agent=agent,
        segment=segment,
        reason=reason.strip(),
        customer_ref=customer_ref.strip(),
        started_at=now,
    )
    MomentReached.objects.create(
        organization_id=org_id, interaction=interaction, moment=first, reached_at=now
    )
    return interaction


@transaction.atomic
def checklist_tick(
    *, interaction: Interaction, item: ChecklistItem, answer: str, now: datetime | None = None
) -> ChecklistTick:
    """Record the agent's answer to ``item``; the same answer twice stores one row, a new one replaces it."""
    if answer not in TickAnswer.values:
        raise DomainError(_("Answer yes, no or not applicable."), code="invalid_answer", field="answer")
    interaction = _locked(interaction)
    if item.organization_id != interaction.organization_id:
        raise DomainError(_("This checklist item does not exist."), code="unknown_item")
    moment_ids = reached_moments(interaction=interaction)
    if item.moment_id not in moment_ids:
        raise DomainError(
            _("This checklist item belongs to a moment the attention has not reached."), code="unknown_item"
        )
    now = now or timezone.now()
    existing = ChecklistTick.objects.filter(interaction=interaction, item=item).first()
    if existing is not None:
        if existing.answer != answer:
            existing.answer = answer
            existing.ticked_at = now
            existing.save(update_fields=["answer", "ticked_at", "updated_at"])
        return existing
    return ChecklistTick.objects.create(
        organization_id=interaction.organization_id,
        interaction=interaction,
        item=item,
        answer=answer,
        ticked_at=now,
    )


@transaction.atomic
def moment_advance(
    *, interaction: Interaction, current_moment_id: Any, now: datetime | None = None
) -> MomentReached:
    """Reach the moment after ``current_moment_id``, refusing when the attention is no longer there."""
    interaction = _locked(interaction)
    moments = cycle_moments(interaction=interaction)
    reached = reached_moments(interaction=interaction)
    current = current_moment_of(moments, reached)
    if current is None or str(current.pk) != str(current_moment_id):
        raise StaleMoment(
            _("The attention had already moved on to “%(moment)s”; nothing was skipped.")
            % {"moment": current.name if current else "—"}
        )
    following = next_moment_of(moments, current, reached)
    if following is None:
        raise DomainError(_("This is the last moment of the cycle: close the attention."), code="last_moment")
    now = now or timezone.now()
    # Reached times never go backwards, so the order of the moments is the order they were reached in.
    now = max(now, reached[current.pk])
    try:
        with transaction.atomic():
            step = MomentReached.objects.create(
                organization_id=interaction.organization_id,
                interaction=interaction,
                moment=following,
                reached_at=now,
            )
    except IntegrityError as exc:
        raise StaleMoment(_("This moment was already reached; nothing was skipped.")) from exc
    if interaction.first_response_at is None:
        interaction.first_response_at = now
        interaction.save(update_fields=["first_response_at", "updated_at"])
    return step


@transaction.atomic
def attention_close(
    *,
    interaction: Interaction,
    outcome: str,
    contacts: int = 1,
    notes: str = "",
    now: datetime | None = None,
) -> Interaction:
    """Close the attention with its outcome and evaluate it against its cycle's standards."""
    if outcome not in Outcome.values:
        raise DomainError(_("Choose how the attention ended."), code="invalid_outcome", field="outcome")
    if contacts < 1:
        raise DomainError(
            _("An attention needs at least one contact."), code="invalid_contacts", field="contacts"
        )
    interaction = _locked(interaction)
    now = max(now or timezone.now(), interaction.started_at)
    last_reached = max(reached_moments(interaction=interaction).values(), default=None)
    if last_reached is not None:
        now = max(now, last_reached)
    interaction.outcome = outcome
    interaction.contacts = contacts
    if notes.strip():
        interaction.notes = notes.strip()
    interaction.closed_at = now
    interaction.resolved_at = now if outcome == Outcome.RESOLVED else None
    if interaction.first_response_at is None and outcome != Outcome.ABANDONED:
        interaction.first_response_at = now
    interaction.save(
        update_fields=[
            "outcome",
            "contacts",
            "notes",
            "closed_at",
            "resolved_at",
            "first_response_at",
            "updated_at",
        ]
    )
    interaction_evaluate(interaction=interaction)
    hooks.send_interactions_closed([interaction])
    return interaction
