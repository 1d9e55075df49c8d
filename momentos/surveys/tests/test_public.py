"""The customer's pages: opening records nothing, a submit records once, abuse is refused without storing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.attention.tests.factories import make_interaction
from momentos.surveys.models import Alert, Answer, Response, SurveyLink
from momentos.surveys.tests.factories import expire, make_link_with_token, make_qr_code, make_survey
from momentos.surveys.tokens import sign_form_start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    # Rate limits and de-duplication live in the cache; each test starts with a clean one.
    cache.clear()
    yield
    cache.clear()


def customer(**defaults: Any) -> Client:
    """A customer's browser that prefers English, so assertions read the source strings."""
    return Client(headers={"Accept-Language": "en"}, **defaults)


def url_of(token: str) -> str:
    return reverse("surveys_public:respond", kwargs={"token": token})


def form_fields(html: str) -> dict[str, str]:
    """The hidden inputs and the question fields of the page, as a customer's browser would see them."""
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', html))
    hidden.update(dict(re.findall(r'name="(started)" value="([^"]*)"', html)))
    return hidden


def filled(
    client: Client, url: str, *, nps: int = 9, csat: int = 5, ago: float = 10, **extra: str
) -> dict[str, Any]:
    """GET the page and fill it in like a person who took ``ago`` seconds."""
    import time

    html = client.get(url).content.decode()
    names = re.findall(r'name="(q_[0-9a-f-]+)"', html)
    data: dict[str, Any] = form_fields(html)
    data["started"] = sign_form_start(time.time() - ago)
    scored = list(dict.fromkeys(names))
    data[scored[0]] = str(nps)
    data[scored[1]] = str(csat)
    data.update(extra)
    return data


def test_opening_a_link_records_nothing(org: Any) -> None:
    _link, token = make_link_with_token(org)
    response = customer().get(url_of(token))
    assert response.status_code == 200
    assert "How did we do?" in response.content.decode()
    assert not Response.objects.exists()
    assert SurveyLink.objects.get().used_at is None


def test_submit_records_answers_tied_to_the_interaction(org: Any) -> None:
    interaction = make_interaction(org)
    link, token = make_link_with_token(org, interaction=interaction)
    client = customer()
    response = client.post(url_of(token), filled(client, url_of(token), nps=10, csat=4))
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.interaction == interaction
    assert stored.branch_id == interaction.branch_id
    assert stored.channel_id == interaction.channel_id
    assert stored.source == "link"
    assert not stored.flagged_staff
    assert sorted(Answer.objects.filter(response=stored).values_list("value", flat=True)) == [4, 10]
    link.refresh_from_db()
    assert link.used_at is not None


def test_same_link_again_says_already_answered(org: Any) -> None:
    _link, token = make_link_with_token(org)
    client = customer()
    data = filled(client, url_of(token))
    client.post(url_of(token), data)
    again_get = client.get(url_of(token))
    again_post = client.post(url_of(token), data)
    for page in (again_get, again_post):
        assert page.status_code == 200
        assert "already answered" in page.content.decode()
    assert Response.objects.count() == 1


def test_tampered_token_gets_a_clear_page_and_stores_nothing(org: Any) -> None:
    _link, token = make_link_with_token(org)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    client = customer()
    data = filled(client, url_of(token))
    for page in (client.get(url_of(tampered)), client.post(url_of(tampered), data)):
        assert page.status_code == 404
        assert "This link does not work" in page.content.decode()
    assert not Response.objects.exists()


def test_expired_token_gets_a_clear_page_and_stores_nothing(org: Any) -> None:
    link, token = make_link_with_token(org)
    client = customer()
    data = filled(client, url_of(token))
    expire(link)
    for page in (client.get(url_of(token)), client.post(url_of(token), data)):
        assert page.status_code == 410
        assert "This survey has closed" in page.content.decode()
    assert not Response.objects.exists()


def test_honeypot_hit_stores_nothing(org: Any) -> None:
    _link, token = make_link_with_token(org)
    client = customer()
    page = client.post(url_of(token), filled(client, url_of(token), website="http://spam.example"))
    assert page.status_code == 200
    assert not Response.objects.exists()
    assert SurveyLink.objects.get().used_at is None


def test_too_fast_submit_stores_nothing_and_asks_again(org: Any) -> None:
    _link, token = make_link_with_token(org)
    client = customer()
    page = client.post(url_of(token), filled(client, url_of(token), ago=0.5))
    assert page.status_code == 400
    assert "very quick" in page.content.decode()
    assert not Response.objects.exists()


def test_forged_start_stamp_stores_nothing(org: Any) -> None:
    _link, token = make_link_with_token(org)
    client = customer()
    page = client.post(url_of(token), filled(client, url_of(token), started="1700000000000:forged"))
    assert page.status_code == 400
    assert not Response.objects.exists()


def test_staff_session_submit_is_stored_but_flagged_and_raises_no_alert(
    org: Any, make_member_of: Any, member_client: Any
) -> None:
    _link, token = make_link_with_token(org)
    client = member_client(make_member_of(Role.AGENT))
    client.post(url_of(token), filled(client, url_of(token), nps=2, csat=1, step="followup"))
    stored = Response.objects.get()
    assert stored.flagged_staff
    assert not Alert.objects.exists()


def test_page_is_small_and_has_no_script(org: Any) -> None:
    _link, token = make_link_with_token(org)
    page = customer().get(url_of(token))
    html = page.content.decode()
    assert len(page.content) < 50 * 1024
    assert "<script" not in html
    assert 'rel="stylesheet"' not in html  # nothing else to download


def test_page_follows_the_browser_and_switches_by_link(org: Any) -> None:
    _link, token = make_link_with_token(org)
    client = customer()
    spanish = client.get(url_of(token), headers={"Accept-Language": "es-CO,es;q=0.9"}).content.decode()
    assert '<html lang="es">' in spanish
    assert "¿Nos recomendaría a un amigo?" in spanish
    english = client.get(url_of(token) + "?lang=en", headers={"Accept-Language": "es"}).content.decode()
    assert '<html lang="en">' in english
    assert "Would you recommend us to a friend?" in english


def test_scales_are_fieldsets_with_legends_and_labelled_inputs(org: Any) -> None:
    _link, token = make_link_with_token(org)
    html = customer().get(url_of(token) + "?lang=en").content.decode()
    assert html.count("<fieldset") == html.count("<legend>") >= 3
    ids = re.findall(r'<input type="radio"[^>]* id="([^"]+)"', html)
    assert ids
    for input_id in ids:
        assert f'for="{input_id}"' in html


def test_low_score_shows_the_follow_up_before_recording(org: Any) -> None:
    _link, token = make_link_with_token(org)
    client = customer()
    data = filled(client, url_of(token) + "?lang=en", nps=3, csat=4)
    first = client.post(url_of(token), data)
    assert first.status_code == 200
    assert "What went wrong?" in first.content.decode()
    assert not Response.objects.exists()
    follow_name = re.search(r'name="(f_[0-9a-f-]+)"', first.content.decode()).group(1)
    second = client.post(
        url_of(token), {**data, "step": "followup", follow_name: "Nobody answered the phone"}
    )
    assert second.status_code == 302
    answer = Answer.objects.get(kind="nps")
    assert answer.value == 3
    assert answer.followup_text == "Nobody answered the phone"


def test_missing_required_answer_is_a_form_error_not_a_500(org: Any) -> None:
    _link, token = make_link_with_token(org)
    client = customer()
    data = {k: v for k, v in filled(client, url_of(token)).items() if not k.startswith("q_")}
    page = client.post(url_of(token), data)
    assert page.status_code == 400
    assert not Response.objects.exists()


def test_out_of_range_score_is_refused(org: Any) -> None:
    _link, token = make_link_with_token(org)
    client = customer()
    page = client.post(url_of(token), filled(client, url_of(token), nps=11))
    assert page.status_code == 400
    assert not Response.objects.exists()


# --- QR codes --------------------------------------------------------------------------------


def qr_url(code: Any) -> str:
    return reverse("surveys_public:respond_qr", kwargs={"token": code.token})


def test_qr_submit_records_a_walk_in_response_for_the_branch(org: Any) -> None:
    code = make_qr_code(org)
    client = customer()
    assert client.get(qr_url(code)).status_code == 200
    assert not Response.objects.exists()
    client.post(qr_url(code), filled(client, qr_url(code)))
    stored = Response.objects.get()
    assert stored.source == "qr"
    assert stored.branch == code.branch
    assert stored.interaction is None
    assert stored.client_hash


def test_identical_qr_submit_from_the_same_client_is_counted_once(org: Any) -> None:
    code = make_qr_code(org)
    client = customer()
    data = filled(client, qr_url(code), nps=8, csat=4)
    client.post(qr_url(code), data)
    client.post(qr_url(code), data)
    assert Response.objects.count() == 1
    client.post(qr_url(code), {**data, **{k: "3" for k in data if k.startswith("q_")}, "step": "followup"})
    assert Response.objects.count() == 2


def test_flood_from_one_client_is_refused_after_the_limit(org: Any, settings: Any) -> None:
    settings.SURVEY_QR_LIMIT = (3, 3600)
    code = make_qr_code(org)
    client = customer(REMOTE_ADDR="203.0.113.7")
    statuses = []
    for score in range(6):
        data = filled(client, qr_url(code), nps=score, csat=3)
        statuses.append(client.post(qr_url(code), {**data, "step": "followup"}).status_code)
    assert statuses[:3] == [302, 302, 302]
    assert statuses[3:] == [429, 429, 429]
    assert Response.objects.count() == 3
    other = customer(REMOTE_ADDR="198.51.100.9")
    assert other.post(qr_url(code), {**filled(other, qr_url(code)), "step": "followup"}).status_code == 302


def test_unknown_qr_token_gets_a_clear_page(db: Any) -> None:
    page = customer().get(reverse("surveys_public:respond_qr", kwargs={"token": "nope-nope-nope"}))
    assert page.status_code == 404


def test_paused_survey_qr_page_is_closed(org: Any) -> None:
    survey = make_survey(org, is_active=False)
    code = make_qr_code(org, survey=survey)
    assert customer().get(qr_url(code)).status_code == 404
