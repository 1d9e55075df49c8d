"""Tables render as page tables and export the same rows as CSV and XLSX with typed cells."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import translation
from openpyxl import load_workbook

from momentos.insight.tables import (
    INTEGER,
    PERCENT,
    SECONDS,
    Column,
    Table,
    export_response,
    format_duration,
    format_value,
)


def branch_table() -> Table:
    table = Table(
        "branches",
        "Branches",
        [
            Column("name", "Branch"),
            Column("answers", "Answers", INTEGER),
            Column("csat", "CSAT %", PERCENT),
            Column("time", "Attention time", SECONDS, export_label="Attention time (seconds)"),
        ],
        query="period=month&branch=1&page=3",
    )
    table.add(
        {"name": "Centro", "answers": 12, "csat": Decimal("87.5"), "time": Decimal("200")},
        links={"csat": "/x"},
    )
    table.add({"name": "Norte, “B”", "answers": 0, "csat": None, "time": None})
    return table


def test_rendered_rows_format_numbers_and_no_data() -> None:
    with translation.override("en"):
        rows = branch_table().rendered_rows()
    first, second = rows
    assert [c.text for c in first] == ["Centro", "12", "87.5 %", "3 min 20 s"]
    assert first[2].url == "/x" and first[2].numeric and not first[0].numeric
    assert second[2].text == "—" and second[2].empty and second[1].text == "0"


def test_spanish_numbers_use_a_decimal_comma() -> None:
    with translation.override("es"):
        assert format_value(Decimal("87.5"), PERCENT) == "87,5 %"


def test_numbers_are_rounded_not_cut() -> None:
    with translation.override("en"):
        assert format_value(Decimal("66.67"), PERCENT) == "66.7 %"
        assert format_value(Decimal("66.65"), PERCENT) == "66.7 %"
        assert format_value(2 / 3 * 100, PERCENT) == "66.7 %"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(45, "45 s"), (200, "3 min 20 s"), (7500, "2 h 05 min"), (3 * 86400 + 3600, "3 d 1 h")],
)
def test_durations(seconds: int, text: str) -> None:
    with translation.override("en"):
        assert format_duration(seconds) == text


def test_export_links_keep_the_filters_and_drop_the_page() -> None:
    table = branch_table()
    assert table.csv_url == "?period=month&branch=1&export=csv&table=branches"
    assert table.xlsx_url.endswith("export=xlsx&table=branches")


def test_csv_export_has_a_header_and_typed_rows() -> None:
    request = RequestFactory().get("/", {"export": "csv"})
    response = export_response(request, [branch_table()], page="overview", period="2026-11-01_2026-11-23")
    assert response is not None and response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="overview-branches-2026-11-01_2026-11-23.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Branch", "Answers", "CSAT %", "Attention time (seconds)"],
        ["Centro", "12", "87.5", "200.0"],
        ["Norte, “B”", "0", "", ""],
    ]


def test_xlsx_export_cells_are_numbers() -> None:
    table = branch_table()
    table.columns = [*table.columns, Column("when", "When", "datetime")]
    table.rows[0]["when"] = datetime(2026, 11, 2, 9, 30)
    request = RequestFactory().get("/", {"export": "xlsx", "table": "branches"})
    response = export_response(request, [Table("other", "Other", []), table], page="overview", period="p")
    assert response is not None and response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="overview-branches-p.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Branch", "Answers", "CSAT %", "Attention time (seconds)", "When"]
    assert values[1] == ["Centro", 12, 87.5, 200, datetime(2026, 11, 2, 9, 30)]
    assert values[2] == ["Norte, “B”", 0, None, None, None]
    assert isinstance(values[1][1], int) and isinstance(values[1][2], float)


def test_no_export_asked_means_the_page() -> None:
    assert export_response(RequestFactory().get("/"), [branch_table()], page="overview") is None


@pytest.mark.parametrize("query", [{"export": "pdf"}, {"export": "csv", "table": "nope"}])
def test_bad_export_requests_are_400(query: dict[str, str]) -> None:
    response = export_response(RequestFactory().get("/", query), [branch_table()], page="overview")
    assert response is not None and response.status_code == 400
