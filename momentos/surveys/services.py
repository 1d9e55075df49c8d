"""Writes of the surveys app: designing surveys, handing out links and QR codes, recording answers, alerts."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import segno
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, signals
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from momentos.accounts.models import Branch, Organization
from momentos.attention.models import Interaction
from momentos.core.db import fixed_statement_cursor
from momentos.core.errors import Conflict, DomainError
from momentos.cycle.models import Moment
from momentos.surveys import conf, hooks, selectors
from momentos.surveys.choices import (
    ALERTING_KINDS,
    CHOICE_KINDS,
    SCALES,
    FollowUpStatus,
    QuestionKind,
    ResponseSource,
)
from momentos.surveys.models import (
    Alert,
    Answer,
    Choice,
    EmailInvitation,
    FollowUp,
    QrCode,
    Question,
    Response,
    Survey,
    SurveyBranch,
    SurveyChannel,
    SurveyLink,
    SurveyMoment,
    SurveyOptOut,
    SurveyVersion,
)
from momentos.surveys.tokens import hash_token, link_token, new_qr_token

OPT_OUT_SALT = "momentos.surveys.opt-out"
logger = logging.getLogger(__name__)


class AlreadyAnswered(Conflict):
    code = "already_answered"


# --- design ------------------------------------------------------------------------------------


@dataclass
class QuestionData:
    """A question as the designer describes it, before it belongs to a version."""

    kind: str
    text_es: str
    text_en: str = ""
    required: bool = True
    moment: Moment | None = None
    followup_es: str = ""
    followup_en: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)


def _set_triggers(survey: Survey, *, channels: Any, branches: Any, moments: Any) -> None:
    org = survey.organization_id
    triggers: list[tuple[Any, str, Any]] = [
        (SurveyChannel, "channel", channels),
        (SurveyBranch, "branch", branches),
        (SurveyMoment, "moment", moments),
    ]
    for link_model, attr, items in triggers:
        items = list(items or [])
        if any(item.organization_id != org for item in items):
            raise DomainError(_("A trigger belongs to another organisation."), code="foreign_trigger")
        link_model.objects.filter(survey=survey).exclude(**{f"{attr}__in": items}).delete()
        existing = set(link_model.objects.filter(survey=survey).values_list(f"{attr}_id", flat=True))
        link_model.objects.bulk_create(
            [
                link_model(organization_id=org, survey=survey, **{attr: item})
                for item in items
                if item.pk not in existing
            ]
        )


@transaction.atomic
def survey_create(
    *,
    organization: Organization,
    name: str,
    is_active: bool = True,
    channels: Any = (),
    branches: Any = (),
    moments: Any = (),
    questions: list[QuestionData] | None = None,
) -> Survey:
    if Survey.objects.for_organization(organization).filter(name__iexact=name.strip()).exists():
        raise DomainError(_("A survey with this name already exists."), code="duplicate_name", field="name")
    survey = Survey.objects.create(organization=organization, name=name.strip(), is_active=is_active)
    _set_triggers(survey, channels=channels, branches=branches, moments=moments)
    SurveyVersion.objects.create(organization=organization, survey=survey, number=1)
    if questions:
        survey_questions_save(survey=survey, questions=questions)
    return survey


@transaction.atomic
def survey_update(
    *, survey: Survey, name: str, is_active: bool, channels: Any = (), branches: Any = (), moments: Any = ()
) -> Survey:
    clash = (
        Survey.objects.for_organization(survey.organization_id)
        .filter(name__iexact=name.strip())
        .exclude(pk=survey.pk)
        .exists()
    )
    if clash:
        raise DomainError(_("A survey with this name already exists."), code="duplicate_name", field="name")
    survey.name, survey.is_active = name.strip(), is_active
    survey.save(update_fields=["name", "is_active", "updated_at"])
    _set_triggers(survey, channels=channels, branches=branches, moments=moments)
    return survey


def _validate_question(data: QuestionData, organization_id: Any) -> None:
    if data.kind not in QuestionKind.values:
        raise DomainError(_("Unknown kind of question."), code="invalid_kind")
    if not data.text_es.strip():
        raise DomainError(_("Every question needs its Spanish text."), code="missing_text")
    if data.kind == QuestionKind.MOMENT_RATING:
        if data.moment is None or data.moment.organization_id != organization_id:
            raise DomainError(_("A moment rating needs the moment of truth it rates."), code="missing_moment")
    elif data.moment is not None:
        raise DomainError(_("Only a moment rating names a moment of truth."), code="unexpected_moment")
    if data.kind in CHOICE_KINDS and len([c for c in data.choices if c[0].strip()]) < 2:
        raise DomainError(_("A choice question needs at least two options."), code="too_few_choices")
    if (data.followup_es or data.followup_en) and data.kind not in SCALES:
        raise DomainError(_("Only scored questions can have a follow-up."), code="unexpected_followup")


@transaction.atomic
def survey_questions_save(*, survey: Survey, questions: list[QuestionData]) -> SurveyVersion:
    """Replace the survey's questions; a version that already has answers is kept and a new one starts."""
    if not questions:
        raise DomainError(_("A survey needs at least one question."), code="no_questions")
    for data in questions:
        _validate_question(data, survey.organization_id)
    version = SurveyVersion.objects.select_for_update().filter(survey=survey).order_by("-number").first()
    if version is None or version.responses.exists():
        number = version.number + 1 if version else 1
        version = SurveyVersion.objects.create(
            organization_id=survey.organization_id, survey=survey, number=number
        )
    else:
        version.questions.all().delete()
        version.save(update_fields=["updated_at"])  # new questions, new cache key (see version_questions)
    for position, data in enumerate(questions, start=1):
        question = Question.objects.create(
            organization_id=survey.organization_id,
            version=version,
            position=position,
            kind=data.kind,
            text_es=data.text_es.strip(),
            text_en=data.text_en.strip(),
            required=data.required,
            moment=data.moment,
            followup_es=data.followup_es.strip(),
            followup_en=data.followup_en.strip(),
        )
        if data.kind in CHOICE_KINDS:
            Choice.objects.bulk_create(
                [
                    Choice(
                        organization_id=survey.organization_id,
                        question=question,
                        position=i,
                        text_es=es.strip(),
                        text_en=en.strip(),
                    )
                    for i, (es, en) in enumerate((c for c in data.choices if c[0].strip()), start=1)
                ]
            )
    return version


# --- distribution ------------------------------------------------------------------------------


def qr_svg(url: str) -> str:
    """An inline SVG of the QR code for ``url`` (no XML declaration, scales with its container)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=2, svgclass="qr"
    )
    return buffer.getvalue().decode()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


@transaction.atomic
def qr_code_for_branch(*, survey: Survey, branch: Branch, moment: Moment | None = None) -> QrCode:
    if branch.organization_id != survey.organization_id:
        raise DomainError(_("The branch belongs to another organisation."), code="foreign_branch")
    existing = QrCode.objects.filter(survey=survey, branch=branch, moment=moment).first()
    if existing:
        return existing
    return QrCode.objects.create(
        organization_id=survey.organization_id,
        survey=survey,
        branch=branch,
        moment=moment,
        token=new_qr_token(),
    )


def _new_link(
    interaction: Interaction, version: SurveyVersion, source: str = ResponseSource.LINK
) -> tuple[SurveyLink, str]:
    link = SurveyLink(
        organization_id=interaction.organization_id,
        version=version,
        interaction=interaction,
        source=source,
        expires_at=timezone.now() + timedelta(days=conf.link_days()),
    )
    raw = link_token(link.pk)
    link.token_hash = hash_token(raw)
    return link, raw


@transaction.atomic
def link_create(
    *, interaction: Interaction, survey: Survey | None = None, source: str = ResponseSource.LINK
) -> tuple[SurveyLink, str]:
    """A new single-use link for the interaction's customer: the link and its raw token."""
    survey = survey or selectors.survey_for_interaction(interaction)
    if survey is None:
        raise DomainError(_("No active survey applies to this interaction."), code="no_survey")
    version = survey.current_version
    if version is None or not version.questions.exists():
        raise DomainError(_("The survey has no questions yet."), code="no_questions")
    link, raw = _new_link(interaction, version, source)
    link.save()
    return link, raw


def link_raw_token(link: SurveyLink) -> str:
    """The link's token again; re-signed (and saved) when the secret key changed since it was made."""
    raw = link_token(link.pk)
    if hash_token(raw) != link.token_hash:
        link.token_hash = hash_token(raw)
        link.save(update_fields=["token_hash", "updated_at"])
    return raw


def link_url(link: SurveyLink, *, base_url: str = "") -> str:
    return base_url + reverse("surveys_public:respond", kwargs={"token": link_raw_token(link)})


@transaction.atomic
def links_attach(*, interactions: list[Interaction]) -> list[SurveyLink]:
    """Attach the matching survey's link to each closed interaction that has none yet (a close, an import)."""
    interactions = [i for i in interactions if i.closed_at is not None]
    if not interactions:
        return []
    surveys = selectors.surveys_for_interactions(interactions)
    if not surveys:
        return []
    already = set(
        SurveyLink.objects.filter(
            interaction_id__in=[i.pk for i in interactions], source=ResponseSource.LINK
        ).values_list("interaction_id", flat=True)
    )
    versions = {survey.pk: survey.current_version for survey in {s.pk: s for s in surveys.values()}.values()}
    links = []
    for interaction in interactions:
        survey = surveys.get(interaction.pk)
        version = versions.get(survey.pk) if survey else None
        if version is not None and interaction.pk not in already:
            links.append(_new_link(interaction, version)[0])
    return SurveyLink.objects.bulk_create(links)


def survey_link_for_interaction(
    interaction: Interaction, *, base_url: str = "", survey: Survey | None = None
) -> tuple[str, str]:
    """The attention console's survey invitation: the single-use URL and its QR code as inline SVG.

    Without ``survey``, the link attached when the interaction closed is shown again (a new one is
    made when there is none, or it was used or expired). ``base_url`` (scheme and host, e.g.
    ``request.build_absolute_uri("/")[:-1]``) makes the URL absolute, which a QR code needs.
    """
    link = None if survey else selectors.link_reusable_for(interaction, source=ResponseSource.LINK)
    if link is None:
        link, _raw = link_create(interaction=interaction, survey=survey)
    url = link_url(link, base_url=base_url)
    return url, qr_svg(url)


# --- answers -----------------------------------------------------------------------------------


@dataclass
class AnswerData:
    value: int | None = None
    choice_ids: list[str] = field(default_factory=list)
    text: str = ""
    followup_text: str = ""


def _check_answer(question: Question, data: AnswerData | None) -> bool:
    """True when the question was answered; DomainError when the answer is not one it accepts."""
    if data is None:
        answered = False
    elif question.kind in SCALES:
        low, high, _mark = SCALES[question.kind]
        if data.value is not None and not low <= data.value <= high:
            raise DomainError(_("A score is out of its scale."), code="out_of_range", field=str(question.pk))
        answered = data.value is not None
    elif question.kind in CHOICE_KINDS:
        valid = {str(c.pk) for c in question.choices.all()}
        if any(str(c) not in valid for c in data.choice_ids):
            raise DomainError(
                _("An option is not one of the question's."), code="invalid_choice", field=str(question.pk)
            )
        if question.kind == QuestionKind.SINGLE_CHOICE and len(data.choice_ids) > 1:
            raise DomainError(_("Choose only one option."), code="invalid_choice", field=str(question.pk))
        answered = bool(data.choice_ids)
    else:
        answered = bool(data.text.strip())
    if question.required and not answered:
        raise DomainError(
            _("Please answer every required question."), code="required", field=str(question.pk)
        )
    return answered


def response_submit(
    *,
    version: SurveyVersion,
    answers: dict[Any, AnswerData],
    source: str,
    language: str,
    branch: Branch | None = None,
    interaction: Interaction | None = None,
    link: SurveyLink | None = None,
    qr_code: QrCode | None = None,
    moment: Moment | None = None,
    flagged_staff: bool = False,
    client_hash: str = "",
    questions: list[Question] | None = None,
) -> Response:
    """Record a customer's answers (keyed by question id) and raise alerts for low scores.

    A link answers once: one conditional update claims it, so a second submit raises AlreadyAnswered,
    as does a second response to the same interaction by any other link (the database's
    one-response-per-interaction constraint decides, so no read races it). The claim, the response
    and its answers are one transaction; on PostgreSQL, when no alert is due, they are one statement
    (see ``_store_in_one_statement``). ``questions``, the version's questions as
    ``selectors.version_questions`` gives them, spares reading them again when the caller has them.
    """
    now = timezone.now()
    if link is not None:
        interaction = link.interaction
    if interaction is not None:
        branch = interaction.branch
    if branch is None:
        raise DomainError(_("A response needs a branch or an interaction."), code="no_branch")
    if branch.organization_id != version.organization_id:
        raise DomainError(_("The branch belongs to another organisation."), code="foreign_branch")
    if questions is None:
        questions = selectors.version_questions(version)
    if link is not None and link.version_id != version.pk:
        raise DomainError(_("The link belongs to another survey version."), code="wrong_version")
    by_id = {str(k): v for k, v in answers.items()}
    keyed = [(str(q.pk), q) for q in questions]
    if not set(by_id) <= {key for key, _q in keyed}:
        raise DomainError(_("An answer is for a question the survey does not have."), code="unknown_question")
    answered = [(q, by_id[key]) for key, q in keyed if _check_answer(q, by_id.get(key))]
    if not answered:
        raise DomainError(_("Please answer at least one question."), code="empty")

    response = Response(
        organization_id=version.organization_id,
        version=version,
        interaction=interaction,
        branch=branch,
        channel_id=interaction.channel_id if interaction else None,
        team_id=interaction.team_id if interaction else None,
        moment=moment or (qr_code.moment if qr_code else None),
        source=source,
        link=link,
        qr_code=qr_code,
        language=language if language in {"es", "en"} else "es",
        flagged_staff=flagged_staff,
        client_hash=client_hash,
        submitted_at=now,
    )
    rows = [
        Answer(
            organization_id=version.organization_id,
            response=response,
            question=q,
            kind=q.kind,
            value=data.value if q.kind in SCALES else None,
            choice_ids=[str(c) for c in data.choice_ids] if q.kind in CHOICE_KINDS else [],
            text=data.text.strip() if q.kind == QuestionKind.FREE_TEXT else "",
            followup_text=data.followup_text.strip() if q.is_low(data.value) else "",
        )
        for q, data in answered
    ]
    alerting = not flagged_staff and any(_alerts_on(row) for row in rows)
    if connection.vendor == "postgresql" and not alerting:
        # The model signals save() would send: other apps follow responses through them (rollups).
        signals.pre_save.send(
            Response, instance=response, raw=False, using=connection.alias, update_fields=None
        )
        _store_in_one_statement(response, rows, link=link, now=now)
        # The answers are stored for good by now: a follower that fails is logged, not turned into an
        # error page for the customer whose answers were kept.
        for receiver, result in signals.post_save.send_robust(
            Response, instance=response, created=True, update_fields=None, raw=False, using=connection.alias
        ):
            if isinstance(result, Exception):
                logger.error(
                    "post_save receiver %r failed on response %s", receiver, response.pk, exc_info=result
                )
    else:
        with transaction.atomic():
            if link is not None:
                _claim(link, now)
            # No savepoint: a clash aborts this whole (atomic) submit, which is what AlreadyAnswered means.
            try:
                response.save(force_insert=True)
            except IntegrityError as exc:  # this interaction already has a response (maybe a concurrent one)
                raise AlreadyAnswered(_("This survey has already been answered.")) from exc
            Answer.objects.bulk_create(rows)
            if alerting:
                _raise_alerts(response, rows)
    if link is not None:
        link.used_at = now
    return response


def _alerts_on(answer: Answer) -> bool:
    return answer.value is not None and answer.kind in ALERTING_KINDS and answer.question.is_low(answer.value)


def _claim_refused(link: SurveyLink) -> DomainError:
    """Why a link could not be claimed: answered already, or expired."""
    link.refresh_from_db(fields=["used_at", "expires_at"])
    if link.used_at is not None:
        return AlreadyAnswered(_("This survey has already been answered."))
    return DomainError(_("This survey link has expired."), code="expired")


def _claim(link: SurveyLink, now: datetime) -> None:
    claimed = SurveyLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now, updated_at=now
    )
    if not claimed:
        raise _claim_refused(link)


@functools.cache
def _insert_head(model: Any, vendor: str) -> tuple[str, str, tuple[Any, ...]]:
    """The ``INSERT INTO table (columns)`` and ``SELECT %s::type, …`` of a model, once per process."""
    quote = connection.ops.quote_name
    fields = tuple(model._meta.concrete_fields)  # noqa: SLF001 - Django's public-in-practice API
    columns = ", ".join(quote(f.column) for f in fields)
    casts = ", ".join(f"%s::{f.cast_db_type(connection)}" for f in fields)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns})", f"SELECT {casts}", fields  # noqa: SLF001


def _insert_select(obj: Any) -> tuple[str, list[Any]]:
    """``INSERT INTO table (columns) SELECT values`` of an unsaved row, as ``save()`` would write it.

    Each value is cast to its column's type, so NULLs and texts need no guessing by PostgreSQL.
    """
    insert, select, fields = _insert_head(obj.__class__, connection.vendor)
    # pre_save fills created_at/updated_at as save() would.
    params = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    return f"{insert} {select}", params


# Columns of an answer that are the same for every answer of a response: passed once, not per row.
_SHARED_ANSWER_COLUMNS = ("created_at", "updated_at", "organization_id", "response_id")


@functools.cache
def _answers_insert(vendor: str) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """``INSERT INTO answers … SELECT … FROM response, jsonb_to_recordset(%s)``: all the answers of a
    response from one JSON parameter, so the statement's text is the same whatever their number.

    Returns the statement, the shared columns' attribute names (the parameters before the JSON, in
    order) and each per-row field as (attribute name, JSON key = column), both read off the model.
    """
    quote = connection.ops.quote_name
    fields: tuple[Any, ...] = tuple(Answer._meta.concrete_fields)  # noqa: SLF001
    columns, values, record, per_row = [], [], [], []
    for f in fields:
        columns.append(quote(f.column))
        if f.attname in _SHARED_ANSWER_COLUMNS:
            values.append(f"%s::{f.cast_db_type(connection)}")
        else:
            values.append(f"a.{quote(f.column)}")
            record.append(f"{quote(f.column)} {f.cast_db_type(connection)}")
            per_row.append((f.attname, f.column))
    shared = tuple(f.attname for f in fields if f.attname in _SHARED_ANSWER_COLUMNS)
    sql = (
        f"INSERT INTO {quote(Answer._meta.db_table)} ({', '.join(columns)})"  # noqa: SLF001, S608 - names
        f" SELECT {', '.join(values)} FROM response, jsonb_to_recordset(%s::jsonb) AS a({', '.join(record)})"
    )
    return sql, shared, tuple(per_row)


def _answers_json(answers: list[Answer], per_row: tuple[tuple[str, str], ...]) -> str:
    """The per-row values of the answers as the JSON array ``_answers_insert`` reads (ids as text)."""
    return json.dumps(
        [{column: getattr(answer, attname) for attname, column in per_row} for answer in answers], default=str
    )


def _store_in_one_statement(
    response: Response, answers: list[Answer], *, link: SurveyLink | None, now: datetime
) -> None:
    """Claim the link, insert the response and its answers in one statement: one round trip, one commit.

    Each part runs only when the one before it wrote its row (``FROM claimed`` / ``FROM response``),
    so a link already used or expired stores nothing; a second response to the interaction breaks
    the unique constraint and the whole statement, claim included, is undone.
    """
    quote = connection.ops.quote_name
    parts: list[str] = []
    params: list[Any] = []
    after = ""
    if link is not None:
        table = quote(SurveyLink._meta.db_table)  # noqa: SLF001
        parts.append(
            f"claimed AS (UPDATE {table} SET used_at = %s, updated_at = %s"  # noqa: S608 - names, not data
            " WHERE id = %s AND used_at IS NULL AND expires_at > %s RETURNING 1)"
        )
        params += [now, now, link.pk, now]
        after = " FROM claimed"
    insert, values = _insert_select(response)
    parts.append(f"response AS ({insert}{after} RETURNING 1)")
    params += values
    if answers:
        for answer in answers:
            answer.created_at = answer.updated_at = now
        insert, shared, per_row = _answers_insert(connection.vendor)
        parts.append(f"answers AS ({insert} RETURNING 1)")
        by_name = {
            "created_at": now,
            "updated_at": now,
            "organization_id": response.organization_id,
            "response_id": response.pk,
        }
        params += [by_name[name] for name in shared]
        params.append(_answers_json(answers, per_row))
    # What other apps write with a response (insight marks its rollup partition) joins the statement.
    extra = hooks.statement_parts(response)
    for i, (_fn, part_sql, part_params) in enumerate(extra):
        parts.append(f"part{i} AS ({part_sql} RETURNING 1)")
        params += part_params
    sql = "WITH " + ", ".join(parts) + " SELECT count(*) FROM response"  # noqa: S608 - names, not data
    # Inside a transaction (a caller's, a test's) a savepoint keeps a clash from spoiling it; alone,
    # the statement is its own transaction and needs no BEGIN/COMMIT round trips. Prepared once per
    # connection where that is possible (one text per number of answers).
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard, fixed_statement_cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    except IntegrityError as exc:  # this interaction already has a response (maybe a concurrent one)
        raise AlreadyAnswered(_("This survey has already been answered.")) from exc
    if not row or not row[0]:
        assert link is not None  # without a link to claim, the response is always inserted
        raise _claim_refused(link)
    hooks.mark_parts_done(response, extra)
    response._state.adding = False  # noqa: SLF001 - stored, as if by save()
    response._state.db = connection.alias  # noqa: SLF001
    for answer in answers:
        answer._state.adding = False  # noqa: SLF001
        answer._state.db = connection.alias  # noqa: SLF001


def _raise_alerts(response: Response, answers: list[Answer]) -> list[Alert]:
    comment = " ".join(a.followup_text or a.text for a in answers if a.followup_text or a.text).strip()
    alerts = []
    for answer in answers:
        if not _alerts_on(answer):
            continue
        assert answer.value is not None
        alert = Alert.objects.create(
            organization_id=response.organization_id,
            response=response,
            answer=answer,
            branch_id=response.branch_id,
            team_id=response.team_id,
            kind=answer.kind,
            score=answer.value,
            comment=comment,
        )
        FollowUp.objects.create(
            organization_id=response.organization_id,
            alert=alert,
            due_date=timezone.localdate() + timedelta(days=conf.follow_up_days()),
        )
        alerts.append(alert)
    if alerts:
        transaction.on_commit(lambda: _notify_supervisors(alerts))
    return alerts


def _notify_supervisors(alerts: list[Alert]) -> None:
    """E-mail the branch's and team's supervisors, in the organisation's language, through the task interface."""
    from momentos.accounts.tasks import send_email

    first = alerts[0]
    recipients = selectors.supervisor_emails_for(
        organization_id=first.organization_id, branch_id=first.branch_id, team_id=first.team_id
    )
    if not recipients:
        return
    organization = Organization.objects.get(pk=first.organization_id)
    with translation.override(organization.language):
        scores = ", ".join(f"{a.get_kind_display()}: {a.score}" for a in alerts)
        subject = gettext("A customer had a bad experience at %(branch)s") % {"branch": first.branch}
        body = gettext(
            "Scores: %(scores)s\nComment: %(comment)s\n\n"
            "A follow-up is open for you in momentos, under Alerts. Please call the customer back."
        ) % {"scores": scores, "comment": first.comment or "—"}
    send_email.enqueue(to=recipients, subject=str(subject), body=str(body))


@transaction.atomic
def follow_up_update(
    *, follow_up: FollowUp, owner: Any = None, due_date: Any, status: str, outcome: str = "", notes: str = ""
) -> FollowUp:
    if status == FollowUpStatus.DONE and not outcome:
        raise DomainError(
            _("Say how the follow-up ended before closing it."), code="missing_outcome", field="outcome"
        )
    follow_up.owner, follow_up.due_date, follow_up.status = owner, due_date, status
    follow_up.outcome, follow_up.notes = outcome, notes
    follow_up.save()
    return follow_up


# --- e-mail invitations ------------------------------------------------------------------------


def email_hash(*, organization_id: Any, email: str) -> str:
    """A stable pseudonym of an address within one organisation (unkeyed, so it survives key rotation)."""
    return hashlib.sha256(f"{organization_id}:{email.strip().lower()}".encode()).hexdigest()


def _opted_out(*, organization_id: Any, hashed: str, customer_ref: str = "") -> bool:
    refused = Q(email_hash=hashed)
    if customer_ref:
        refused |= Q(customer_ref=customer_ref)
    return SurveyOptOut.objects.for_organization(organization_id).filter(refused).exists()


def opt_out_token(invitation: EmailInvitation) -> str:
    return signing.dumps(
        {
            "o": str(invitation.organization_id),
            "h": invitation.email_hash,
            "r": invitation.interaction.customer_ref,
        },
        salt=OPT_OUT_SALT,
        compress=True,
    )


def opt_out_read(token: str) -> dict[str, str] | None:
    """What an unsubscribe link says (organisation, address hash, customer ref), or None when forged."""
    try:
        data = signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not {"o", "h", "r"} <= set(data):
        return None
    return {key: str(data[key]) for key in ("o", "h", "r")}


@transaction.atomic
def opt_out_record(*, organization_id: Any, email_hash: str, customer_ref: str = "") -> SurveyOptOut:
    """Record that this customer wants no more survey e-mails; pending reminders are dropped."""
    opt_out, _created = SurveyOptOut.objects.get_or_create(
        organization_id=organization_id, email_hash=email_hash, defaults={"customer_ref": customer_ref[:100]}
    )
    EmailInvitation.objects.for_organization(organization_id).filter(email_hash=email_hash).update(
        email="", updated_at=timezone.now()
    )
    return opt_out


def _opt_out_url(invitation: EmailInvitation) -> str:
    return invitation.base_url + reverse(
        "surveys_public:opt_out", kwargs={"token": opt_out_token(invitation)}
    )


def _invitation_mail(invitation: EmailInvitation, *, reminder: bool) -> tuple[str, str]:
    url = link_url(invitation.link, base_url=invitation.base_url)
    opt_out_url = _opt_out_url(invitation)
    branch = invitation.interaction.branch
    with translation.override(invitation.language):
        if reminder:
            subject = gettext("A reminder: how was your visit to %(branch)s?") % {"branch": branch}
        else:
            subject = gettext("How was your visit to %(branch)s?") % {"branch": branch}
        body = gettext(
            "Hello,\n\nYou were recently attended by %(branch)s. Would you tell us how it went? "
            "It takes a minute:\n\n%(url)s\n\nThe link works once and until %(expires)s.\n\n"
            "If you prefer not to receive these surveys, follow this link:\n%(opt_out)s\n"
        ) % {
            "branch": branch,
            "url": url,
            "expires": formats.date_format(timezone.localtime(invitation.link.expires_at), "DATE_FORMAT"),
            "opt_out": opt_out_url,
        }
    return str(subject), str(body)


def unsubscribe_headers(invitation: EmailInvitation) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail programs show an "unsubscribe" button that POSTs to the opt-out URL."""
    return {
        "List-Unsubscribe": f"<{_opt_out_url(invitation)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _enqueue_invitation_mail(invitation: EmailInvitation, *, reminder: bool) -> None:
    from momentos.accounts.tasks import send_email

    to = invitation.email
    subject, body = _invitation_mail(invitation, reminder=reminder)
    headers = unsubscribe_headers(invitation)
    transaction.on_commit(lambda: send_email.enqueue(to=[to], subject=subject, body=body, headers=headers))


@transaction.atomic
def email_invitation_send(
    *, interaction: Interaction, email: str, base_url: str, language: str = ""
) -> EmailInvitation:
    """E-mail the interaction's customer a single-use survey link (one invitation per interaction)."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("Enter a valid e-mail address."), code="invalid_email", field="email") from exc
    hashed = email_hash(organization_id=interaction.organization_id, email=email)
    if _opted_out(
        organization_id=interaction.organization_id, hashed=hashed, customer_ref=interaction.customer_ref
    ):
        raise Conflict(
            _("This customer asked not to receive survey e-mails."), code="opted_out", field="email"
        )
    if Response.objects.filter(interaction=interaction).exists():
        raise AlreadyAnswered(_("This survey has already been answered."))
    if EmailInvitation.objects.filter(interaction=interaction).exists():
        raise Conflict(_("This customer has already been invited by e-mail."), code="already_invited")
    link, _raw = link_create(interaction=interaction, source=ResponseSource.EMAIL)
    invitation = EmailInvitation.objects.create(
        organization_id=interaction.organization_id,
        link=link,
        interaction=interaction,
        email=email,
        email_hash=hashed,
        language=language if language in {"es", "en"} else interaction.branch.language,
        base_url=base_url,
    )
    _enqueue_invitation_mail(invitation, reminder=False)
    return invitation


def email_reminders_send(*, now: datetime | None = None, days: int | None = None) -> int:
    """Send the one reminder of each invitation unanswered after ``days``; erase addresses no longer needed.

    Run periodically (``momentos manage send_survey_reminders``); running it twice sends nothing twice.
    """
    now = now or timezone.now()
    due = (
        EmailInvitation.objects.filter(
            reminded_at__isnull=True,
            sent_at__lte=now - timedelta(days=days if days is not None else conf.reminder_days()),
        )
        .exclude(email="")
        .select_related("link", "interaction__branch")
        .order_by("sent_at")
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            invitation = due.select_for_update(of=("self",)).filter(pk=pk).first()
            if invitation is None:
                continue
            link = invitation.link
            wanted = (
                link.used_at is None
                and link.expires_at > now
                and not Response.objects.filter(interaction_id=invitation.interaction_id).exists()
                and not _opted_out(
                    organization_id=invitation.organization_id,
                    hashed=invitation.email_hash,
                    customer_ref=invitation.interaction.customer_ref,
                )
            )
            if wanted:
                _enqueue_invitation_mail(invitation, reminder=True)
                sent += 1
            invitation.reminded_at = now
            invitation.email = ""
            invitation.save(update_fields=["reminded_at", "email", "updated_at"])
    return sent
