"""Survey invitations by e-mail: sent through the task interface, one reminder, and an opt-out honoured."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from momentos.accounts import services as account_services
from momentos.accounts.tests.factories import admin_of, make_branch
from momentos.attention.tests.factories import make_interaction
from momentos.core.errors import DomainError
from momentos.surveys import services
from momentos.surveys.choices import ResponseSource
from momentos.surveys.models import EmailInvitation, SurveyOptOut
from momentos.surveys.tests.factories import answers_for, make_invitation, make_survey

pytestmark = pytest.mark.django_db


def links_in(body: str) -> list[str]:
    return re.findall(r"https://momentos\.example/\S+", body)


def age(invitation: EmailInvitation, days: int) -> None:
    EmailInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=days))


def test_an_invitation_mails_a_single_use_link_and_an_opt_out_link(
    org: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = make_invitation(org, email="Ana@Example.org", language="en")

    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["Ana@Example.org"]
    survey_url, opt_out_url = links_in(mailoutbox[0].body)
    assert invitation.link.source == ResponseSource.EMAIL
    assert survey_url == services.link_url(invitation.link, base_url="https://momentos.example")
    assert client.get(survey_url.removeprefix("https://momentos.example")).status_code == 200
    assert "/s/optout/" in opt_out_url and "How was your visit" in mailoutbox[0].subject


def test_one_reminder_after_the_days_and_the_address_is_then_erased(
    org: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SURVEY_REMINDER_DAYS = 3
    with django_capture_on_commit_callbacks(execute=True):
        invitation = make_invitation(org, language="en")
    first_link = links_in(mailoutbox[0].body)[0]

    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_reminders_send() == 0  # not due yet
    age(invitation, 3)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_survey_reminders")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_reminders_send() == 0  # one reminder, never two

    assert len(mailoutbox) == 2 and "reminder" in mailoutbox[1].subject.lower()
    assert links_in(mailoutbox[1].body)[0] == first_link  # the same single-use link
    invitation.refresh_from_db()
    assert invitation.reminded_at is not None and invitation.email == ""


def test_no_reminder_once_answered(
    org: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = make_invitation(org)
    link = invitation.link
    services.response_submit(
        version=link.version,
        answers=answers_for(link.version, 9, 5),
        source=link.source,
        language="es",
        link=link,
    )
    age(invitation, 10)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_reminders_send() == 0
    assert len(mailoutbox) == 1
    invitation.refresh_from_db()
    assert invitation.email == ""


def test_opening_the_opt_out_link_records_nothing_and_confirming_stops_every_e_mail(
    org: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    branch = make_branch(org)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = make_invitation(
            org,
            email="luis@example.org",
            interaction=make_interaction(org, branch=branch, customer_ref="C-77"),
        )
    opt_out_path = links_in(mailoutbox[0].body)[1].removeprefix("https://momentos.example")

    assert client.get(opt_out_path).status_code == 200
    assert not SurveyOptOut.objects.exists()  # a mail scanner following the link changes nothing
    assert client.post(opt_out_path, {"lang": "en"}).status_code == 200
    opt_out = SurveyOptOut.objects.get()
    assert opt_out.organization_id == org.pk and opt_out.customer_ref == "C-77"
    assert "luis" not in opt_out.email_hash

    age(invitation, 10)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_reminders_send() == 0  # the pending reminder is dropped
    with pytest.raises(DomainError) as refused:
        make_invitation(org, email="LUIS@example.org ")  # same address, any case
    assert refused.value.code == "opted_out"
    with pytest.raises(DomainError):
        make_invitation(
            org, email="other@example.org", interaction=make_interaction(org, customer_ref="C-77")
        )
    assert len(mailoutbox) == 1


def test_invitation_and_reminder_carry_one_click_unsubscribe_headers(
    org: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SURVEY_REMINDER_DAYS = 2
    with django_capture_on_commit_callbacks(execute=True):
        invitation = make_invitation(org, email="eva@example.org")
    age(invitation, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_reminders_send() == 1
    opt_out_url = links_in(mailoutbox[0].body)[1]
    for mail in mailoutbox:
        message = mail.message()
        assert message["List-Unsubscribe"] == f"<{opt_out_url}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mail_programs_one_click_post_records_the_opt_out_without_cookie_or_csrf_token(
    org: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = make_invitation(org, email="teo@example.org")
    header = mailoutbox[0].message()["List-Unsubscribe"]
    path = header.strip("<>").removeprefix("https://momentos.example")
    mail_program = Client(enforce_csrf_checks=True)  # no session, no CSRF cookie: what RFC 8058 sends

    answer = mail_program.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert answer.status_code == 200
    assert SurveyOptOut.objects.get().email_hash == invitation.email_hash
    invitation.refresh_from_db()
    assert invitation.email == ""  # nothing more will be sent to it
    assert mail_program.get(path).status_code == 200  # opening it again still just asks


def test_a_forged_opt_out_link_is_a_clear_page_and_stores_nothing(client: Client) -> None:
    page = client.post(reverse("surveys_public:opt_out", kwargs={"token": "eyJvIjoiMSJ9:forged:sig"}))
    assert page.status_code == 404 and not SurveyOptOut.objects.exists()


def test_an_opt_out_is_per_organisation(org: Any, other_org: Any) -> None:
    services.opt_out_record(
        organization_id=org.pk, email_hash=services.email_hash(organization_id=org.pk, email="x@example.org")
    )
    make_survey(other_org)
    assert make_invitation(other_org, email="x@example.org").pk


def test_an_interaction_is_invited_once(org: Any) -> None:
    interaction = make_interaction(org)
    make_invitation(org, interaction=interaction)
    with pytest.raises(DomainError) as refused:
        make_invitation(org, interaction=interaction)
    assert refused.value.code == "already_invited"


def test_staff_invite_from_the_interaction_page(
    org: Any, admin_client: Client, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_survey(org)
    interaction = make_interaction(org)
    url = reverse("surveys:interaction_invite", kwargs={"pk": interaction.pk})
    assert admin_client.get(url).status_code == 200

    bad = admin_client.post(url, {"email": "not an address"})
    assert bad.status_code == 400 and not EmailInvitation.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = admin_client.post(url, {"email": "eva@example.org", "language": "es"}, follow=True)
    assert sent.status_code == 200 and len(mailoutbox) == 1
    assert EmailInvitation.objects.get().language == "es"


def test_staff_of_another_organisation_cannot_invite(org: Any, other_org: Any, member_client: Any) -> None:
    interaction = make_interaction(other_org)
    client = member_client(admin_of(org))
    response = client.post(
        reverse("surveys:interaction_invite", kwargs={"pk": interaction.pk}), {"email": "a@example.org"}
    )
    assert response.status_code == 404 and not EmailInvitation.objects.exists()


@pytest.fixture
def api(org: Any) -> Client:
    _token, key = account_services.api_token_create(organization=org, created_by=admin_of(org).user, name="t")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_invite_through_the_api(
    org: Any, other_org: Any, api: Client, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_survey(org)
    interaction = make_interaction(org)
    body = {"interaction_id": str(interaction.pk), "email": "api@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/survey-invitations", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["interaction_id"] == str(interaction.pk) and len(mailoutbox) == 1

    again = api.post("/api/v1/survey-invitations", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_invited"

    foreign = {"interaction_id": str(make_interaction(other_org).pk), "email": "api@example.org"}
    assert api.post("/api/v1/survey-invitations", foreign, content_type="application/json").status_code == 404
    bad = {"interaction_id": str(make_interaction(org).pk), "email": "nope"}
    refused = api.post("/api/v1/survey-invitations", bad, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_email"
