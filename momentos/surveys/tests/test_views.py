"""Staff pages: role guards, designing questions, QR downloads, the link generator and scoped alerts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import make_branch
from momentos.attention.tests.factories import make_interaction
from momentos.surveys.models import Survey, SurveyLink
from momentos.surveys.tests.factories import make_link, make_qr_code, make_response, make_survey

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_log_in(client: Any) -> None:
    response = client.get(reverse("surveys:survey_list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
def test_only_designers_reach_survey_pages(
    org: Any, make_member_of: Any, member_client: Any, role: str
) -> None:
    survey = make_survey(org)
    client = member_client(make_member_of(role))
    for url in (
        reverse("surveys:survey_list"),
        reverse("surveys:survey_create"),
        reverse("surveys:survey_questions", kwargs={"pk": survey.pk}),
        reverse("surveys:survey_qr_codes", kwargs={"pk": survey.pk}),
    ):
        assert client.get(url).status_code == 404, url


def test_agents_do_not_see_alerts(org: Any, make_member_of: Any, member_client: Any) -> None:
    assert member_client(make_member_of(Role.AGENT)).get(reverse("surveys:alert_list")).status_code == 404


def test_quality_manager_creates_a_survey_and_its_questions(
    org: Any, make_member_of: Any, member_client: Any
) -> None:
    client = member_client(make_member_of(Role.QUALITY_MANAGER))
    created = client.post(reverse("surveys:survey_create"), {"name": "After the visit", "is_active": "on"})
    survey = Survey.objects.for_organization(org).get(name="After the visit")
    assert created["Location"] == reverse("surveys:survey_questions", kwargs={"pk": survey.pk})
    form = {
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-0-kind": "nps",
        "questions-0-text_es": "¿Nos recomendaría?",
        "questions-0-text_en": "Would you recommend us?",
        "questions-0-required": "on",
        "questions-0-followup_es": "¿Qué salió mal?",
        "questions-1-kind": "single_choice",
        "questions-1-text_es": "¿Cómo nos encontró?",
        "questions-1-choices_es": "Internet\nUn amigo",
    }
    saved = client.post(reverse("surveys:survey_questions", kwargs={"pk": survey.pk}), form)
    assert saved.status_code == 302
    questions = list(survey.current_version.questions.order_by("position"))
    assert [q.kind for q in questions] == ["nps", "single_choice"]
    assert [c.text_es for c in questions[1].choices.all()] == ["Internet", "Un amigo"]
    page = client.get(reverse("surveys:survey_questions", kwargs={"pk": survey.pk}))
    assert "¿Nos recomendaría?" in page.content.decode()


def test_a_choice_question_without_options_is_a_form_error(org: Any, admin_client: Any) -> None:
    survey = make_survey(org)
    form = {
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-kind": "multiple_choice",
        "questions-0-text_es": "¿Qué le gustó?",
    }
    response = admin_client.post(reverse("surveys:survey_questions", kwargs={"pk": survey.pk}), form)
    assert response.status_code == 200
    assert "at least two options" in response.content.decode()


def test_preview_shows_the_questions_and_records_nothing(org: Any, admin_client: Any) -> None:
    survey = make_survey(org)
    page = admin_client.get(reverse("surveys:survey_preview", kwargs={"pk": survey.pk}) + "?lang=en")
    assert "Would you recommend us to a friend?" in page.content.decode()
    assert "not recorded" in page.content.decode()


def test_qr_codes_download_as_png_and_svg(org: Any, admin_client: Any) -> None:
    code = make_qr_code(org)
    png = admin_client.get(reverse("surveys:qr_code_png", kwargs={"pk": code.pk}))
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = admin_client.get(reverse("surveys:qr_code_svg", kwargs={"pk": code.pk}))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    assert "attachment" in svg["Content-Disposition"]


def test_qr_poster_is_a_pdf_in_the_branch_language(org: Any, admin_client: Any) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    code = make_qr_code(org, branch=make_branch(org, name="Norte", language="en"))
    poster = admin_client.get(reverse("surveys:qr_code_pdf", kwargs={"pk": code.pk}))
    assert poster["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(poster.content)).pages[0].extract_text()
    assert "How did we do today?" in text
    assert "Norte" in text and code.token in text.replace("\n", "")


def test_creating_a_branch_qr_code_from_the_page(org: Any, admin_client: Any) -> None:
    survey = make_survey(org)
    branch = make_branch(org, name="Centro")
    url = reverse("surveys:survey_qr_codes", kwargs={"pk": survey.pk})
    assert admin_client.post(url, {"branch": branch.pk}).status_code == 302
    page = admin_client.get(url).content.decode()
    assert "Centro" in page and "<svg" in page


def test_agent_generates_a_link_for_their_interaction(
    org: Any, make_member_of: Any, member_client: Any
) -> None:
    make_survey(org)
    agent = make_member_of(Role.AGENT)
    interaction = make_interaction(org, agent=agent.user)
    client = member_client(agent)
    url = reverse("surveys:interaction_link", kwargs={"pk": interaction.pk})
    assert client.get(url).status_code == 200
    assert not SurveyLink.objects.exists()  # opening the page creates nothing
    page = client.post(url, {}).content.decode()
    assert "http://testserver/s/" in page and "<svg" in page
    assert SurveyLink.objects.filter(interaction=interaction).count() == 1
    someone_elses = make_interaction(org)
    assert client.get(reverse("surveys:interaction_link", kwargs={"pk": someone_elses.pk})).status_code == 404


def test_branch_supervisor_sees_their_alert_and_another_branch_supervisor_does_not(
    org: Any, make_member_of: Any, member_client: Any
) -> None:
    link = make_link(org)
    alert = make_response(org, link=link, scores=(2, 4)).alerts.get()
    mine = member_client(make_member_of(Role.SUPERVISOR, branches=[link.interaction.branch]))
    other = member_client(make_member_of(Role.SUPERVISOR, branches=[make_branch(org)]))
    detail = reverse("surveys:alert_detail", kwargs={"pk": alert.pk})
    assert mine.get(detail).status_code == 200
    assert str(alert.pk) in mine.get(reverse("surveys:alert_list")).content.decode()
    assert other.get(detail).status_code == 404
    assert str(alert.pk) not in other.get(reverse("surveys:alert_list")).content.decode()


def test_closing_a_follow_up_needs_an_outcome(org: Any, admin_client: Any) -> None:
    alert = make_response(org, scores=(1, 1)).alerts.first()
    url = reverse("surveys:alert_detail", kwargs={"pk": alert.pk})
    data = {"due_date": "2030-01-10", "status": "done", "outcome": "", "notes": ""}
    assert admin_client.post(url, data).status_code == 200
    alert.follow_up.refresh_from_db()
    assert alert.follow_up.status == "open"
    assert admin_client.post(url, {**data, "outcome": "resolved"}).status_code == 302
    alert.follow_up.refresh_from_db()
    assert (alert.follow_up.status, alert.follow_up.outcome) == ("done", "resolved")


def test_branch_supervisors_get_an_alert_email(
    org: Any, make_member_of: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    link = make_link(org)
    mine = make_member_of(Role.SUPERVISOR, branches=[link.interaction.branch])
    make_member_of(Role.SUPERVISOR, branches=[make_branch(org)])
    with django_capture_on_commit_callbacks(execute=True):
        make_response(org, link=link, scores=(3, 2))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [mine.user.email]
    assert str(link.interaction.branch) in mailoutbox[0].subject


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_alert_and_survey_lists_do_not_grow_queries_with_rows(org: Any, admin_client: Any) -> None:
    make_response(org, scores=(1, 1))
    make_survey(org)
    alerts_one, surveys_one = (
        _queries(admin_client, reverse("surveys:alert_list")),
        _queries(admin_client, reverse("surveys:survey_list")),
    )
    for _ in range(3):
        make_response(org, scores=(2, 2))
    assert _queries(admin_client, reverse("surveys:alert_list")) == alerts_one
    assert _queries(admin_client, reverse("surveys:survey_list")) == surveys_one
