"""Property: the rollups always give what the raw rows give, for every indicator, filter and grouping.

Random data sets (branches in several time zones across daylight-saving changes, channels with their
moments, standards and checklists with critical items, teams, agents, segments, open and closed
interactions, survey answers about moments and sent by staff) are written in two waves: the second
changes some rows of the first the way the application does (saves, closes, new ticks and responses).
After the incremental upkeep, and again after a full rebuild, the rollups must equal the raw rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momentos.accounts import services as account_services
from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.tests.factories import make_branch, make_member, make_organization, make_team
from momentos.attention import hooks
from momentos.attention.choices import Outcome, StandardStatus, TickAnswer
from momentos.attention.models import ChecklistTick, Interaction, MomentReached, StandardResult
from momentos.attention.tests.factories import channel_of, make_cycle_for
from momentos.cycle.choices import Indicator, StandardMetric
from momentos.cycle.models import ChecklistItem, Segment, ServiceStandard
from momentos.insight import engine, raw, rollups
from momentos.insight.filters import Filters
from momentos.insight.tests.factories import make_answers, make_scored_version

pytestmark = pytest.mark.django_db(transaction=False)

ZONES = ["America/Bogota", "Europe/Madrid", "America/Santiago", "Asia/Tokyo", "UTC"]
# Madrid moves its clocks on 29 March 2026, Santiago on 5 April: the data spans both.
ORIGIN = datetime(2026, 3, 27, tzinfo=UTC)
SPAN_MINUTES = 12 * 24 * 60
PERIOD = Filters(start=date(2026, 3, 28), end=date(2026, 4, 6))
HOURS = {
    "office": [(d, time(9), time(17)) for d in range(5)],
    "long": [(d, time(7), time(21)) for d in range(7)],
    "none": [],
}
FAMILIES = ("interaction", "survey", "standard", "checklist")
GROUPS = (None, "day", "branch", "channel", "team", "agent", "segment", "moment")

maybe_index = st.one_of(st.none(), st.integers(0, 1))


@st.composite
def interactions(draw: Any) -> dict[str, Any]:
    start = draw(st.integers(0, SPAN_MINUTES))
    is_closed = draw(st.booleans())
    return {
        "branch": draw(st.integers(0, 2)),
        "channel": draw(st.integers(0, 1)),
        "team": draw(maybe_index),
        "agent": draw(maybe_index),
        "segment": draw(maybe_index),
        "start": start,
        "closed": is_closed,
        "seconds": draw(st.integers(0, 3 * 86400)),
        "first_response": draw(st.one_of(st.none(), st.integers(0, 2 * 86400))),
        "outcome": draw(st.sampled_from(Outcome.values)),
        "contacts": draw(st.integers(1, 3)),
        "moments": draw(st.lists(st.integers(0, 1), max_size=2, unique=True)),
        "standards": draw(st.lists(st.sampled_from(StandardStatus.values), min_size=2, max_size=2)),
        "ticks": draw(st.lists(st.sampled_from([*TickAnswer.values, None]), min_size=4, max_size=4)),
        "bulk": draw(st.booleans()),
    }


@st.composite
def responses(draw: Any) -> dict[str, Any]:
    score = st.one_of(st.none(), st.integers(1, 5))
    return {
        "interaction": draw(st.one_of(st.none(), st.integers(0, 30))),
        "branch": draw(st.integers(0, 2)),
        "minute": draw(st.integers(0, SPAN_MINUTES)),
        "moment": draw(st.one_of(st.none(), st.integers(0, 3))),
        "flagged": draw(st.booleans()),
        "csat": draw(score),
        "nps": draw(st.one_of(st.none(), st.integers(0, 10))),
        "ces": draw(st.one_of(st.none(), st.integers(1, 7))),
        "ratings": draw(
            st.lists(st.tuples(st.integers(0, 3), st.integers(1, 5)), max_size=2, unique_by=lambda r: r[0])
        ),
    }


@st.composite
def datasets(draw: Any) -> dict[str, Any]:
    return {
        "zones": draw(st.lists(st.sampled_from(ZONES), min_size=3, max_size=3)),
        "hours": draw(st.lists(st.sampled_from(sorted(HOURS)), min_size=3, max_size=3)),
        "weights": draw(st.lists(st.integers(1, 3), min_size=8, max_size=8)),
        "critical": draw(st.lists(st.booleans(), min_size=8, max_size=8)),
        "first": draw(st.lists(interactions(), max_size=10)),
        "second": draw(st.lists(interactions(), max_size=6)),
        "responses_first": draw(st.lists(responses(), max_size=6)),
        "responses_second": draw(st.lists(responses(), max_size=4)),
        "changes": draw(
            st.lists(
                st.tuples(st.integers(0, 30), st.sampled_from(["outcome", "close", "tick", "flag"])),
                max_size=4,
            )
        ),
    }


@dataclass
class World:
    org: Any
    branches: list[Any]
    channels: list[Any]
    moments: list[list[Any]]  # per channel
    standards: list[list[Any]]  # per channel, one per moment
    items: list[list[Any]]  # per channel: two items per moment, moment order
    teams: list[Any]
    agents: list[Any]
    segments: list[Any]
    version: Any
    interactions: list[Interaction]
    responses: list[Any]

    @property
    def all_moments(self) -> list[Any]:
        return [m for ms in self.moments for m in ms]


def build_world(spec: dict[str, Any]) -> World:
    org = make_organization()
    branches = []
    for i, (zone, hours) in enumerate(zip(spec["zones"], spec["hours"], strict=True)):
        branch = make_branch(org, name=f"Branch {i}", time_zone=zone)
        account_services.opening_hours_replace(branch=branch, spans=HOURS[hours])
        branches.append(branch)
    channels = [channel_of(org, ChannelKind.PHONE), channel_of(org, ChannelKind.EMAIL)]
    moments = [make_cycle_for(channel, f"{channel.kind} A", f"{channel.kind} B") for channel in channels]
    standards = [
        [
            ServiceStandard.objects.create(
                organization=org, moment=m, name=f"Std {m.name}", metric=StandardMetric.WAIT_TIME, threshold=1
            )
            for m in ms
        ]
        for ms in moments
    ]
    weights, critical = iter(spec["weights"]), iter(spec["critical"])
    items = [
        [
            ChecklistItem.objects.create(
                organization=org,
                moment=m,
                position=p,
                text=f"{m.name} {p}",
                weight=next(weights),
                critical=next(critical),
            )
            for m in ms
            for p in (1, 2)
        ]
        for ms in moments
    ]
    teams = [make_team(org, branch=branches[0]), make_team(org)]
    agents = [make_member(org, role=Role.AGENT).user for _ in range(2)]
    segments = [Segment.objects.create(organization=org, name=f"Segment {i}") for i in range(2)]
    world = World(
        org,
        branches,
        channels,
        moments,
        standards,
        items,
        teams,
        agents,
        segments,
        make_scored_version(org, moments=tuple(m for ms in moments for m in ms)),
        [],
        [],
    )
    return world


def pick(options: list[Any], index: int | None) -> Any:
    return None if index is None else options[index]


def add_interactions(world: World, specs: list[dict[str, Any]]) -> None:
    bulk: list[Interaction] = []
    for spec in specs:
        started = ORIGIN + timedelta(minutes=spec["start"])
        fields = {
            "organization": world.org,
            "branch": world.branches[spec["branch"]],
            "channel": world.channels[spec["channel"]],
            "team": pick(world.teams, spec["team"]),
            "agent": pick(world.agents, spec["agent"]),
            "segment": pick(world.segments, spec["segment"]),
            "started_at": started,
            "first_response_at": None
            if spec["first_response"] is None
            else started + timedelta(seconds=spec["first_response"]),
            "closed_at": started + timedelta(seconds=spec["seconds"]) if spec["closed"] else None,
            "outcome": spec["outcome"] if spec["closed"] else None,
            "contacts": spec["contacts"],
        }
        if spec["bulk"]:
            interaction = Interaction(**fields)
            bulk.append(interaction)
        else:
            interaction = Interaction.objects.create(**fields)
        world.interactions.append(interaction)
    Interaction.objects.bulk_create(bulk)
    reached, results, ticks = [], [], []
    for spec, interaction in zip(specs, world.interactions[-len(specs) :] if specs else [], strict=True):
        channel = spec["channel"]
        for m in spec["moments"]:
            moment = world.moments[channel][m]
            reached.append(
                MomentReached(
                    organization=world.org,
                    interaction=interaction,
                    moment=moment,
                    reached_at=interaction.started_at,
                )
            )
            results.append(
                StandardResult(
                    organization=world.org,
                    interaction=interaction,
                    standard=world.standards[channel][m],
                    status=spec["standards"][m],
                    unit="minutes",
                )
            )
            for k in (0, 1):
                answer = spec["ticks"][2 * m + k]
                if answer is not None:
                    ticks.append(
                        ChecklistTick(
                            organization=world.org,
                            interaction=interaction,
                            item=world.items[channel][2 * m + k],
                            answer=answer,
                            ticked_at=interaction.started_at,
                        )
                    )
    MomentReached.objects.bulk_create(reached)
    StandardResult.objects.bulk_create(results)
    ChecklistTick.objects.bulk_create(ticks)
    # The bulk API and imports announce what they wrote closed; model saves announce themselves.
    hooks.send_interactions_closed([i for i in bulk if i.closed_at is not None])


def add_responses(world: World, specs: list[dict[str, Any]]) -> None:
    answered = {r.interaction_id for r in world.responses if r.interaction_id}
    moments = world.all_moments
    for spec in specs:
        interaction = None
        if spec["interaction"] is not None and world.interactions:
            candidate = world.interactions[spec["interaction"] % len(world.interactions)]
            if candidate.pk not in answered:
                interaction = candidate
                answered.add(candidate.pk)
        response = make_answers(
            world.version,
            submitted_at=ORIGIN + timedelta(minutes=spec["minute"]),
            branch=world.branches[spec["branch"]],
            interaction=interaction,
            moment=pick(moments, spec["moment"]),
            flagged_staff=spec["flagged"],
            csat=spec["csat"],
            nps=spec["nps"],
            ces=spec["ces"],
            ratings={moments[m]: v for m, v in spec["ratings"]},
        )
        world.responses.append(response)


def apply_changes(world: World, changes: list[tuple[int, str]]) -> None:
    for index, change in changes:
        if change == "flag" and world.responses:
            response = world.responses[index % len(world.responses)]
            response.flagged_staff = not response.flagged_staff
            response.save()
            continue
        if not world.interactions:
            continue
        interaction = world.interactions[index % len(world.interactions)]
        interaction.refresh_from_db()
        if change == "outcome":
            interaction.outcome = (
                Outcome.RESOLVED if interaction.outcome != Outcome.RESOLVED else Outcome.ESCALATED
            )
            interaction.contacts = 1 + interaction.contacts % 3
            interaction.save()
        elif change == "close" and interaction.closed_at is None:
            interaction.closed_at = interaction.started_at + timedelta(minutes=7)
            interaction.outcome = Outcome.RESOLVED
            interaction.first_response_at = interaction.started_at + timedelta(minutes=2)
            interaction.save()
        elif change == "tick":
            channel = world.channels.index(next(c for c in world.channels if c.pk == interaction.channel_id))
            item = world.items[channel][0]
            ChecklistTick.objects.filter(interaction=interaction, item=item).delete()
            ChecklistTick.objects.create(
                organization=world.org,
                interaction=interaction,
                item=item,
                answer=TickAnswer.NO,
                ticked_at=interaction.started_at,
            )


def filter_variants(world: World) -> list[Filters]:
    moments = world.all_moments
    return [
        PERIOD,
        PERIOD.replace(start=date(2026, 3, 29), end=date(2026, 3, 29)),
        PERIOD.replace(branch_ids=(world.branches[1].pk,)),
        PERIOD.replace(channel_ids=(world.channels[0].pk,)),
        PERIOD.replace(team_ids=(world.teams[0].pk,)),
        PERIOD.replace(agent_ids=(world.agents[1].pk,)),
        PERIOD.replace(segment_ids=(world.segments[0].pk,)),
        PERIOD.replace(moment_ids=(moments[0].pk,)),
        PERIOD.replace(moment_ids=(moments[1].pk, moments[2].pk)),
        PERIOD.replace(
            branch_ids=(world.branches[0].pk, world.branches[2].pk), channel_ids=(world.channels[1].pk,)
        ),
    ]


def raw_sums(family: str) -> Any:
    return {
        "interaction": raw.interaction_sums,
        "survey": raw.survey_sums,
        "standard": raw.standard_sums,
        "checklist": raw.checklist_sums,
    }[family]


def assert_rollups_equal_raw(world: World, stage: str) -> None:
    indicators = [i for i in Indicator.values if i != Indicator.TRAINING_COVERAGE]
    variants = filter_variants(world)
    for filters in variants:
        from_rollups = engine.compute_many(world.org, indicators, filters, source="rollup")
        from_raw = engine.compute_many(world.org, indicators, filters, source="raw")
        for indicator in indicators:
            assert from_rollups[indicator] == from_raw[indicator], (stage, indicator, filters)
    # Every grouping (breakdowns and series) of every family, unfiltered and within one moment.
    for filters in (variants[0], variants[7]):
        for family in FAMILIES:
            for group in GROUPS[1:]:
                got = rollups.reader(family)(world.org, filters, group=group)
                want = raw_sums(family)(world.org, filters, group=group)
                assert got == want, (stage, family, group, filters)
    standard_breakdown = engine.breakdown(world.org, Indicator.STANDARD_COMPLIANCE, PERIOD, by="standard")
    assert standard_breakdown == engine.breakdown(
        world.org, Indicator.STANDARD_COMPLIANCE, PERIOD, by="standard", source="raw"
    ), stage


class Rollback(Exception):
    pass


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(spec=datasets())
def test_rollups_equal_raw_rows(spec: dict[str, Any]) -> None:
    # Each example runs in its own savepoint, rolled back at the end, so examples never see each other.
    try:
        with transaction.atomic():
            world = build_world(spec)
            add_interactions(world, spec["first"])
            add_responses(world, spec["responses_first"])
            rollups.refresh(world.org)
            add_interactions(world, spec["second"])
            add_responses(world, spec["responses_second"])
            apply_changes(world, spec["changes"])
            assert_rollups_equal_raw(world, "incremental")
            rollups.rebuild(world.org)
            assert_rollups_equal_raw(world, "rebuild")
            raise Rollback
    except Rollback:
        pass
