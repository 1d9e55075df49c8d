"""Rollup upkeep: what marks a partition, what a refresh and a rebuild write, and that bulk runs refresh once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django_tasks import task

from momentos.accounts import services as account_services
from momentos.accounts.choices import ChannelKind
from momentos.accounts.models import Branch, Organization
from momentos.accounts.tests.factories import make_branch, make_organization, make_team
from momentos.attention import hooks
from momentos.attention.choices import Outcome
from momentos.attention.models import Interaction
from momentos.attention.tests.factories import channel_of, make_interaction
from momentos.cycle.choices import Indicator
from momentos.insight import engine, rollups, tasks
from momentos.insight.filters import Filters
from momentos.insight.models import InteractionRollup, RollupDirty, SurveyRollup
from momentos.insight.tests.factories import make_scored_version
from momentos.surveys.choices import ResponseSource
from momentos.surveys.services import AnswerData, response_submit

pytestmark = pytest.mark.django_db

BOGOTA = ZoneInfo("America/Bogota")
WEEK = Filters(start=date(2026, 3, 2), end=date(2026, 3, 8))


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def dirty(org: Any) -> set[tuple[Any, date]]:
    return set(RollupDirty.objects.for_organization(org).values_list("branch_id", "day"))


def closed(org: Any, branch: Any, *, started: datetime, seconds: int = 600, **fields: Any) -> Interaction:
    return make_interaction(
        org,
        branch=branch,
        started_at=started,
        closed_at=started + timedelta(seconds=seconds),
        outcome=fields.pop("outcome", Outcome.RESOLVED),
        **fields,
    )


def bulk_closed(org: Any, branch: Any, starts: list[datetime]) -> list[Interaction]:
    """Interactions written without model signals, the way the bulk API and imports write them."""
    rows = [
        Interaction(
            organization=org,
            branch=branch,
            channel=channel_of(org),
            started_at=start,
            closed_at=start + timedelta(minutes=5),
            outcome=Outcome.RESOLVED,
        )
        for start in starts
    ]
    return Interaction.objects.bulk_create(rows)


@pytest.fixture
def org() -> Any:
    return make_organization()


@pytest.fixture
def branch(org: Any) -> Any:
    branch = make_branch(org, time_zone="America/Bogota")
    account_services.opening_hours_replace(branch=branch, spans=[(d, time(9), time(17)) for d in range(5)])
    return branch


def test_closing_marks_the_local_day_and_a_refresh_writes_it(org: Any, branch: Any) -> None:
    rows = bulk_closed(org, branch, [bog(2026, 3, 2, 23, 0), bog(2026, 3, 3, 8, 0)])
    assert dirty(org) == set()
    hooks.send_interactions_closed(rows)
    # 23:00 in Bogotá is already the 3rd in UTC: the partition is the local day.
    assert dirty(org) == {(branch.pk, date(2026, 3, 2)), (branch.pk, date(2026, 3, 3))}
    assert rollups.refresh(org) == 2
    assert dirty(org) == set()
    assert sorted(
        InteractionRollup.objects.for_organization(org)
        .filter(moment__isnull=True)
        .values_list("day", "closed")
    ) == [(date(2026, 3, 2), 1), (date(2026, 3, 3), 1)]


def test_an_open_interaction_marks_nothing_until_it_closes(org: Any, branch: Any) -> None:
    interaction = make_interaction(org, branch=branch, started_at=bog(2026, 3, 2, 10, 0))
    assert dirty(org) == set()
    interaction.closed_at = bog(2026, 3, 2, 10, 30)
    interaction.outcome = Outcome.RESOLVED
    interaction.save()
    assert dirty(org) == {(branch.pk, date(2026, 3, 2))}
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).value == Decimal("100.00")
    assert dirty(org) == set()  # the read refreshed what was pending


def test_a_submitted_response_marks_its_day(org: Any, branch: Any) -> None:
    version = make_scored_version(org)
    response_submit(
        version=version,
        answers={q.pk: AnswerData(value=5) for q in version.questions.all()},
        source=ResponseSource.QR,
        language="es",
        branch=branch,
    )
    assert len(dirty(org)) == 1
    rollups.refresh(org)
    assert SurveyRollup.objects.for_organization(org).get(kind="csat").n == 1


def test_refresh_replaces_the_partition_and_leaves_others(org: Any, branch: Any) -> None:
    first = closed(org, branch, started=bog(2026, 3, 2, 10, 0))
    closed(org, branch, started=bog(2026, 3, 4, 10, 0))
    rollups.refresh(org)
    # A change written without signals is not seen until its partition is marked.
    Interaction.objects.filter(pk=first.pk).update(outcome=Outcome.UNRESOLVED)
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).value == Decimal("100.00")
    rollups.mark_dirty(org, [(branch.pk, date(2026, 3, 2))])
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).value == Decimal("50.00")
    assert InteractionRollup.objects.for_organization(org).filter(moment__isnull=True).count() == 2


def test_first_response_seconds_are_filled_kept_and_reset(org: Any, branch: Any) -> None:
    # Friday 16:30 to Monday 9:30 is one business hour.
    interaction = closed(
        org,
        branch,
        started=bog(2026, 3, 6, 16, 30),
        seconds=4 * 86400,
        first_response_at=bog(2026, 3, 9, 9, 30),
    )
    rollups.refresh(org)
    interaction.refresh_from_db()
    assert interaction.first_response_seconds == 3600
    # A value a bulk writer stored is what the rollups sum.
    Interaction.objects.filter(pk=interaction.pk).update(first_response_seconds=100)
    rollups.mark_dirty(org, [(branch.pk, date(2026, 3, 6))])
    assert engine.compute(org, Indicator.FIRST_RESPONSE_TIME, WEEK).value == Decimal("100.00")
    # Moving the first response through the model computes it again.
    interaction.refresh_from_db()
    interaction.first_response_at = bog(2026, 3, 6, 16, 40)
    interaction.save()
    assert engine.compute(org, Indicator.FIRST_RESPONSE_TIME, WEEK).value == Decimal("600.00")
    interaction.refresh_from_db()
    assert interaction.first_response_seconds == 600


def test_rebuild_equals_the_raw_rows_and_clears_stale_rows(org: Any, branch: Any) -> None:
    closed(org, branch, started=bog(2026, 3, 2, 10, 0), first_response_at=bog(2026, 3, 2, 10, 5))
    closed(org, branch, started=bog(2026, 3, 3, 10, 0), outcome=Outcome.ESCALATED)
    rollups.refresh(org)
    Interaction.objects.for_organization(org).filter(outcome=Outcome.ESCALATED).update(
        outcome=Outcome.RESOLVED
    )
    InteractionRollup.objects.create(organization=org, branch=branch, day=date(2026, 3, 5), closed=7)
    counts = rollups.rebuild(org)
    assert counts["interaction"] == 2
    for indicator in engine.INTERACTION_INDICATORS:
        assert engine.compute(org, indicator, WEEK) == engine.compute(org, indicator, WEEK, source="raw")
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).value == Decimal("100.00")


def test_rebuild_touches_only_its_organisation(org: Any, branch: Any) -> None:
    other = make_organization()
    other_branch = make_branch(other, time_zone="America/Bogota")
    closed(other, other_branch, started=bog(2026, 3, 2, 10, 0))
    rollups.refresh(other)
    closed(org, branch, started=bog(2026, 3, 2, 10, 0))
    rollups.rebuild(org)
    assert InteractionRollup.objects.for_organization(other).count() == 1
    assert engine.compute(other, Indicator.RESOLUTION_RATE, WEEK).denominator == 1


def test_a_deleted_team_leaves_its_partitions_recomputed(org: Any, branch: Any) -> None:
    team = make_team(org)
    closed(org, branch, started=bog(2026, 3, 2, 10, 0), team=team)
    rollups.refresh(org)
    team.delete()
    by_team = engine.breakdown(org, Indicator.RESOLUTION_RATE, WEEK, by="team")
    assert [k for k, _v in by_team] == [None]
    assert by_team == engine.breakdown(org, Indicator.RESOLUTION_RATE, WEEK, by="team", source="raw")


def test_a_branch_moved_to_another_time_zone_is_recomputed(org: Any, branch: Any) -> None:
    closed(org, branch, started=bog(2026, 3, 2, 21, 0))  # 02:00 on the 3rd in UTC
    rollups.refresh(org)
    tuesday = WEEK.replace(start=date(2026, 3, 3), end=date(2026, 3, 3))
    assert engine.compute(org, Indicator.RESOLUTION_RATE, tuesday).value is None
    branch.time_zone = "UTC"
    branch.save()
    assert engine.compute(org, Indicator.RESOLUTION_RATE, tuesday).denominator == 1
    assert engine.compute(org, Indicator.RESOLUTION_RATE, tuesday, source="raw").denominator == 1


def test_a_deleted_branch_leaves_nothing_behind(org: Any, branch: Any) -> None:
    closed(org, branch, started=bog(2026, 3, 2, 10, 0))
    rollups.refresh(org)
    branch.delete()
    assert InteractionRollup.objects.for_organization(org).count() == 0


def test_several_moments_are_read_from_the_raw_rows(org: Any, branch: Any) -> None:
    from momentos.attention.models import MomentReached
    from momentos.attention.tests.factories import make_cycle_for

    one, two = make_cycle_for(channel_of(org, ChannelKind.PHONE), "One", "Two")
    interaction = closed(org, branch, started=bog(2026, 3, 2, 10, 0))
    for moment in (one, two):
        MomentReached.objects.create(
            organization=org, interaction=interaction, moment=moment, reached_at=interaction.started_at
        )
    both = WEEK.replace(moment_ids=(one.pk, two.pk))
    assert engine.compute(org, Indicator.RESOLUTION_RATE, both).denominator == 1
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK.replace(moment_ids=(two.pk,))).denominator == 1


class RecomputeCounter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.partitions: list[tuple[Any, date]] = []
        original = rollups.recompute

        def counting(organization: Any, keys: Any) -> None:
            keys = list(keys)
            self.partitions.extend(keys)
            original(organization, keys)

        monkeypatch.setattr(rollups, "recompute", counting)


def test_without_deferral_each_commit_refreshes(
    org: Any, branch: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    counter = RecomputeCounter(monkeypatch)
    for _batch in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            hooks.send_interactions_closed(bulk_closed(org, branch, [bog(2026, 3, 2, 10, 0)]))
    assert counter.partitions == [(branch.pk, date(2026, 3, 2))] * 3


def test_a_deferred_run_refreshes_each_partition_once(
    org: Any, branch: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    counter = RecomputeCounter(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True), tasks.upkeep_deferred():
        for batch in range(5):
            starts = [bog(2026, 3, 2 + day, 10, batch) for day in range(3)]
            hooks.send_interactions_closed(bulk_closed(org, branch, starts))
        assert counter.partitions == []
    assert sorted(counter.partitions) == [(branch.pk, date(2026, 3, d)) for d in (2, 3, 4)]
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).denominator == 15


@task()
def bulk_batches(*, organization_id: str, branch_id: str, batches: int) -> None:
    """A stand-in for an import job: several batches sent closed, inside one background task."""
    org = Organization.objects.get(pk=organization_id)
    branch = Branch.objects.get(pk=branch_id)
    for batch in range(batches):
        hooks.send_interactions_closed(
            bulk_closed(org, branch, [bog(2026, 3, 2, 10, batch), bog(2026, 3, 3, 10, 0)])
        )


def test_a_background_task_of_many_batches_refreshes_once_at_its_end(
    org: Any, branch: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    counter = RecomputeCounter(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        bulk_batches.enqueue(organization_id=str(org.pk), branch_id=str(branch.pk), batches=4)
    assert sorted(counter.partitions) == [(branch.pk, date(2026, 3, 2)), (branch.pk, date(2026, 3, 3))]
    assert dirty(org) == set()


def test_a_failed_refresh_keeps_the_partitions_marked(
    org: Any, branch: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def broken(organization: Any, keys: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(rollups, "recompute", broken)
    with django_capture_on_commit_callbacks(execute=True):
        hooks.send_interactions_closed(bulk_closed(org, branch, [bog(2026, 3, 2, 10, 0)]))
    assert dirty(org) == {(branch.pk, date(2026, 3, 2))}
    monkeypatch.undo()
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).denominator == 1


def test_rollups_rebuild_command(org: Any, branch: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from momentos.cli import main

    rows = bulk_closed(org, branch, [bog(2026, 3, 2, 10, 0), bog(2026, 3, 4, 10, 0)])
    assert rows and InteractionRollup.objects.for_organization(org).count() == 0
    assert main(["rollups", "rebuild", "--organization", org.slug]) == 0
    assert f"{org.slug}: rollup rows written" in capsys.readouterr().out
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).denominator == 2
    assert main(["rollups", "rebuild", "--organization", "no-such-org"]) == 2
    assert "no-such-org" in capsys.readouterr().err


def test_demo_step_rebuilds_what_bulk_writers_left(org: Any, branch: Any) -> None:
    from momentos.demo import _STEPS

    assert any(step is rollups.demo_step for _order, step in _STEPS)
    bulk_closed(org, branch, [bog(2026, 3, 2, 10, 0)])
    rollups.demo_step({"organization": org})
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).denominator == 1


def test_an_organisation_can_be_deleted_with_its_rollups(org: Any, branch: Any) -> None:
    team = make_team(org)
    closed(org, branch, started=bog(2026, 3, 2, 10, 0), team=team)
    rollups.refresh(org)
    with transaction.atomic():
        org.delete()
        connection.check_constraints()  # nothing left pointing at the deleted organisation
    assert not InteractionRollup.objects.filter(organization_id=org.pk).exists()
    assert not RollupDirty.objects.filter(organization_id=org.pk).exists()


def test_with_a_queue_a_refresh_is_enqueued_at_most_every_few_seconds(
    org: Any, branch: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    enqueued: list[str] = []
    monkeypatch.setattr(tasks, "_immediate", lambda: False)
    fake = SimpleNamespace(
        enqueue=lambda **kw: enqueued.append(kw["organization_id"]),
        module_path=tasks.refresh_rollups.module_path,
    )
    monkeypatch.setattr(tasks, "refresh_rollups", fake)
    clock = [1000.0]
    monkeypatch.setattr("time.monotonic", lambda: clock[0])
    for step in (0.0, 1.0, 2.0, 6.5):
        clock[0] = 1000.0 + step
        with django_capture_on_commit_callbacks(execute=True):
            hooks.send_interactions_closed(bulk_closed(org, branch, [bog(2026, 3, 2, 10, 0)]))
    assert enqueued == [str(org.pk), str(org.pk)]
    # What the skipped requests marked is still marked, and a read brings it in.
    assert dirty(org) == {(branch.pk, date(2026, 3, 2))}
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).denominator == 4
