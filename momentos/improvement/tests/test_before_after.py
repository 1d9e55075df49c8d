"""The indicator before and after the closing version came into force, over equal windows, by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from momentos.accounts.tests.factories import make_branch
from momentos.improvement.selectors import BeforeAfter, BeforeAfterPending, action_before_after, windows
from momentos.improvement.tests.factories import make_action
from momentos.improvement.tests.support import (
    at,
    closed_many,
    cycle_with_standards,
    resolution_objective,
    verdicts,
    version_published_at,
)

pytestmark = pytest.mark.django_db


def test_windows_are_equal_and_leave_out_today() -> None:
    # In force on 10 March, today 15 March: 10–14 March after, 5–9 March before.
    assert windows(date(2026, 3, 10), date(2026, 3, 15)) == (
        date(2026, 3, 5),
        date(2026, 3, 9),
        date(2026, 3, 10),
        date(2026, 3, 14),
        5,
    )
    assert windows(date(2026, 3, 10), date(2026, 3, 10)) is None
    # At most 90 days each side.
    assert windows(date(2026, 1, 1), date(2026, 12, 31))[4] == 90  # type: ignore[index]


@pytest.fixture
def bogota_org(org: Any) -> Any:
    org.time_zone = "America/Bogota"
    org.save()
    return org


def test_resolution_rate_of_the_objective_before_and_after(bogota_org: Any) -> None:
    org = bogota_org
    branch, elsewhere = make_branch(org), make_branch(org)
    closed_many(org, branch, at(2026, 3, 4, 10), resolved=5, unresolved=0)  # before the before window
    closed_many(org, branch, at(2026, 3, 6, 10), resolved=1, unresolved=3)  # before: 1 of 4 = 25 %
    closed_many(org, branch, at(2026, 3, 11, 10), resolved=3, unresolved=1)  # after: 3 of 4 = 75 %
    closed_many(org, elsewhere, at(2026, 3, 11, 10), resolved=0, unresolved=4)  # another branch
    closed_many(org, branch, at(2026, 3, 15, 9), resolved=0, unresolved=2)  # today: not over yet
    version = version_published_at(org, at(2026, 3, 10, 8))
    action = make_action(org, objective=resolution_objective(org, branch), closing_version=version)
    result = action_before_after(action, today=date(2026, 3, 15))
    assert isinstance(result, BeforeAfter)
    assert (result.before_start, result.before_end) == (date(2026, 3, 5), date(2026, 3, 9))
    assert (result.after_start, result.after_end) == (date(2026, 3, 10), date(2026, 3, 14))
    assert result.before == Decimal("25")
    assert result.after == Decimal("75")
    assert (result.before_n, result.after_n) == (4, 4)
    assert result.delta == Decimal("50")
    assert result.improved is True


def test_the_moment_score_before_and_after(bogota_org: Any) -> None:
    org = bogota_org
    branch = make_branch(org)
    (greeting,) = cycle_with_standards(org, "Greeting")
    verdicts(org, branch, greeting, at(2026, 3, 8, 10), met=1, missed=3)  # 25
    verdicts(org, branch, greeting, at(2026, 3, 12, 10), met=4, missed=1)  # 80
    version = version_published_at(org, at(2026, 3, 10, 8))
    action = make_action(org, moment=greeting, branch=branch, closing_version=version)
    result = action_before_after(action, today=date(2026, 3, 15))
    assert isinstance(result, BeforeAfter)
    assert (result.before, result.after) == (Decimal("25"), Decimal("80"))
    assert result.improved is True


def test_no_comparison_without_a_version_or_before_its_first_full_day(bogota_org: Any) -> None:
    org = bogota_org
    objective = resolution_objective(org)
    assert isinstance(
        action_before_after(make_action(org, objective=objective), today=date(2026, 3, 15)),
        BeforeAfterPending,
    )
    version = version_published_at(org, at(2026, 3, 15, 8))
    pending = action_before_after(
        make_action(org, objective=objective, closing_version=version), today=date(2026, 3, 15)
    )
    assert isinstance(pending, BeforeAfterPending)
    assert "first full day" in pending.reason
    unlinked = make_action(org, closing_version=version)
    assert isinstance(action_before_after(unlinked, today=date(2026, 3, 20)), BeforeAfterPending)


def test_the_detail_page_shows_both_figures(bogota_org: Any, admin_client: Any) -> None:
    org = bogota_org
    branch = make_branch(org)
    closed_many(org, branch, at(2026, 3, 6, 10), resolved=1, unresolved=3)
    closed_many(org, branch, at(2026, 3, 11, 10), resolved=3, unresolved=1)
    version = version_published_at(org, at(2026, 3, 10, 8))
    action = make_action(org, objective=resolution_objective(org, branch), closing_version=version)
    page = admin_client.get(reverse("improvement:action_detail", kwargs={"pk": action.pk})).content.decode()
    assert "Before and after" in page
    assert "Resolution rate" in page


def test_a_detractor_action_compares_the_nps_of_its_branch(bogota_org: Any) -> None:
    from momentos.insight import rollups
    from momentos.surveys.models import Response
    from momentos.surveys.tests.factories import make_follow_up, make_response

    org = bogota_org
    follow_up = make_follow_up(org)  # one detractor (NPS 2), submitted today: outside both windows
    branch = follow_up.alert.branch
    before = [make_response(org, scores=s) for s in ((2, 4), (9, 4))]  # 1 promoter, 1 detractor: NPS 0
    after = [make_response(org, scores=s) for s in ((9, 5), (10, 5), (8, 4))]  # 2 of 3 promoters: 66.67
    for responses, day in ((before, 7), (after, 12)):
        Response.objects.filter(pk__in=[r.pk for r in responses]).update(
            submitted_at=at(2026, 3, day, 12), branch=branch
        )
    rollups.rebuild(org)  # the dates were moved behind the rollups' back
    version = version_published_at(org, at(2026, 3, 10, 8))
    action = make_action(org, follow_up=follow_up, branch=branch, closing_version=version)
    result = action_before_after(action, today=date(2026, 3, 15))
    assert isinstance(result, BeforeAfter)
    assert result.label == "NPS"
    assert (result.before, result.after) == (Decimal("0"), Decimal("66.67"))
    assert (result.before_n, result.after_n) == (2, 3)


def test_a_superseded_version_is_measured_only_while_it_was_in_force(bogota_org: Any) -> None:
    from unittest import mock

    from momentos.protocols import services as protocols
    from momentos.protocols.tests.factories import quality_manager_of

    org = bogota_org
    branch = make_branch(org)
    closed_many(org, branch, at(2026, 3, 8, 10), resolved=1, unresolved=1)  # before: 50 %
    closed_many(org, branch, at(2026, 3, 11, 10), resolved=1, unresolved=0)  # in force: 100 %
    closed_many(org, branch, at(2026, 3, 13, 10), resolved=0, unresolved=3)  # the next version's day
    version = version_published_at(org, at(2026, 3, 10, 8))
    actor = quality_manager_of(org)
    with mock.patch("momentos.protocols.services.timezone.now", return_value=at(2026, 3, 13, 8)):
        draft = protocols.version_new_draft(document=version.document, actor=actor)
        protocols.version_publish(version=draft, actor=actor, change_note="Second edition.")
    version.refresh_from_db()
    action = make_action(org, objective=resolution_objective(org, branch), closing_version=version)
    result = action_before_after(action, today=date(2026, 3, 20))
    assert isinstance(result, BeforeAfter)
    assert (result.after_start, result.after_end, result.days) == (date(2026, 3, 10), date(2026, 3, 12), 3)
    assert (result.before_start, result.before_end) == (date(2026, 3, 7), date(2026, 3, 9))
    assert (result.before, result.after) == (Decimal("50"), Decimal("100"))
