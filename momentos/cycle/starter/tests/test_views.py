"""The starter kit page: who may use it, what it shows, and what a click does."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.cycle.models import ServiceCycle
from momentos.protocols.models import Document

URL = reverse("cycle:starter_apply")


@pytest.fixture
def designer_client(make_member_of: Any, member_client: Any) -> Any:
    return member_client(make_member_of(Role.QUALITY_MANAGER))


def test_anonymous_visitors_are_sent_to_log_in(client: Any) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
def test_members_who_cannot_design_get_a_404(
    org: Any, make_member_of: Any, member_client: Any, role: str
) -> None:
    client = member_client(make_member_of(role))

    assert client.get(URL).status_code == 404
    assert client.post(URL, {"language": "es"}).status_code == 404
    assert ServiceCycle.objects.for_organization(org).count() == 0


def test_the_page_shows_what_will_be_created(designer_client: Any) -> None:
    response = designer_client.get(URL)

    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan["cycles"] == 4 and plan["protocols"] == 8
    body = response.content.decode()
    assert "What will be created" in body
    assert 'value="es"' in body and 'value="en"' in body
    assert "disabled" not in body


def test_confirming_applies_the_kit_in_the_chosen_language_and_goes_to_the_overview(
    org: Any, designer_client: Any
) -> None:
    response = designer_client.post(URL, {"language": "en"})

    assert response.status_code == 302
    assert response["Location"] == reverse("cycle:design_overview")
    assert ServiceCycle.objects.for_organization(org).count() == 4
    assert set(Document.objects.for_organization(org).values_list("language", flat=True)) == {"en"}
    followed = designer_client.get(response["Location"])
    assert "The starter kit is in place" in followed.content.decode()


def test_a_second_click_is_refused_with_a_message_and_nothing_is_duplicated(
    org: Any, designer_client: Any
) -> None:
    designer_client.post(URL, {"language": "es"})
    documents = Document.objects.for_organization(org).count()

    page = designer_client.get(URL)
    response = designer_client.post(URL, {"language": "es"})

    assert "already has" in page.content.decode() and "disabled" in page.content.decode()
    assert response.status_code == 409
    assert "only fills an empty design" in response.content.decode()
    assert Document.objects.for_organization(org).count() == documents
    assert ServiceCycle.objects.for_organization(org).count() == 4


@pytest.mark.parametrize("data", [{}, {"language": "fr"}, {"language": "<script>"}])
def test_a_missing_or_unknown_language_is_a_form_error(org: Any, designer_client: Any, data: Any) -> None:
    response = designer_client.post(URL, data)

    assert response.status_code == 400
    assert response.context["form"].errors["language"]
    assert ServiceCycle.objects.for_organization(org).count() == 0


def test_applying_in_one_organisation_leaves_the_other_untouched(
    org: Any, other_org: Any, designer_client: Any
) -> None:
    designer_client.post(URL, {"language": "es"})

    assert ServiceCycle.objects.for_organization(org).count() == 4
    assert ServiceCycle.objects.for_organization(other_org).count() == 0
    assert Document.objects.for_organization(other_org).count() == 0
