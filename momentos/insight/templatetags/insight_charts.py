"""Template tags for the insight charts: ``{% load insight_charts %}`` then ``{% sparkline values title=... %}``.

Each tag hands its arguments to the pure function of ``momentos.insight.charts`` of the same name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.safestring import SafeString

from momentos.insight import charts

register = template.Library()


@register.simple_tag
def sparkline(values: Sequence[Any], title: str = "", **kwargs: Any) -> SafeString:
    return charts.sparkline(values or (), title=str(title), **kwargs)


@register.simple_tag
def line_chart(series: Sequence[charts.Series], title: str = "", **kwargs: Any) -> SafeString:
    return charts.line_chart(series or (), title=str(title), **kwargs)


@register.simple_tag
def bar_chart(bars: Sequence[charts.Bar], title: str = "", **kwargs: Any) -> SafeString:
    return charts.bar_chart(bars or (), title=str(title), **kwargs)


@register.simple_tag
def scatter_chart(dots: Sequence[charts.Dot], title: str = "", **kwargs: Any) -> SafeString:
    return charts.scatter_chart(dots or (), title=str(title), **kwargs)
