"""Survey responses through the API: submit for an interaction or a walk-in, list and read them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from momentos.accounts import services as account_services
from momentos.accounts.tests.factories import admin_of, make_branch
from momentos.attention.tests.factories import make_interaction
from momentos.surveys.models import Response
from momentos.surveys.tests.factories import make_response, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(org: Any) -> Client:
    _token, key = account_services.api_token_create(organization=org, created_by=admin_of(org).user, name="t")
    return Client(headers={"Authorization": f"Bearer {key}"})


def payload(survey: Any, **extra: Any) -> dict[str, Any]:
    nps, csat = survey.current_version.questions.order_by("position")[:2]
    return {
        "survey_id": str(survey.pk),
        "answers": [{"question_id": str(nps.pk), "value": 9}, {"question_id": str(csat.pk), "value": 4}],
        **extra,
    }


def test_submit_for_an_interaction_is_tied_to_it(org: Any, api: Client) -> None:
    survey = make_survey(org)
    interaction = make_interaction(org)
    response = api.post(
        "/api/v1/survey-responses",
        payload(survey, interaction_id=str(interaction.pk)),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["interaction_id"] == str(interaction.pk)
    assert body["branch_id"] == str(interaction.branch_id)
    assert body["source"] == "api"
    again = api.post(
        "/api/v1/survey-responses",
        payload(survey, interaction_id=str(interaction.pk)),
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_answered"


def test_out_of_range_score_is_a_400_and_stores_nothing(org: Any, api: Client) -> None:
    survey = make_survey(org)
    data = payload(survey, branch_id=str(make_branch(org).pk))
    data["answers"][0]["value"] = 42
    response = api.post("/api/v1/survey-responses", data, content_type="application/json")
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_another_organisations_survey_is_404(org: Any, other_org: Any, api: Client) -> None:
    survey = make_survey(other_org)
    data = payload(survey, branch_id=str(make_branch(org).pk))
    assert api.post("/api/v1/survey-responses", data, content_type="application/json").status_code == 404


def test_list_leaves_out_staff_responses_unless_asked(org: Any, api: Client) -> None:
    make_response(org)
    make_response(org, flagged_staff=True)
    assert api.get("/api/v1/survey-responses").json()["count"] == 1
    assert api.get("/api/v1/survey-responses?include_flagged=true").json()["count"] == 2
