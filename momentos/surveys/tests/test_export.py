"""Exporting responses (API and staff page): the files read back, filters, scoping and bad input."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from momentos.accounts import services as account_services
from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import admin_of, make_branch
from momentos.attention.tests.factories import make_interaction
from momentos.cycle.models import Segment
from momentos.surveys import services
from momentos.surveys.choices import QuestionKind, ResponseSource
from momentos.surveys.models import Response
from momentos.surveys.services import AnswerData, QuestionData
from momentos.surveys.tests.factories import make_link_with_token, make_response, make_survey

pytestmark = pytest.mark.django_db
EXPORT = "/api/v1/responses/export"


@pytest.fixture
def api(org: Any) -> Client:
    _token, key = account_services.api_token_create(organization=org, created_by=admin_of(org).user, name="t")
    return Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"})


def read_csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_xlsx(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    assert "spreadsheetml" in response["Content-Type"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def answered(
    org: Any, survey: Any, *, nps: int, csat: int, comment: str = "", **interaction: Any
) -> Response:
    link, _raw = make_link_with_token(org, survey=survey, interaction=make_interaction(org, **interaction))
    questions = list(link.version.questions.order_by("position"))
    answers = {
        questions[0].pk: AnswerData(value=nps, followup_text="Long wait" if nps <= 6 else ""),
        questions[1].pk: AnswerData(value=csat),
        questions[2].pk: AnswerData(choice_ids=[str(questions[2].choices.get(position=1).pk)]),
    }
    if comment:
        answers[questions[3].pk] = AnswerData(text=comment)
    return services.response_submit(
        version=link.version, answers=answers, source=ResponseSource.LINK, language="es", link=link
    )


def test_csv_has_a_row_per_response_and_a_column_per_question(org: Any, api: Client) -> None:
    survey = make_survey(org, name="After the visit")
    branch = make_branch(org, name="Centro")
    agent = get_user_model().objects.create_user("ana@example.org", "x" * 16, full_name="Ana Agent")
    segment = Segment.objects.create(organization=org, name="Seniors")
    good = answered(
        org,
        survey,
        nps=9,
        csat=5,
        comment="Fast",
        branch=branch,
        agent=agent,
        segment=segment,
        external_id="T-1",
    )
    bad = answered(org, survey, nps=3, csat=2, branch=branch)

    rows = read_csv(api.get(EXPORT, {"survey_id": str(survey.pk)}))

    assert [r["Response"] for r in rows] == [str(good.pk), str(bad.pk)]  # oldest first
    first, second = rows
    assert first["Interaction"] == str(good.interaction_id)
    assert first["External id"] == "T-1"
    assert first["Branch"] == "Centro"
    assert first["Agent"] == "Ana Agent"
    assert first["Customer segment"] == "Seniors"
    assert first["Channel"] and first["Source"] == "link" and first["Language"] == "es"
    assert first["Survey"] == "After the visit" and first["Version"] == "1"
    assert first["Submitted (UTC)"].endswith("Z")
    assert first["Would you recommend us to a friend?"] == "9"
    assert first["Were you satisfied?"] == "5"
    assert first["Would you come back?"] == "Yes"
    assert first["Comments"] == "Fast"
    assert second["Would you recommend us to a friend?"] == "3"
    assert second["Would you recommend us to a friend? (follow-up)"] == "Long wait"
    assert second["Comments"] == ""
    assert "Sent by staff" not in first


def test_xlsx_reads_back_with_numbers_and_dates(org: Any, api: Client) -> None:
    survey = make_survey(org)
    answered(org, survey, nps=10, csat=4, comment="Muy bien")
    rows = read_xlsx(api.get(EXPORT, {"format": "xlsx"}))
    assert len(rows) == 1
    assert rows[0]["Would you recommend us to a friend?"] == 10
    assert rows[0]["Were you satisfied?"] == 4
    assert rows[0]["Comments"] == "Muy bien"
    submitted = rows[0]["Submitted (UTC)"]
    assert abs(submitted - timezone.now().replace(tzinfo=None)) < timedelta(minutes=5)


def test_a_formula_typed_by_a_customer_is_exported_as_text(org: Any, api: Client) -> None:
    survey = make_survey(org)
    answered(org, survey, nps=9, csat=5, comment='=HYPERLINK("http://evil.example","x")')
    assert read_csv(api.get(EXPORT))[0]["Comments"].startswith("'=HYPERLINK")
    assert read_xlsx(api.get(EXPORT, {"format": "xlsx"}))[0]["Comments"].startswith("'=HYPERLINK")


def test_only_the_tokens_organisation_and_staff_flag_on_request(
    org: Any, other_org: Any, api: Client
) -> None:
    mine = make_response(org)
    flagged = make_response(org, flagged_staff=True)
    make_response(other_org)
    assert [r["Response"] for r in read_csv(api.get(EXPORT))] == [str(mine.pk)]
    rows = read_csv(api.get(EXPORT, {"include_flagged": "true"}))
    assert {r["Response"]: r["Sent by staff"] for r in rows} == {str(mine.pk): "0", str(flagged.pk): "1"}


def test_filters_by_survey_branch_source_and_dates(org: Any, api: Client) -> None:
    survey, other = make_survey(org), make_survey(org)
    branch = make_branch(org)
    in_branch = answered(org, survey, nps=9, csat=5, branch=branch)
    elsewhere = answered(org, survey, nps=9, csat=5)
    old = answered(org, other, nps=8, csat=4)
    Response.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=40))
    nps, csat = survey.current_version.questions.order_by("position")[:2]
    walk_in = services.response_submit(
        version=survey.current_version,
        answers={nps.pk: AnswerData(value=7), csat.pk: AnswerData(value=4)},
        source=ResponseSource.QR,
        language="en",
        branch=branch,
    )

    def ids(**params: Any) -> set[str]:
        return {r["Response"] for r in read_csv(api.get(EXPORT, params))}

    assert ids(survey_id=str(survey.pk)) == {str(in_branch.pk), str(elsewhere.pk), str(walk_in.pk)}
    assert ids(branch_id=str(branch.pk)) == {str(in_branch.pk), str(walk_in.pk)}
    assert ids(source="qr") == {str(walk_in.pk)}
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    assert str(old.pk) not in ids(since=since)
    assert ids(until=since) == {str(old.pk)}
    # The list takes the same filters.
    listed = api.get("/api/v1/survey-responses", {"branch_id": str(branch.pk), "source": "link"}).json()
    assert [item["id"] for item in listed["items"]] == [str(in_branch.pk)]


def test_answers_of_an_older_version_share_the_column_of_the_same_question(org: Any, api: Client) -> None:
    survey = make_survey(org)
    first = answered(org, survey, nps=9, csat=5)
    services.survey_questions_save(
        survey=survey,
        questions=[
            QuestionData(
                kind=QuestionKind.NPS, text_es="¿Nos recomendaría a un amigo?", text_en="Recommend?"
            ),
            QuestionData(kind=QuestionKind.CES, text_es="¿Fue fácil?", text_en="Was it easy?"),
        ],
    )
    assert survey.current_version.number == 2
    link, _raw = make_link_with_token(org, survey=survey)
    nps, ces = link.version.questions.order_by("position")
    second = services.response_submit(
        version=link.version,
        answers={nps.pk: AnswerData(value=6), ces.pk: AnswerData(value=7)},
        source=ResponseSource.LINK,
        language="es",
        link=link,
    )
    rows = {r["Response"]: r for r in read_csv(api.get(EXPORT, {"survey_id": str(survey.pk)}))}
    assert rows[str(first.pk)]["Recommend?"] == "9"
    assert rows[str(second.pk)]["Recommend?"] == "6"
    assert rows[str(second.pk)]["Was it easy?"] == "7"
    assert rows[str(first.pk)]["Was it easy?"] == ""
    assert rows[str(first.pk)]["Were you satisfied?"] == "5"
    assert rows[str(second.pk)]["Version"] == "2"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"format": "pdf"}, 400, "invalid_parameters"),
        ({"source": "fax"}, 400, "invalid_parameters"),
        ({"survey_id": "not-a-uuid"}, 400, "invalid_parameters"),
        ({"since": "yesterday"}, 400, "invalid_parameters"),
        ({"since": "2026-03-02", "until": "2026-03-01"}, 400, "invalid_range"),
    ],
)
def test_bad_filters_are_a_clear_400(api: Client, params: dict[str, str], status: int, code: str) -> None:
    response = api.get(EXPORT, params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_another_organisations_survey_or_branch_is_404(org: Any, other_org: Any, api: Client) -> None:
    assert api.get(EXPORT, {"survey_id": str(make_survey(other_org).pk)}).status_code == 404
    assert api.get(EXPORT, {"branch_id": str(make_branch(other_org).pk)}).status_code == 404


def test_without_a_token_is_401(org: Any) -> None:
    assert Client().get(EXPORT).status_code == 401


def test_staff_page_exports_the_surveys_responses(org: Any, make_member_of: Any, member_client: Any) -> None:
    survey, other = make_survey(org, name="Después de la visita"), make_survey(org)
    mine = answered(org, survey, nps=9, csat=5)
    answered(org, other, nps=9, csat=5)
    make_response(org, link=make_link_with_token(org, survey=survey)[0], flagged_staff=True)
    client = member_client(make_member_of(Role.QUALITY_MANAGER))
    url = reverse("surveys:survey_export", kwargs={"pk": survey.pk})

    response = client.get(url, {"format": "csv"})
    assert 'filename="responses-despues-de-la-visita-' in response["Content-Disposition"]
    assert [next(iter(r.values())) for r in read_csv(response)] == [str(mine.pk)]
    assert len(read_xlsx(client.get(url, {"format": "xlsx"}))) == 1
    assert len(read_csv(client.get(url, {"format": "csv", "include_flagged": "1"}))) == 2
    assert client.get(url, {"format": "doc"}).status_code == 302
    page = client.get(reverse("surveys:survey_questions", kwargs={"pk": survey.pk})).content.decode()
    assert f"{url}?format=xlsx" in page


def test_supervisors_cannot_export_from_the_staff_page(
    org: Any, make_member_of: Any, member_client: Any
) -> None:
    survey = make_survey(org)
    client = member_client(make_member_of(Role.SUPERVISOR))
    assert client.get(reverse("surveys:survey_export", kwargs={"pk": survey.pk})).status_code == 404
