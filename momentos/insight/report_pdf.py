"""The period report as a PDF (fpdf2), charts drawn as vectors with fpdf2's own primitives.

The charts are drawn here rather than embedded from the pages' SVG: fpdf2 renders only part of SVG
(no CSS classes, limited text), and a few lines, rectangles and labels print crisply at any zoom. The
font set-up is the protocol exports' (PT Sans from its PyPI package), which covers Spanish and English.
The text is in the active language: callers wrap the call in ``translation.override``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from fpdf.fonts import FontFace

from momentos.cycle.choices import TIME_INDICATORS
from momentos.insight.report import CycleBlock, Report, Trend, format_number
from momentos.protocols.pdf import FONT, INK, MUTED, BrandedPdf

GOOD = (21, 128, 61)
WARN = (180, 83, 9)
BAD = (185, 28, 28)
LINE = (203, 213, 225)
SOFT = (241, 245, 249)
ACCENT = (37, 99, 235)
STATUS_COLOURS = {"on_target": GOOD, "at_risk": WARN, "off_target": BAD}
TREND_COLOURS = {"better": GOOD, "worse": BAD}


def score_colour(score: float | None) -> tuple[int, int, int]:
    if score is None:
        return LINE
    return GOOD if score >= 80 else WARN if score >= 60 else BAD


class _ReportPdf(BrandedPdf):
    body_size = 10
    margin = 15
    bottom_margin = 16
    first_page_header = False  # the report's own title block opens the first page

    def __init__(self, *, organization: str, footer_text: str) -> None:
        super().__init__(organization_name=organization, footer_text=footer_text)
        self.organization = organization

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def section(self, title: str, *, need: float = 40) -> None:
        """A section title, on a new page when less than ``need`` mm are left."""
        if self.get_y() + need > self.h - self.b_margin:
            self.add_page()
        self.ln(4)
        self.set_font(FONT, "B", 14)
        self.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*LINE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)
        self.set_font(FONT, "", 10)

    def note(self, text: str) -> None:
        self.set_font(FONT, "", 9)
        self.set_text_color(*MUTED)
        self.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.set_font(FONT, "", 10)


def _heading_style() -> FontFace:
    return FontFace(family=FONT, emphasis="BOLD", size_pt=8.5, color=MUTED, fill_color=SOFT)


def _table(
    pdf: _ReportPdf,
    headings: Sequence[str],
    rows: Sequence[Sequence[tuple[str, FontFace | None]]],
    widths: Sequence[float],
    aligns: Sequence[str],
) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*LINE)
    with pdf.table(
        col_widths=tuple(widths),
        text_align=tuple(aligns),
        line_height=5,
        padding=(1.2, 1.5),
        headings_style=_heading_style(),
        borders_layout="HORIZONTAL_LINES",
        first_row_as_headings=True,
    ) as table:
        head = table.row()
        for text in headings:
            head.cell(text)
        for cells in rows:
            row = table.row()
            for text, style in cells:
                row.cell(text, style=style)
    pdf.set_font(FONT, "", 10)
    pdf.ln(1)


def _coloured(colour: tuple[int, int, int] | None, *, bold: bool = False) -> FontFace | None:
    if colour is None and not bold:
        return None
    return FontFace(color=colour, emphasis="BOLD" if bold else None)


def _title_page(pdf: _ReportPdf, report: Report) -> None:
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, report.organization, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 22)
    pdf.cell(0, 12, _("Service report"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 12)
    pdf.cell(0, 7, report.period, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    before = report.filters.previous()
    facts = [
        (_("Organisation"), report.organization),
        (_("Period"), report.period),
        (
            _("Compared with"),
            _("%(start)s to %(end)s")
            % {
                "start": formats.date_format(before.start, "DATE_FORMAT"),
                "end": formats.date_format(before.end, "DATE_FORMAT"),
            },
        ),
        (_("Scope"), "; ".join(report.scope)),
        (_("Generated"), report.generated),
    ]
    for label, value in facts:
        pdf.set_font(FONT, "B", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(32, 5, label)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")


def _no_data(pdf: _ReportPdf) -> None:
    pdf.ln(6)
    pdf.set_fill_color(*SOFT)
    pdf.set_draw_color(*LINE)
    y = pdf.get_y()
    pdf.rect(pdf.l_margin, y, pdf.width, 24, style="DF")
    pdf.set_xy(pdf.l_margin + 5, y + 4)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, _("No data for this period"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + 5)
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(
        pdf.width - 10,
        5,
        _("No interaction was closed and no survey was answered in this period and scope."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(y + 28)


def _objectives(pdf: _ReportPdf, report: Report) -> None:
    pdf.section(_("Objectives"))
    if not report.objectives:
        pdf.note(_("No objective has been set yet (Step 1 of the protocol design)."))
        return
    rows = []
    for row in report.objectives:
        colour = STATUS_COLOURS.get(row.status, MUTED)
        rows.append(
            [
                (row.title, None),
                (f"{row.figure.label} · {row.scope}" if row.scope else row.figure.label, _coloured(MUTED)),
                (row.figure.text, _coloured(None, bold=True)),
                (row.target, None),
                (row.status_label, _coloured(colour, bold=True)),
                (row.figure.previous_text, _coloured(MUTED)),
            ]
        )
    _table(
        pdf,
        [_("Objective"), _("Indicator"), _("Value"), _("Target"), _("Status"), _("Previous period")],
        rows,
        (48, 38, 22, 22, 24, 26),
        ("LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT", "RIGHT"),
    )


def _figures(pdf: _ReportPdf, report: Report) -> None:
    pdf.section(_("Key indicators"))
    rows = [
        [
            (f.label, None),
            (f.text, _coloured(None, bold=True)),
            (f.previous_text, _coloured(MUTED)),
            (f.change or "—", _coloured(TREND_COLOURS.get(f.trend))),
            (formats.number_format(f.n, force_grouping=True), _coloured(MUTED)),
        ]
        for f in report.figures
    ]
    _table(
        pdf,
        [
            _("Indicator"),
            _("Value"),
            _("Previous period"),
            pgettext("difference from the previous period", "Change"),
            "n",
        ],
        rows,
        (60, 32, 32, 32, 24),
        ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
    )
    pdf.note(_("n: the answers or interactions behind each value. “—”: no data."))


def _axis_labels(trend: Trend, low: float, high: float) -> tuple[str, str]:
    if trend.indicator in TIME_INDICATORS:
        return format_number(trend.indicator, high), format_number(trend.indicator, low)
    return format_number(trend.indicator, round(high, 1)), format_number(trend.indicator, round(low, 1))


def _line_chart(pdf: _ReportPdf, trend: Trend, x: float, y: float, w: float, h: float) -> None:
    """One trend: a title, a frame, min and max on the left, first and last date below, the line."""
    pdf.set_xy(x, y)
    pdf.set_font(FONT, "B", 9)
    pdf.cell(w, 5, trend.label)
    top, left, bottom, right = y + 7, x + 18, y + h - 6, x + w - 2
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.2)
    pdf.rect(left, top, right - left, bottom - top)
    values = [v for _d, v in trend.points if v is not None]
    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(*MUTED)
    if not values:
        pdf.set_xy(left, (top + bottom) / 2 - 2)
        pdf.cell(right - left, 4, _("No data"), align="C")
        pdf.set_text_color(*INK)
        return
    low, high = min(values), max(values)
    if trend.unit == "percent":
        low, high = 0.0, 100.0  # the whole scale, as on the page, so a small dip does not look like a fall
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    high_text, low_text = _axis_labels(trend, low, high)
    pdf.set_xy(x, top - 1)
    pdf.cell(17, 3, high_text, align="R")
    pdf.set_xy(x, bottom - 2.5)
    pdf.cell(17, 3, low_text, align="R")
    first, last = trend.points[0][0], trend.points[-1][0]
    pdf.set_xy(left, bottom + 0.5)
    pdf.cell(30, 3, formats.date_format(first, "SHORT_DATE_FORMAT"))
    pdf.set_xy(right - 30, bottom + 0.5)
    pdf.cell(30, 3, formats.date_format(last, "SHORT_DATE_FORMAT"), align="R")
    pdf.set_text_color(*INK)
    count = len(trend.points)
    step = (right - left - 4) / max(count - 1, 1)

    def at(index: int, value: float) -> tuple[float, float]:
        return left + 2 + index * step, bottom - 2 - (value - low) / (high - low) * (bottom - top - 4)

    pdf.set_draw_color(*ACCENT)
    pdf.set_fill_color(*ACCENT)
    pdf.set_line_width(0.5)
    run: list[tuple[float, float]] = []
    for index, (_day, value) in enumerate(trend.points):
        if value is None:
            if len(run) > 1:
                pdf.polyline(run)
            run = []
            continue
        run.append(at(index, value))
    if len(run) > 1:
        pdf.polyline(run)
    if count <= 40:
        for index, (_day, value) in enumerate(trend.points):
            if value is not None:
                px, py = at(index, value)
                pdf.circle(px, py, 0.7, style="F")
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*INK)


def _trends(pdf: _ReportPdf, report: Report) -> None:
    trends = report.trends
    if not trends:
        return
    pdf.section(_("Trends"), need=60 if len(trends) <= 2 else 110)
    w, h, gap = (pdf.width - 6) / 2, 48, 6
    for index, trend in enumerate(trends):
        column = index % 2
        if column == 0 and index:
            pdf.set_y(pdf.get_y() + h + 3)
        if column == 0 and pdf.get_y() + h > pdf.h - pdf.b_margin:
            pdf.add_page()
        y = pdf.get_y()
        _line_chart(pdf, trend, pdf.l_margin + column * (w + gap), y, w, h)
        pdf.set_y(y)
    pdf.set_y(pdf.get_y() + h + 3)
    bucket = {"day": _("day"), "week": _("week"), "month": _("month")}
    points = len(trends[0].points)
    pdf.note(
        _("One point per %(bucket)s; gaps are periods without data.")
        % {"bucket": bucket.get(_bucket_of(trends[0], points), _("day"))}
    )


def _bucket_of(trend: Trend, points: int) -> str:
    if points < 2:
        return "day"
    days = (trend.points[1][0] - trend.points[0][0]).days
    return "day" if days <= 1 else "week" if days <= 7 else "month"


def _cycle(pdf: _ReportPdf, block: CycleBlock) -> None:
    bars = len(block.moments)
    if pdf.get_y() + 14 + bars * 6 > pdf.h - pdf.b_margin:
        pdf.add_page()
    else:
        pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, f"{block.name} · {block.channel}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    if block.worst is not None:
        pdf.set_text_color(*BAD)
        pdf.cell(
            0,
            5,
            _("Worst moment: %(name)s (score %(score)s of 100)")
            % {"name": block.worst.name, "score": block.worst.score_text},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(*INK)
    # A horizontal bar per moment: the combined score 0–100.
    name_w, bar_w = 62, pdf.width - 62 - 14
    for moment in block.moments:
        y = pdf.get_y() + 1
        pdf.set_xy(pdf.l_margin, y)
        pdf.set_font(FONT, "B" if moment.worst else "", 8.5)
        label = f"{moment.position}. {moment.name}"
        while pdf.get_string_width(label) > name_w - 2 and len(label) > 4:
            label = label[:-2].rstrip() + "…"
            label = label[:-1] if label.endswith("……") else label
        pdf.cell(name_w, 4, label)
        x0 = pdf.l_margin + name_w
        pdf.set_fill_color(*SOFT)
        pdf.rect(x0, y + 0.5, bar_w, 3, style="F")
        if moment.score is not None:
            pdf.set_fill_color(*score_colour(float(moment.score)))
            pdf.rect(x0, y + 0.5, bar_w * float(moment.score) / 100, 3, style="F")
        pdf.set_xy(x0 + bar_w + 1, y)
        pdf.cell(13, 4, moment.score_text, align="R")
        pdf.set_y(y + 5)
    pdf.set_font(FONT, "", 10)
    pdf.ln(2)
    rows = [
        [
            (str(m.position), None),
            (m.name, _coloured(BAD, bold=True) if m.worst else None),
            (
                m.score_text,
                _coloured(score_colour(float(m.score)) if m.score is not None else MUTED, bold=True),
            ),
            (m.rating, None),
            (m.standards, None),
            (m.checklist, None),
        ]
        for m in block.moments
    ]
    _table(
        pdf,
        ["#", _("Moment of truth"), _("Score"), _("Customer rating"), _("Standards met"), _("Checklist")],
        rows,
        (8, 58, 20, 40, 27, 27),
        ("RIGHT", "LEFT", "RIGHT", "LEFT", "RIGHT", "RIGHT"),
    )


def _cycles(pdf: _ReportPdf, report: Report) -> None:
    if not report.cycles:
        return
    pdf.section(_("Service cycle: moments of truth"), need=60)
    pdf.note(
        _(
            "Score 0–100 combines the customers' ratings of the moment, its standards and its checklist; "
            "the worst moment is the lowest score with data."
        )
    )
    pdf.ln(1)
    for block in report.cycles:
        _cycle(pdf, block)


def _league(pdf: _ReportPdf, report: Report) -> None:
    if not report.league:
        return
    pdf.section(_("Branch league"), need=30 + 6 * min(len(report.league), 6))
    rows = [
        [
            (str(row.rank), None),
            (row.name, None),
            *[(cell, None) for cell in row.cells],
            (formats.number_format(row.interactions, force_grouping=True), _coloured(MUTED)),
        ]
        for row in report.league
    ]
    widths = (8, 52, *([24] * len(report.league_columns)), 24)
    _table(
        pdf,
        ["#", _("Branch"), *report.league_columns, _("Interactions")],
        rows,
        widths,
        ("RIGHT", "LEFT", *(["RIGHT"] * len(report.league_columns)), "RIGHT"),
    )
    pdf.note(_("Ranked by CSAT, then NPS. Interactions: closed in the period."))
    if report.league_small:
        pdf.note(
            ngettext(
                "*: fewer answers than the minimum sample (%(n)s), ranked after the others.",
                "*: fewer answers than the minimum sample (%(n)s), ranked after the others.",
                report.minimum_sample,
            )
            % {"n": report.minimum_sample}
        )


def _actions(pdf: _ReportPdf, report: Report) -> None:
    if report.actions is None:
        return
    pdf.section(_("Overdue improvement actions"), need=30)
    if not report.actions:
        pdf.note(_("No improvement action is overdue."))
        return
    rows = [
        [
            (a.title, None),
            (a.owner, None),
            (a.due, None),
            (
                ngettext("%(n)s day", "%(n)s days", a.days_late) % {"n": a.days_late},
                _coloured(BAD, bold=True),
            ),
        ]
        for a in report.actions
    ]
    _table(
        pdf,
        [_("Action"), _("Owner"), _("Due"), _("Late")],
        rows,
        (90, 45, 25, 20),
        ("LEFT", "LEFT", "RIGHT", "RIGHT"),
    )


def report_pdf(report: Report, *, language: str) -> bytes:
    """The report as PDF bytes, in the active language (``language`` sets the document's language tag)."""
    title = _("Service report")
    pdf = _ReportPdf(organization=report.organization, footer_text=f"{title} · {report.period}")
    pdf.set_title(f"{title} — {report.organization} — {report.period}")
    pdf.set_author(report.organization)
    pdf.set_lang(language)
    pdf.add_page()
    _title_page(pdf, report)
    if not report.has_data:
        _no_data(pdf)
    _objectives(pdf, report)
    if report.has_data:
        _figures(pdf, report)
        _trends(pdf, report)
        _cycles(pdf, report)
        _league(pdf, report)
    _actions(pdf, report)
    return bytes(pdf.output())


def report_filename(report: Report) -> str:
    start: date = report.start
    end: date = report.end
    return f"report-{start.isoformat()}-{end.isoformat()}.pdf"
