"""A survey is attached to an interaction when it closes, whichever way it closes (console, API, import)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from momentos.accounts.tests.factories import make_branch
from momentos.attention import console
from momentos.attention.choices import Outcome
from momentos.attention.services import IngestRow, interactions_ingest
from momentos.attention.tests.factories import at, channel_of, make_cycle_for, make_interaction
from momentos.surveys import selectors, services
from momentos.surveys.choices import ResponseSource
from momentos.surveys.models import SurveyLink
from momentos.surveys.tests.factories import expire, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def phone_cycle(org: Any) -> None:
    make_cycle_for(channel_of(org), "Welcome", "Goodbye")


def test_closing_in_the_console_attaches_one_link_of_the_matching_survey(org: Any, admin: Any) -> None:
    branch = make_branch(org)
    make_survey(org, name="Elsewhere", branches=[make_branch(org)])
    here = make_survey(org, name="Here", branches=[branch])
    interaction = console.attention_start(
        organization=org, agent=admin.user, branch=branch, channel=channel_of(org), reason="Card"
    )
    assert not SurveyLink.objects.filter(interaction=interaction).exists()

    console.attention_close(interaction=interaction, outcome=Outcome.RESOLVED)

    link = SurveyLink.objects.get(interaction=interaction)
    assert link.version.survey == here and link.source == ResponseSource.LINK and link.used_at is None


def test_the_console_shows_the_attached_link_which_opens_the_survey(
    org: Any, admin: Any, admin_client: Any
) -> None:
    make_survey(org, name="Everyone")
    branch = make_branch(org)
    interaction = console.attention_start(
        organization=org, agent=admin.user, branch=branch, channel=channel_of(org), reason="Card"
    )
    page = admin_client.post(
        reverse("attention:console_close", kwargs={"pk": interaction.pk}),
        {"outcome": "resolved", "contacts": 1},
        follow=True,
    )
    link = SurveyLink.objects.get(interaction=interaction)  # the console reused it: still one link
    url = services.link_url(link)
    assert url in page.content.decode() and "<svg" in page.content.decode()
    assert admin_client.get(url).status_code == 200


def test_ingesting_closed_interactions_attaches_links_to_the_closed_ones_only(org: Any) -> None:
    branch = make_branch(org)
    make_survey(org, channels=[channel_of(org)])
    started = at(2026, 3, 2, 9, 0)
    rows = [
        IngestRow(
            index=0,
            branch=str(branch.pk),
            channel="phone",
            started_at=started,
            external_id="a",
            closed_at=started + timedelta(minutes=5),
            outcome=Outcome.RESOLVED,
        ),
        IngestRow(index=1, branch=str(branch.pk), channel="phone", started_at=started, external_id="b"),
        IngestRow(
            index=2,
            branch=str(branch.pk),
            channel="email",
            started_at=started,
            external_id="c",
            closed_at=started + timedelta(minutes=5),
            outcome=Outcome.RESOLVED,
        ),
    ]
    report = interactions_ingest(organization=org, rows=rows)
    assert report.count("created") == 3, report.errors

    linked = set(SurveyLink.objects.values_list("interaction__external_id", flat=True))
    assert linked == {"a"}  # "b" is still open, "c" came on a channel the survey does not cover

    interactions_ingest(organization=org, rows=rows)  # the same batch again: unchanged, no new link
    assert SurveyLink.objects.count() == 1


def test_a_used_or_expired_attached_link_is_replaced_when_the_console_asks_again(org: Any) -> None:
    make_survey(org)
    interaction = make_interaction(org, closed_at=at(2026, 3, 2, 10, 0), outcome=Outcome.RESOLVED)
    first, _svg = services.survey_link_for_interaction(interaction)
    assert services.survey_link_for_interaction(interaction)[0] == first
    expire(SurveyLink.objects.get(interaction=interaction))
    assert services.survey_link_for_interaction(interaction)[0] != first
    assert SurveyLink.objects.filter(interaction=interaction).count() == 2


def test_a_link_url_is_rebuilt_from_its_signed_token_and_re_signed_after_a_key_change(org: Any) -> None:
    link, raw = services.link_create(interaction=make_interaction(org), survey=make_survey(org))
    assert services.link_raw_token(link) == raw
    assert selectors.link_get_by_token(raw) == link
    with override_settings(SECRET_KEY="another-secret-key-" + "x" * 40):
        assert selectors.link_get_by_token(raw) == link  # a sent link survives the rotation...
        renewed = services.link_raw_token(link)
        link.refresh_from_db()
        assert renewed != raw and services.link_raw_token(link) == renewed
        assert selectors.link_get_by_token(renewed) == link
        assert selectors.link_get_by_token(raw) is None  # ...until its URL is written again


def test_a_tampered_signed_token_opens_nothing(org: Any, client: Any) -> None:
    _link, raw = services.link_create(interaction=make_interaction(org), survey=make_survey(org))
    tampered = raw[:-2] + ("AA" if raw[-2:] != "AA" else "BB")
    page = client.get(reverse("surveys_public:respond", kwargs={"token": tampered}))
    assert page.status_code == 404
