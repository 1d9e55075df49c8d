"""Tables of the insight pages: one description that renders as a page table and exports as CSV or XLSX.

A view builds a ``Table`` (columns with a label and a format, rows of raw values, an optional link per
cell) and hands it to ``partials/table.html``; ``export_response`` answers ``?export=csv|xlsx`` with the
same rows: a header row, then typed cells (numbers stay numbers, no data stays empty).

    table = Table("branches", _("Branches"), [Column("name", _("Branch")), Column("csat", _("CSAT %"), PERCENT)])
    table.add({"name": "Centro", "csat": Decimal("87.5")}, links={"csat": url})
    if response := export_response(request, [table], page="league", period=form.period_label()):
        return response
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"  # one decimal place
PERCENT = "percent"  # a value 0–100 shown with "%"
SCORE = "score"  # a value such as NPS or CES, one decimal place
SECONDS = "seconds"  # a duration: shown as minutes/hours, exported as seconds
DATE = "date"
DATETIME = "datetime"
NUMERIC_FORMATS = frozenset({INTEGER, DECIMAL, PERCENT, SCORE, SECONDS})
EXPORT_FORMATS = ("csv", "xlsx")
NO_DATA = "—"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    format: str = TEXT
    # Shown beside the label in the export header, e.g. the unit ("seconds").
    export_label: Any = None

    @property
    def numeric(self) -> bool:
        return self.format in NUMERIC_FORMATS

    def header(self) -> str:
        return force_str(self.export_label or self.label)


@dataclass(frozen=True)
class RenderedCell:
    text: str
    url: str
    label: str
    numeric: bool
    empty: bool


def format_duration(seconds: Any) -> str:
    """A duration for people: ``45 s``, ``3 min 20 s``, ``2 h 05 min``, ``3 d 4 h``."""
    total = int(round(float(seconds)))
    if total < 60:
        return _("%(s)d s") % {"s": total}
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return _("%(m)d min %(s)02d s") % {"m": minutes, "s": secs}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}


def _one_place(value: Any) -> Decimal:
    # Rounded here: Django's number_format cuts the extra decimals off rather than rounding them.
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_value(value: Any, fmt: str) -> str:
    """The text a page shows for ``value`` in format ``fmt`` (localised numbers; "—" for no data)."""
    if value is None or value == "":
        return NO_DATA
    if fmt == INTEGER:
        return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)
    if fmt in (DECIMAL, SCORE):
        return formats.number_format(_one_place(value), 1, use_l10n=True)
    if fmt == PERCENT:
        return formats.number_format(_one_place(value), 1, use_l10n=True) + " %"
    if fmt == SECONDS:
        return format_duration(value)
    if fmt == DATETIME and isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "SHORT_DATETIME_FORMAT")
    if fmt == DATE and isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return force_str(value)


def export_value(value: Any, fmt: str) -> Any:
    """The typed value an export holds: numbers as int/float, dates as dates, no data as empty."""
    if value is None or value == "":
        return None
    if fmt == INTEGER:
        return int(value)
    if fmt in (DECIMAL, SCORE, PERCENT, SECONDS):
        number = float(value)
        return round(number, 4)
    if fmt == DATETIME and isinstance(value, datetime):
        # Spreadsheets have no time zones: the local wall time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if fmt == DATE and isinstance(value, date):
        return value
    return force_str(value)


@dataclass
class Table:
    name: str  # a slug, unique on the page: ``?export=csv&table=<name>``
    title: Any
    columns: Sequence[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    # Per row, a format that overrides a column's (a column of values in several units).
    formats: list[dict[str, str]] = field(default_factory=list)
    empty_message: Any = None
    # The page's query string (its filters), so the export links export the same selection.
    query: str = ""

    @property
    def csv_url(self) -> str:
        return export_url(self.query, self, "csv")

    @property
    def xlsx_url(self) -> str:
        return export_url(self.query, self, "xlsx")

    def add(
        self,
        values: Mapping[str, Any],
        *,
        links: Mapping[str, str | None] | None = None,
        formats: Mapping[str, str] | None = None,
    ) -> None:
        self.rows.append(dict(values))
        self.links.append({key: url for key, url in (links or {}).items() if url})
        self.formats.append(dict(formats or {}))

    def _format(self, index: int, column: Column) -> str:
        if index < len(self.formats):
            return self.formats[index].get(column.key, column.format)
        return column.format

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return True  # a table with no rows still renders (its empty state)

    def rendered_rows(self) -> list[list[RenderedCell]]:
        rendered = []
        for index, (values, links) in enumerate(zip(self.rows, self.links, strict=True)):
            rendered.append(
                [
                    RenderedCell(
                        text=format_value(values.get(column.key), self._format(index, column)),
                        url=links.get(column.key, ""),
                        label=force_str(column.label),
                        numeric=column.numeric,
                        empty=values.get(column.key) is None,
                    )
                    for column in self.columns
                ]
            )
        return rendered

    def header(self) -> list[str]:
        return [column.header() for column in self.columns]

    def export_rows(self) -> list[list[Any]]:
        return [
            [export_value(values.get(c.key), self._format(index, c)) for c in self.columns]
            for index, values in enumerate(self.rows)
        ]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-").lower() or "export"


def export_filename(page: str, period: str, table: Table, extension: str) -> str:
    parts = [_slug(page)]
    if table.name and table.name != page:
        parts.append(_slug(table.name))
    if period:
        parts.append(_slug(period))
    return "-".join(parts) + "." + extension


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header())
    for row in table.export_rows():
        writer.writerow(
            ["" if v is None else (v.isoformat(sep=" ") if isinstance(v, datetime) else v) for v in row]
        )
    # A byte-order mark, so that spreadsheet programs read the accents as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _slug(force_str(table.title))[:31] or "data"
    sheet.append(table.header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    number_formats = {
        index: {INTEGER: "0", PERCENT: "0.0", DECIMAL: "0.0", SCORE: "0.0", SECONDS: "0"}.get(column.format)
        for index, column in enumerate(table.columns, start=1)
    }
    for row in table.export_rows():
        sheet.append(row)
    for index, number_format in number_formats.items():
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if cell.value is not None:
                    cell.number_format = number_format
        if table.columns[index - 1].format == DATETIME:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd hh:mm"
    for index, column in enumerate(table.columns, start=1):
        width = max(
            [len(column.header())]
            + [
                len(format_value(r.get(column.key), table._format(i, column)))
                for i, r in enumerate(table.rows)
            ]
        )
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(60, width + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_response(table: Table, export: str, *, page: str, period: str = "") -> HttpResponse:
    body = csv_bytes(table) if export == "csv" else xlsx_bytes(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[export])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(page, period, table, export)}"'
    return response


def export_response(
    request: HttpRequest, tables: Iterable[Table], *, page: str, period: str = ""
) -> HttpResponse | None:
    """The export asked for by ``?export=csv|xlsx[&table=name]``, or None when the page is wanted.

    An unknown format or table name is a 400 with a message, not a page nor an error.
    """
    export = request.GET.get("export")
    if not export:
        return None
    if export not in EXPORT_FORMATS:
        return HttpResponse(
            _("Unknown export format: choose CSV or XLSX."), status=400, content_type="text/plain"
        )
    tables = list(tables)
    wanted = request.GET.get("table")
    chosen = (
        next((t for t in tables if t.name == wanted), None) if wanted else (tables[0] if tables else None)
    )
    if chosen is None:
        return HttpResponse(_("There is no such table on this page."), status=400, content_type="text/plain")
    return table_response(chosen, export, page=page, period=period)


def export_url(query: str, table: Table, export: str) -> str:
    """The link to export ``table`` from a page whose current query string is ``query``."""
    from django.http import QueryDict

    params = QueryDict(query, mutable=True)
    for key in ("export", "table", "page"):
        params.pop(key, None)
    params["export"] = export
    params["table"] = table.name
    return "?" + params.urlencode()
