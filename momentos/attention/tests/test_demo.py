"""The demo's three months of interactions: how many, when, where, and a waiting room that lags."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from momentos.accounts.models import Branch, Channel, Organization
from momentos.attention.choices import StandardStatus
from momentos.attention.demo import DAYS, WEAK_MOMENT
from momentos.attention.models import Interaction, MomentReached, StandardResult
from momentos.demo import load_demo

COUNT = 240


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Organization]:
    """The demo loaded once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(interactions=COUNT)
            organization = Organization.objects.get(name="Banco Horizonte")
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield organization
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_demo_generates_the_number_of_interactions_asked_for(demo: Organization) -> None:
    interactions = Interaction.objects.for_organization(demo)
    assert interactions.count() == COUNT
    # Nearly all are closed, mostly resolved; a few are under way right now.
    assert interactions.filter(closed_at__isnull=True).count() == 3
    resolved = interactions.filter(outcome="resolved").count()
    assert resolved / interactions.exclude(outcome=None).count() > 0.7


@pytest.mark.django_db
def test_demo_interactions_cover_the_last_three_months_and_never_the_future(demo: Organization) -> None:
    span = Interaction.objects.for_organization(demo).aggregate(
        first=Min("started_at"), last=Max("started_at")
    )
    now = timezone.now()
    assert span["last"] <= now
    assert span["first"] >= now - timedelta(days=DAYS + 1)
    assert span["last"] - span["first"] > timedelta(days=DAYS - 10)


@pytest.mark.django_db
def test_every_demo_interaction_is_in_a_branch_and_channel_of_the_demo_organisation(
    demo: Organization,
) -> None:
    interactions = Interaction.objects.for_organization(demo)
    branches = set(Branch.objects.for_organization(demo).values_list("pk", flat=True))
    channels = set(Channel.objects.for_organization(demo).filter(is_active=True).values_list("pk", flat=True))
    assert set(interactions.values_list("branch_id", flat=True)) <= branches
    assert set(interactions.values_list("channel_id", flat=True)) <= channels
    assert len(set(interactions.values_list("branch__time_zone", flat=True))) == 4
    assert interactions.filter(agent__isnull=True).count() == 0
    # Moments reached belong to the interaction's own channel, never before it started.
    reached = MomentReached.objects.for_organization(demo)
    assert reached.exclude(moment__cycle__channel=F("interaction__channel")).count() == 0
    assert reached.filter(reached_at__lt=F("interaction__started_at")).count() == 0


@pytest.mark.django_db
def test_branches_open_on_weekdays_and_saturday_mornings_only(demo: Organization) -> None:
    from zoneinfo import ZoneInfo

    by_day = [0] * 7
    for interaction in (
        Interaction.objects.for_organization(demo).exclude(closed_at=None).select_related("branch")
    ):
        local = interaction.started_at.astimezone(ZoneInfo(interaction.branch.time_zone))
        by_day[local.weekday()] += 1
        assert 9 <= local.hour < 18
    assert by_day[6] == 0
    assert by_day[0] > by_day[5]  # Mondays are busier than Saturdays


@pytest.mark.django_db
def test_the_waiting_room_misses_its_standard_more_than_any_other(demo: Organization) -> None:
    rows = (
        StandardResult.objects.for_organization(demo)
        .exclude(status=StandardStatus.NOT_APPLICABLE)
        .values("standard_id", "standard__moment__name")
        .annotate(total=Count("id"), missed=Count("id", filter=Q(status=StandardStatus.MISSED)))
    )
    rates = {
        (r["standard_id"], r["standard__moment__name"]): r["missed"] / r["total"]
        for r in rows
        if r["total"] >= 20
    }
    weak = [rate for (_pk, name), rate in rates.items() if name == WEAK_MOMENT]
    others = [rate for (_pk, name), rate in rates.items() if name != WEAK_MOMENT]
    assert len(weak) == 1 and others
    assert weak[0] > max(others)
