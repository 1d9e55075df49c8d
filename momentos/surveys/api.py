"""API of the surveys app: submit responses from other front ends, and list or read them for export.

Annotations are evaluated eagerly here, as in attention.api: ninja reads the query schema of a
paginated operation from the wrapper's module.
"""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from momentos.accounts.http import ApiRequest
from momentos.accounts.models import Branch
from momentos.attention.models import Interaction
from momentos.core.access import object_get_for_organization
from momentos.core.api import ERROR_RESPONSES, Pagination
from momentos.core.errors import DomainError
from momentos.surveys import exporting, services
from momentos.surveys.choices import ResponseSource
from momentos.surveys.models import EmailInvitation, Response, Survey
from momentos.surveys.services import AnswerData

router = Router(tags=["surveys"])


class AnswerIn(Schema):
    question_id: UUID
    value: int | None = Field(None, description="The score, for CSAT, NPS, CES and moment ratings.")
    choice_ids: list[UUID] = Field(default_factory=list, description="The chosen options.")
    text: str = Field("", max_length=2000)
    followup_text: str = Field("", max_length=2000, description="The answer to the follow-up of a low score.")


class ResponseIn(Schema):
    """A customer's answers gathered by another front end: give the interaction, or the branch for a walk-in."""

    survey_id: UUID
    interaction_id: UUID | None = None
    branch_id: UUID | None = None
    language: str = Field("es", pattern="^(es|en)$")
    answers: list[AnswerIn] = Field(..., min_length=1, max_length=100)


class InvitationIn(Schema):
    """E-mail the customer of an interaction a single-use survey link; one reminder follows if unanswered."""

    interaction_id: UUID
    email: str = Field(..., max_length=254, description="Kept only until the reminder is due.")
    language: str = Field("", pattern="^(|es|en)$", description="Empty: the branch's language.")


class InvitationOut(Schema):
    id: UUID
    interaction_id: UUID
    sent_at: datetime
    expires_at: datetime
    reminded_at: datetime | None

    @staticmethod
    def resolve_expires_at(obj: EmailInvitation) -> datetime:
        return obj.link.expires_at


class AnswerOut(Schema):
    question_id: UUID
    kind: str
    value: int | None
    choice_ids: list[str]
    text: str
    followup_text: str


class ResponseOut(Schema):
    id: UUID
    survey_id: UUID
    version: int
    interaction_id: UUID | None
    branch_id: UUID
    channel_id: UUID | None
    moment_id: UUID | None
    source: str
    language: str
    submitted_at: datetime
    flagged_staff: bool
    answers: list[AnswerOut]

    @staticmethod
    def resolve_survey_id(obj: Response) -> Any:
        return obj.version.survey_id

    @staticmethod
    def resolve_version(obj: Response) -> int:
        return obj.version.number

    @staticmethod
    def resolve_answers(obj: Response) -> list[Any]:
        return list(obj.answers.all())


class ResponseFilterIn(Schema):
    survey_id: UUID | None = None
    branch_id: UUID | None = None
    since: datetime | None = Field(
        None, description="Submitted at or after (a date is its midnight; no offset: the server's zone)."
    )
    until: datetime | None = Field(None, description="Submitted before.")
    source: Literal["", "link", "qr", "email", "api"] = Field("", description="How the response came in.")
    include_flagged: bool = Field(False, description="Include responses sent from staff sessions.")

    def to_filters(self, organization: Any) -> exporting.ExportFilters:
        """The filters, once the survey and branch they name are known to be the organisation's (else 404)."""
        if self.survey_id:
            object_get_for_organization(Survey, organization=organization, pk=self.survey_id)
        if self.branch_id:
            object_get_for_organization(Branch, organization=organization, pk=self.branch_id)
        return exporting.ExportFilters(
            survey_id=self.survey_id,
            branch_id=self.branch_id,
            since=self.since,
            until=self.until,
            source=self.source,
            include_flagged=self.include_flagged,
        )


class ResponseExportIn(ResponseFilterIn):
    format: Literal["csv", "xlsx"] = Field("csv", description="csv (streamed, UTF-8) or xlsx.")


def _queryset(organization: Any) -> Any:
    return (
        Response.objects.for_organization(organization)
        .select_related("version")
        .prefetch_related("answers")
        .order_by("-submitted_at", "-id")
    )


@router.post(
    "/survey-responses",
    response={201: ResponseOut, **ERROR_RESPONSES},
    summary="Submit a customer's answers",
)
def response_submit(request: ApiRequest, payload: ResponseIn) -> Any:
    org = request.organization
    survey = object_get_for_organization(Survey, organization=org, pk=payload.survey_id)
    interaction = branch = None
    if payload.interaction_id:
        interaction = object_get_for_organization(Interaction, organization=org, pk=payload.interaction_id)
    elif payload.branch_id:
        branch = object_get_for_organization(Branch, organization=org, pk=payload.branch_id)
    else:
        raise DomainError(_("Give the interaction, or the branch for a walk-in customer."), code="no_branch")
    version = survey.current_version
    if version is None:
        raise DomainError(_("The survey has no questions yet."), code="no_questions")
    answers = {
        a.question_id: AnswerData(
            value=a.value,
            choice_ids=[str(c) for c in a.choice_ids],
            text=a.text,
            followup_text=a.followup_text,
        )
        for a in payload.answers
    }
    response = services.response_submit(
        version=version,
        answers=answers,
        source=ResponseSource.API,
        language=payload.language,
        interaction=interaction,
        branch=branch,
    )
    return 201, _queryset(org).get(pk=response.pk)


@router.get(
    "/survey-responses",
    response={200: list[ResponseOut], **ERROR_RESPONSES},
    summary="List responses, newest first",
)
@paginate(Pagination)
def response_list(request: ApiRequest, filters: Query[ResponseFilterIn]) -> Any:
    org = request.organization
    return exporting.responses_filtered(_queryset(org), filters.to_filters(org))


@router.get(
    "/responses/export",
    response={200: None, **ERROR_RESPONSES},
    summary="Export responses as CSV or XLSX",
    description=(
        "One row per response, one column per question (and one for the follow-up of each scored "
        "question), with the interaction, branch, channel, team, agent, segment, moment, source, "
        "language and submission time. Same filters as the list; CSV is streamed."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment.",
                "content": {"text/csv": {}, exporting.XLSX_TYPE: {}},
            }
        }
    },
)
def response_export(request: ApiRequest, filters: Query[ResponseExportIn]) -> Any:
    org = request.organization
    selected = exporting.responses_filtered(Response.objects.for_organization(org), filters.to_filters(org))
    sheet = exporting.ResponseSheet(selected, include_flagged=filters.include_flagged)
    return exporting.export_response(
        sheet, file_format=filters.format, filename=exporting.export_filename("responses")
    )


@router.get(
    "/survey-responses/{uuid:response_id}",
    response={200: ResponseOut, **ERROR_RESPONSES},
    summary="One response with its answers",
)
def response_detail(request: ApiRequest, response_id: UUID) -> Any:
    org = request.organization
    return object_get_for_organization(Response, organization=org, pk=response_id, queryset=_queryset(org))


@router.post(
    "/survey-invitations",
    response={201: InvitationOut, **ERROR_RESPONSES},
    summary="Invite a customer by e-mail",
)
def invitation_send(request: ApiRequest, payload: InvitationIn) -> Any:
    org = request.organization
    interaction = object_get_for_organization(Interaction, organization=org, pk=payload.interaction_id)
    invitation = services.email_invitation_send(
        interaction=interaction,
        email=payload.email,
        language=payload.language,
        base_url=request.build_absolute_uri("/")[:-1],
    )
    return 201, invitation
