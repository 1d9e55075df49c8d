"""The period report: the page with the filter bar, and the same report as a PDF in the reader's language."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.permissions import Capability
from momentos.insight import charts
from momentos.insight.drill import indicator_url
from momentos.insight.forms import InsightFilterForm
from momentos.insight.report import Report, format_number, report_build
from momentos.insight.report_pdf import report_filename, report_pdf

LANGUAGES = ("es", "en")
# The button for the other language's PDF names it in that language, as language switchers do.
OTHER_LANGUAGE_BUTTON = {"es": "PDF en español", "en": "PDF in English"}


def _score_status(score: Any) -> str:
    if score is None:
        return "no_data"
    return "on_target" if score >= 80 else "at_risk" if score >= 60 else "off_target"


def _trend_title(trend: Any) -> str:
    if trend.unit == "seconds":
        return _("%(indicator)s (minutes)") % {"indicator": trend.label}
    return str(trend.label)


def _trend_chart(trend: Any) -> Any:
    # Times are drawn in minutes (the axis has plain numbers); each point still says its duration.
    minutes = trend.unit == "seconds"
    points = [
        charts.Point(
            label=formats.date_format(day, "j M"),
            value=None if value is None else (value / 60 if minutes else value),
            display=format_number(trend.indicator, value),
        )
        for day, value in trend.points
    ]
    percent = trend.unit == "percent"
    return charts.line_chart(
        [charts.Series(name=trend.label, points=points)],
        title=_trend_title(trend),
        y_min=0 if percent else None,
        y_max=100 if percent else None,
        height=220,
    )


def _cycle_chart(block: Any) -> Any:
    bars = [
        charts.Bar(
            label=f"{m.position}. {m.name}",
            value=m.score,
            display=m.score_text,
            status=_score_status(m.score),
        )
        for m in block.moments
    ]
    return charts.bar_chart(bars, title=_("Score of each moment, 0–100"), min_value=0, max_value=100)


def _context(request: MemberRequest, form: InsightFilterForm, report: Report) -> dict[str, Any]:
    query = form.query()
    membership = request.membership
    language = translation.get_language() or request.organization.language
    other = "en" if language.startswith("es") else "es"
    figures = [(f, indicator_url(f.indicator, report.filters, membership)) for f in report.figures]
    return {
        "form": form,
        "report": report,
        "figures": figures,
        "trend_charts": [(_trend_title(t), _trend_chart(t)) for t in report.trends if t.points],
        "minimum_sample": request.organization.min_sample_size,
        "cycle_charts": [(c, _cycle_chart(c)) for c in report.cycles],
        "pdf_url": f"{reverse('insight:report_pdf')}?{query}",
        "pdf_other_url": f"{reverse('insight:report_pdf')}?{form.query(language=other)}",
        "other_language": other,
        "other_language_button": OTHER_LANGUAGE_BUTTON[other],
    }


@member_required(Capability.READ_INSIGHT)
def report(request: MemberRequest) -> HttpResponse:
    form = InsightFilterForm(request.GET, scope=request.membership)
    data = report_build(organization=request.organization, filters=form.filters(), scope=request.membership)
    return render(request, "insight/report/report.html", _context(request, form, data))


@member_required(Capability.READ_INSIGHT)
def report_pdf_download(request: MemberRequest) -> HttpResponse:
    language = request.GET.get("language", "")
    if language not in LANGUAGES:
        language = translation.get_language() or request.organization.language
        language = "es" if language.startswith("es") else "en"
    form = InsightFilterForm(request.GET, scope=request.membership)
    with translation.override(language):
        data = report_build(
            organization=request.organization, filters=form.filters(), scope=request.membership
        )
        content = report_pdf(data, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(data)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
