"""Improvement actions through the API: list with filters, read, raise, update; errors in the envelope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from momentos.accounts import services as account_services
from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import admin_of, make_branch, make_member
from momentos.improvement.choices import ActionStatus
from momentos.improvement.models import ImprovementAction
from momentos.improvement.tests.factories import make_action
from momentos.protocols.tests.factories import make_version, published_protocol, quality_manager_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/improvement-actions"


@pytest.fixture
def api(org: Any) -> Client:
    _token, key = account_services.api_token_create(organization=org, created_by=admin_of(org).user, name="t")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_list_is_the_organisations_with_filters(org: Any, other_org: Any, api: Client) -> None:
    branch = make_branch(org)
    make_action(org, title="Late", due_date=date(2020, 1, 1), branch=branch)
    make_action(org, title="Proposal", status=ActionStatus.PROPOSED, owner=None, due_date=None)
    make_action(other_org, title="Foreign")
    body = api.get(URL).json()
    assert sorted(a["title"] for a in body["items"]) == ["Late", "Proposal"]
    assert [a["title"] for a in api.get(URL, {"overdue": "true"}).json()["items"]] == ["Late"]
    assert [a["title"] for a in api.get(URL, {"status": "proposed"}).json()["items"]] == ["Proposal"]
    assert [a["title"] for a in api.get(URL, {"branch_id": str(branch.pk)}).json()["items"]] == ["Late"]
    bad = api.get(URL, {"status": "nope"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_parameters"


def test_create_an_open_action_with_owner_by_e_mail(org: Any, api: Client) -> None:
    owner = make_member(org, role=Role.SUPERVISOR)
    version = published_protocol(org, quality_manager_of(org))
    response = api.post(
        URL,
        {
            "title": "Greet by name",
            "owner_email": owner.user.email.upper(),
            "due_date": "2026-06-01",
            "closing_version_id": str(version.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open"
    assert body["owner_id"] == str(owner.user_id)
    assert body["closing_version_id"] == str(version.pk)
    assert ImprovementAction.objects.for_organization(org).get().title == "Greet by name"


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"due_date": "2026-06-01"}, "owner_required"),
        ({"owner_email": "nobody@example.test", "due_date": "2026-06-01"}, "owner_not_member"),
        ({"status": "done"}, "validation_error"),
    ],
)
def test_create_refusals_are_in_the_envelope(org: Any, api: Client, extra: dict[str, Any], code: str) -> None:
    response = api.post(URL, {"title": "X", **extra}, content_type="application/json")
    assert response.status_code in {400, 422}
    assert response.json()["error"]["code"] == code
    assert not ImprovementAction.objects.exists()


def test_a_foreign_or_draft_version_is_refused(org: Any, other_org: Any, api: Client) -> None:
    admin = admin_of(org)
    for version in (published_protocol(other_org, quality_manager_of(other_org)), make_version(org)):
        response = api.post(
            URL,
            {
                "title": "X",
                "owner_id": str(admin.user_id),
                "due_date": "2026-06-01",
                "closing_version_id": str(version.pk),
            },
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "version_not_published"


def test_update_fields_and_close(org: Any, api: Client) -> None:
    action = make_action(org)
    response = api.patch(
        f"{URL}/{action.pk}", {"title": "Renamed", "status": "done"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Renamed"
    assert response.json()["closed_at"] is not None
    refused = api.patch(f"{URL}/{action.pk}", {"status": "in_progress"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_transition"


def test_accept_a_proposal_in_one_request(org: Any, api: Client) -> None:
    proposal = make_action(org, status=ActionStatus.PROPOSED, owner=None, due_date=None)
    admin = admin_of(org)
    response = api.patch(
        f"{URL}/{proposal.pk}",
        {"status": "open", "owner_id": str(admin.user_id), "due_date": "2026-07-01"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"
    assert response.json()["due_date"] == "2026-07-01"


def test_another_organisations_action_is_404(org: Any, other_org: Any, api: Client) -> None:
    foreign = make_action(other_org)
    assert api.get(f"{URL}/{foreign.pk}").status_code == 404
    response = api.patch(f"{URL}/{foreign.pk}", {"title": "Mine now"}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_list_takes_a_fixed_number_of_queries(
    org: Any, api: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        make_action(org)
    with django_assert_max_num_queries(6) as few:
        api.get(URL)
    for _ in range(10):
        make_action(org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(URL).json()["items"]) == 13
