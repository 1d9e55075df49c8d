"""Responses as a spreadsheet: one row per response, one column per question, CSV streamed or XLSX.

The API (``GET /api/v1/responses/export``) and the staff survey page share this module. Rows are read
in chunks, so memory stays flat however many responses there are: CSV goes out as it is written, XLSX
is written by openpyxl's write-only workbook to a temporary file and then sent.

Questions of different versions of a survey that ask the same thing (same kind, same Spanish text,
same moment) share one column, so editing a survey does not split its export.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from momentos.core.errors import DomainError
from momentos.surveys.choices import CHOICE_KINDS, SCALES, QuestionKind, ResponseSource
from momentos.surveys.models import Answer, Choice, Question, Response

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1000
# A cell that starts with one of these is a formula to a spreadsheet; customers write free text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportFilters:
    survey_id: Any = None
    branch_id: Any = None
    since: datetime | date | None = None
    until: datetime | date | None = None
    source: str = ""
    include_flagged: bool = False


def _aware(value: datetime | date) -> datetime:
    """A bound of the date range: a bare date is its midnight, a naive time is in the current zone."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def responses_filtered(queryset: QuerySet[Response], filters: ExportFilters) -> QuerySet[Response]:
    """The responses the filters select (staff-flagged ones only when asked); DomainError on nonsense."""
    if filters.source and filters.source not in ResponseSource.values:
        raise DomainError(
            _("Unknown source: use one of %(values)s.") % {"values": ", ".join(ResponseSource.values)},
            code="invalid_source",
            field="source",
        )
    since = _aware(filters.since) if filters.since else None
    until = _aware(filters.until) if filters.until else None
    if since and until and since >= until:
        raise DomainError(_("The start of the date range must be before its end."), code="invalid_range")
    if filters.survey_id:
        queryset = queryset.filter(version__survey_id=filters.survey_id)
    if filters.branch_id:
        queryset = queryset.filter(branch_id=filters.branch_id)
    if since:
        queryset = queryset.filter(submitted_at__gte=since)
    if until:
        queryset = queryset.filter(submitted_at__lt=until)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if not filters.include_flagged:
        queryset = queryset.filter(flagged_staff=False)
    return queryset


def _column_key(question: Question) -> tuple[Any, ...]:
    return (question.version.survey_id, question.kind, question.text_es.strip().lower(), question.moment_id)


@dataclass
class _Column:
    header: str
    followup: bool = False


class ResponseSheet:
    """The header and rows of an export of ``responses`` (already filtered and scoped)."""

    def __init__(self, responses: QuerySet[Response], *, include_flagged: bool = False):
        self.responses = responses
        self.include_flagged = include_flagged
        questions = list(
            Question.objects.filter(version_id__in=responses.order_by().values("version_id").distinct())
            .select_related("version__survey")
            .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position")))
            .order_by("version__survey__name", "version__survey_id", "-version__number", "position")
        )
        several_surveys = len({q.version.survey_id for q in questions}) > 1
        self.columns: list[_Column] = []
        self.column_of: dict[Any, int] = {}  # question id -> index of its answer column
        self.choice_text: dict[str, str] = {}
        keys: dict[tuple[Any, ...], int] = {}
        for question in questions:
            key = _column_key(question)
            if key not in keys:
                header = question.text()
                if several_surveys:
                    header = f"{question.version.survey.name}: {header}"
                keys[key] = len(self.columns)
                self.columns.append(_Column(header))
                if question.kind in SCALES:
                    label = _("%(question)s (follow-up)") % {"question": header}
                    self.columns.append(_Column(label, followup=True))
            self.column_of[question.pk] = keys[key]
            for choice in question.choices.all():
                self.choice_text[str(choice.pk)] = choice.text()

    def header(self) -> list[str]:
        fixed = [
            _("Response"),
            _("Submitted (UTC)"),
            _("Survey"),
            _("Version"),
            _("Interaction"),
            _("External id"),
            _("Branch"),
            _("Channel"),
            _("Team"),
            _("Agent"),
            _("Customer segment"),
            _("Moment of truth"),
            _("Source"),
            _("Language"),
        ]
        if self.include_flagged:
            fixed.append(_("Sent by staff"))
        return fixed + [c.header for c in self.columns]

    def _answer_cells(self, answers: Iterable[Answer]) -> list[Any]:
        cells: list[Any] = [None] * len(self.columns)
        for answer in answers:
            index = self.column_of.get(answer.question_id)
            if index is None:
                continue
            if answer.kind in SCALES:
                cells[index] = answer.value
                if answer.followup_text:
                    cells[index + 1] = answer.followup_text
            elif answer.kind in CHOICE_KINDS:
                cells[index] = "; ".join(self.choice_text.get(str(c), str(c)) for c in answer.choice_ids)
            elif answer.kind == QuestionKind.FREE_TEXT:
                cells[index] = answer.text
        return cells

    def rows(self) -> Iterator[list[Any]]:
        queryset = (
            self.responses.select_related(
                "version__survey",
                "interaction",
                "interaction__agent",
                "interaction__segment",
                "branch",
                "channel",
                "team",
                "moment",
            )
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by()))
            .order_by("submitted_at", "id")
        )
        for response in queryset.iterator(chunk_size=CHUNK):
            interaction = response.interaction
            row: list[Any] = [
                str(response.pk),
                response.submitted_at.astimezone(UTC).replace(tzinfo=None),
                response.version.survey.name,
                response.version.number,
                str(interaction.pk) if interaction else "",
                (interaction.external_id or "") if interaction else "",
                response.branch.name,
                str(response.channel) if response.channel else "",
                response.team.name if response.team else "",
                str(interaction.agent) if interaction and interaction.agent else "",
                interaction.segment.name if interaction and interaction.segment else "",
                response.moment.name if response.moment else "",
                response.source,
                response.language,
            ]
            if self.include_flagged:
                row.append(response.flagged_staff)
            yield row + self._answer_cells(response.answers.all())


def _safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    return _safe(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(sheet: ResponseSheet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark: spreadsheet programs then read UTF-8 correctly
    yield writer.writerow(sheet.header())
    for row in sheet.rows():
        yield writer.writerow([_csv_cell(v) for v in row])


def export_response(sheet: ResponseSheet, *, file_format: str, filename: str) -> HttpResponseBase:
    """The download of ``sheet``: CSV streamed row by row, or an XLSX workbook (``filename`` without suffix)."""
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            _csv_lines(sheet), content_type="text/csv; charset=utf-8"
        )
    elif file_format == "xlsx":
        response = FileResponse(_xlsx_file(sheet), content_type=XLSX_TYPE)
    else:
        raise DomainError(_("Unknown format: use csv or xlsx."), code="invalid_format", field="format")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response


def _xlsx_file(sheet: ResponseSheet) -> Any:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(_("Responses")[:31])
    bold = Font(bold=True)
    header = []
    for title in sheet.header():
        cell = WriteOnlyCell(worksheet, value=_safe(title))
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    for row in sheet.rows():
        worksheet.append([_safe(v) for v in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(spool)
    spool.seek(0)
    return spool


def export_filename(prefix: str) -> str:
    return f"{prefix}-{timezone.localdate():%Y%m%d}"
