"""Server-rendered SVG charts: sparkline, line chart with a target, horizontal bars and a quadrant scatter.

Pure functions: data in, safe SVG markup out, no database and no JavaScript. Every label comes from
users, so every piece goes through ``format_html``. Each chart carries a ``<title>`` and a ``<desc>``
that spells out its numbers, and each mark its own ``<title>`` (a tooltip, and what a screen reader
reads), so nothing is said by colour or position alone. Colours are CSS classes styled with the
design tokens in ``insight/charts.css``; the presentation attributes are light fallbacks for a
renderer without the stylesheet (a PDF), so a chart prints on white paper either way.

A missing value (``None``) is "no data": a line breaks there instead of dropping to zero, a bar is
replaced by the words "no data", a dot is left out of the scatter and named in the description.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Number = int | float | Decimal

# Fallback colours (the design tokens of app.css); the stylesheet overrides them with its variables.
INK = "#1c2330"
MUTED = "#5b6577"
GRID = "#dde1e7"
PRIMARY = "#0f6e6e"
ACCENT = "#e07a2e"
STATUS_FILL = {
    "on_target": "#1d7a46",
    "at_risk": "#9a6200",
    "off_target": "#b42318",
    "not_enough": "#8a94a6",
    "no_data": "#8a94a6",
    "": PRIMARY,
}
SERIES_STROKE = [PRIMARY, MUTED, "#2553a8", ACCENT]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass(frozen=True)
class Point:
    """One x position of a line: its label on the axis, its value (None = no data) and how to say it."""

    label: str
    value: Number | None
    display: str = ""
    href: str = ""


@dataclass(frozen=True)
class Series:
    """A named line. ``style`` is "current" (solid) or "previous" (dashed, muted) or "series-N"."""

    name: str
    points: Sequence[Point]
    style: str = "current"


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart; ``status`` colours it (on_target, at_risk, off_target...)."""

    label: str
    value: Number | None
    display: str = ""
    href: str = ""
    status: str = ""


@dataclass(frozen=True)
class Dot:
    """One point of a scatter: x and y (y None = no data), a short ``key`` drawn beside it."""

    label: str
    x: Number
    y: Number | None
    display: str = ""
    href: str = ""
    key: str = ""
    css: str = ""


# ---------------------------------------------------------------- helpers


def _f(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def fmt(value: Number | None, *, decimals: int = 1) -> str:
    """A number as the reader's locale writes it (one decimal unless whole); "no data" for None."""
    if value is None:
        return _("no data")
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return formats.number_format(number.quantize(Decimal(1)), decimal_pos=0, use_l10n=True)
    # Rounded first: number_format cuts extra decimals off instead of rounding them.
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True)


def _shown(display: str, value: Number | None) -> str:
    return display or fmt(value)


def _chart_id(kind: str, *parts: object) -> str:
    digest = hashlib.blake2s(repr((kind, *parts)).encode(), digest_size=4).hexdigest()
    return f"{kind}-{digest}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks covering [low, high]: steps of 1, 2 or 5 × 10^k."""
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    tick = start
    while tick < high + step * 0.999:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The width of an average character of the 12 px chart font, and the gap kept around a quadrant's name.
CHAR_WIDTH = 6.6
LABEL_PAD = 6
QUADRANT_LABEL_LIMIT = 30


def _fit_pair(first: str, second: str, room: int) -> tuple[str, str]:
    """Two quadrant names that share a row of the plot, cut so that together they fit ``room`` characters.

    The shorter keeps its length when it needs no more than half the row; the longer gets the rest.
    """
    first, second = _clip(first, QUADRANT_LABEL_LIMIT), _clip(second, QUADRANT_LABEL_LIMIT)
    if len(first) + len(second) <= room:
        return first, second
    half = max(room // 2, 2)
    if len(first) <= half:
        return first, _clip(second, max(room - len(first), 2))
    if len(second) <= half:
        return _clip(first, max(room - len(second), 2)), second
    return _clip(first, half), _clip(second, max(room - half, 2))


Box = tuple[float, float, float, float]


def _text_box(x: float, y: float, words: str, anchor: str) -> Box:
    """Where a line of chart text is drawn (left, top, right, bottom), halo included."""
    width = len(words) * CHAR_WIDTH
    start = x - width if anchor == "end" else x
    return start - 2, y - 14, start + width + 2, y + 5


def _covers(box: Box, dot: tuple[float, float], radius: float = 10) -> bool:
    left, top, right, bottom = box
    cx, cy = dot
    nearest_x, nearest_y = min(max(cx, left), right), min(max(cy, top), bottom)
    return (cx - nearest_x) ** 2 + (cy - nearest_y) ** 2 < radius**2


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _quadrant_labels(
    names: Sequence[str],
    *,
    plot: Box,
    split: tuple[float, float],
    dots: Sequence[tuple[float, float]],
) -> list[SafeString]:
    """The quadrant names (top-left, top-right, bottom-left, bottom-right), to draw over the dots.

    A name sits in its quadrant's outer corner, or in another corner of its quadrant when that one
    covers fewer dots (ties keep the outer corner), never on another name: drawn after the dots, a
    name over one would hide its number. A white halo (the stroke, painted under the letters) keeps
    it legible over whatever is under it, and it lets the pointer through to the dots. The two names
    of a row are cut to share its width; every spot is inside the plot, so no name reaches the ticks
    or the axis titles.
    """
    left, top, right, bottom = plot
    split_x, split_y = split
    room = int((right - left - 3 * LABEL_PAD) / CHAR_WIDTH)
    fitted = [*_fit_pair(names[0], names[1], room), *_fit_pair(names[2], names[3], room)]
    placed: list[Box] = []
    labels: list[SafeString] = []
    for css, words in zip(
        ("q-top-left", "q-top-right", "q-bottom-left", "q-bottom-right"), fitted, strict=True
    ):
        if not words:
            continue
        is_right, is_top = css.endswith("right"), css.startswith("q-top")
        q_top, q_bottom = (top, split_y) if is_top else (split_y, bottom)
        outer_x = (right - LABEL_PAD, "end") if is_right else (left + LABEL_PAD, "start")
        inner_x = (split_x + LABEL_PAD, "start") if is_right else (split_x - LABEL_PAD, "end")
        outer_y = top + 16 if is_top else bottom - 8
        inner_y = split_y - 8 if is_top else split_y + 16
        spots = [(outer_x, outer_y), (outer_x, inner_y), (inner_x, outer_y), (inner_x, inner_y)]
        choices = []
        for rank, ((x, anchor), y) in enumerate(spots):
            box = _text_box(x, y, words, anchor)
            # The outer corner is always allowed; another one only inside the plot and its quadrant's
            # height (a name wider than its quadrant may reach over the split, as in the outer corner).
            fits = box[0] >= left and box[2] <= right and box[1] >= q_top and box[3] <= q_bottom
            if (rank and not fits) or any(_overlap(box, other) for other in placed):
                continue
            choices.append((sum(_covers(box, dot) for dot in dots), rank, x, y, anchor, box))
        if not choices:
            (x, anchor), y = spots[0]
            choices.append((0, 0, x, y, anchor, _text_box(x, y, words, anchor)))
        _count, _rank, x, y, anchor, box = min(choices, key=lambda choice: (choice[0], choice[1]))
        placed.append(box)
        labels.append(
            format_html(
                '<text class="chart-quadrant-label {}" x="{}" y="{}" text-anchor="{}" fill="{}" stroke="#ffffff" '
                'stroke-width="4" stroke-linejoin="round" paint-order="stroke" pointer-events="none">{}</text>',
                css,
                _f(x),
                _f(y),
                anchor,
                MUTED,
                words,
            )
        )
    return labels


def _svg(
    *,
    chart_id: str,
    css: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    body: SafeString,
    interactive: bool,
) -> SafeString:
    # A chart with links is a group a keyboard can walk through; without, it is one image.
    role = "group" if interactive else "img"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" id="{id}" role="{role}" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" preserveAspectRatio="xMinYMin meet" '
        'font-family="{font}" font-size="12" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        css=css,
        id=chart_id,
        role=role,
        w=_f(width),
        h=_f(height),
        font=FONT,
        title=title,
        desc=desc,
        body=body,
    )


def _join(parts: Sequence[SafeString]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every part was built with format_html


def _linked(href: str, label: str, inner: SafeString) -> SafeString:
    if not href:
        return inner
    return format_html('<a href="{}" aria-label="{}">{}</a>', href, label, inner)


# ---------------------------------------------------------------- sparkline


def sparkline(
    values: Sequence[Number | None],
    *,
    title: str,
    desc: str = "",
    labels: Sequence[str] = (),
    width: int = 120,
    height: int = 28,
) -> SafeString:
    """A small line without axes; breaks where a value is missing; the last value is marked."""
    chart_id = _chart_id("spark", title, tuple(values))
    pad = 3
    known = [float(v) for v in values if v is not None]
    if not desc:
        if labels and len(labels) == len(values):
            desc = "; ".join(f"{label}: {fmt(v)}" for label, v in zip(labels, values, strict=True))
        else:
            desc = ", ".join(fmt(v) for v in values) if values else _("No data.")
    if not known:
        body = format_html(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="2 3"/>',
            pad,
            height / 2,
            width - pad,
            height / 2,
            GRID,
        )
        return _svg(
            chart_id=chart_id,
            css="chart-spark",
            width=width,
            height=height,
            title=title,
            desc=desc,
            body=body,
            interactive=False,
        )
    low, high = min(known), max(known)
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    count = len(values)

    def x(i: int) -> float:
        return width / 2 if count == 1 else pad + (width - 2 * pad) * i / (count - 1)

    def y(v: float) -> float:
        return pad + (height - 2 * pad) * (1 - (v - low) / (high - low))

    paths = _segments([(x(i), None if v is None else y(float(v))) for i, v in enumerate(values)])
    last = next((i for i in range(count - 1, -1, -1) if values[i] is not None), None)
    parts = [
        format_html(
            '<path class="chart-line" d="{}" fill="none" stroke="{}" stroke-width="1.5"/>', d, PRIMARY
        )
        for d in paths
    ]
    for i, v in enumerate(values):
        isolated = (
            v is not None and (i == 0 or values[i - 1] is None) and (i == count - 1 or values[i + 1] is None)
        )
        if v is not None and (i == last or isolated):
            parts.append(
                format_html(
                    '<circle class="chart-dot" cx="{}" cy="{}" r="2.5" fill="{}"/>',
                    _f(x(i)),
                    _f(y(float(v))),
                    PRIMARY,
                )
            )
    return _svg(
        chart_id=chart_id,
        css="chart-spark",
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=_join(parts),
        interactive=False,
    )


def _segments(coords: Sequence[tuple[float, float | None]]) -> list[str]:
    """Path data for each run of consecutive known points (a run of one point gives no path)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for cx, cy in coords:
        if cy is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((cx, cy))
    return ["M" + " L".join(f"{_f(px)} {_f(py)}" for px, py in run) for run in runs if len(run) > 1]


# ---------------------------------------------------------------- line chart


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    target: Number | None = None,
    target_label: str = "",
    y_min: Number | None = None,
    y_max: Number | None = None,
    width: int = 720,
    height: int = 260,
) -> SafeString:
    """Lines over shared x positions (the first series names them), an optional dashed target line.

    Each point is a dot with its value in a tooltip, linked to the rows behind it when it has an
    ``href``. The description lists every value of every series, "no data" included.
    """
    chart_id = _chart_id("line", title, tuple((s.name, tuple(s.points)) for s in series), target)
    count = max((len(s.points) for s in series), default=0)
    legend = len(series) > 1 or target is not None
    left, right, top, bottom = 52, 16, 30 if legend else 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [float(p.value) for s in series for p in s.points if p.value is not None]
    if target is not None:
        known.append(float(target))
    low = float(y_min) if y_min is not None else (min(known) if known else 0.0)
    high = float(y_max) if y_max is not None else (max(known) if known else 1.0)
    if y_min is None and known and low > 0 and low < high * 0.5:
        low = 0.0  # a scale that starts at zero unless the values sit in a narrow band far from it
    ticks = nice_ticks(low, high)
    low, high = (min(ticks[0], low), max(ticks[-1], high)) if y_min is None and y_max is None else (low, high)
    if y_min is not None or y_max is not None:
        ticks = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9]
    span = (high - low) or 1.0

    def x(i: int) -> float:
        return left + plot_w / 2 if count <= 1 else left + plot_w * i / (count - 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low) / span)

    parts: list[SafeString] = []
    for tick in ticks:
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text class="chart-tick" x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                left,
                _f(y(tick)),
                width - right,
                _f(y(tick)),
                GRID,
                left - 6,
                _f(y(tick) + 4),
                MUTED,
                fmt(tick),
            )
        )
    axis_labels = [p.label for p in series[0].points] if series else []
    every = max(1, math.ceil(count / 8))
    shown_at = set(range(0, count, every))
    if count > 1 and (count - 1) not in shown_at:
        # The last position is always labelled; its crowded neighbour gives way.
        shown_at.discard(max(shown_at))
        shown_at.add(count - 1)
    for i, label in enumerate(axis_labels):
        if i not in shown_at:
            continue
        anchor = "start" if count > 1 and i == 0 else "end" if count > 1 and i == count - 1 else "middle"
        parts.append(
            format_html(
                '<text class="chart-tick" x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
                _f(x(i)),
                height - bottom + 18,
                anchor,
                MUTED,
                _clip(label, 14),
            )
        )
    if target is not None:
        ty = y(float(target))
        parts.append(
            format_html(
                '<line class="chart-target" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5" '
                'stroke-dasharray="6 4"><title>{}</title></line>',
                left,
                _f(ty),
                width - right,
                _f(ty),
                ACCENT,
                target_label or _("Target: %(value)s") % {"value": fmt(target)},
            )
        )
    dot_r = 3.5 if count <= 40 else 2
    for index, line in enumerate(series):
        css = _series_css(line.style, index)
        stroke = MUTED if line.style == "previous" else SERIES_STROKE[index % len(SERIES_STROKE)]
        dash = ' stroke-dasharray="5 4"' if line.style == "previous" else ""
        coords = [(x(i), None if p.value is None else y(float(p.value))) for i, p in enumerate(line.points)]
        for d in _segments(coords):
            parts.append(
                format_html(
                    '<path class="chart-line {}" d="{}" fill="none" stroke="{}" stroke-width="2"{}/>',
                    css,
                    d,
                    stroke,
                    mark_safe(dash),  # noqa: S308 - a constant attribute
                )
            )
        for i, p in enumerate(line.points):
            if p.value is None:
                continue
            words = f"{line.name} · {p.label}: {_shown(p.display, p.value)}"
            dot = format_html(
                '<circle class="chart-dot {}" cx="{}" cy="{}" r="{}" fill="{}"><title>{}</title></circle>',
                css,
                _f(x(i)),
                _f(y(float(p.value))),
                dot_r,
                stroke,
                words,
            )
            parts.append(_linked(p.href, words, dot))
    if legend:
        parts.append(_legend(series, target, target_label, left=left))
    if not desc:
        desc = _describe_series(series, target, target_label)
    interactive = any(p.href for s in series for p in s.points)
    return _svg(
        chart_id=chart_id,
        css="chart-line-chart",
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=_join(parts),
        interactive=interactive,
    )


def _series_css(style: str, index: int) -> str:
    if style in {"current", "previous"}:
        return f"is-{style}"
    return style or f"series-{index + 1}"


def _legend(series: Sequence[Series], target: Number | None, target_label: str, *, left: float) -> SafeString:
    parts: list[SafeString] = []
    x = left
    for index, line in enumerate(series):
        css = _series_css(line.style, index)
        stroke = MUTED if line.style == "previous" else SERIES_STROKE[index % len(SERIES_STROKE)]
        dash = ' stroke-dasharray="5 4"' if line.style == "previous" else ""
        name = _clip(line.name, 40)
        parts.append(
            format_html(
                '<line class="chart-line {}" x1="{}" y1="12" x2="{}" y2="12" stroke="{}" stroke-width="2"{}/>'
                '<text class="chart-legend" x="{}" y="16" fill="{}">{}</text>',
                css,
                _f(x),
                _f(x + 18),
                stroke,
                mark_safe(dash),  # noqa: S308 - a constant attribute
                _f(x + 22),
                INK,
                name,
            )
        )
        x += 40 + len(name) * 7
    if target is not None:
        label = _clip(target_label or _("Target: %(value)s") % {"value": fmt(target)}, 30)
        parts.append(
            format_html(
                '<line class="chart-target" x1="{}" y1="12" x2="{}" y2="12" stroke="{}" stroke-width="1.5" '
                'stroke-dasharray="6 4"/><text class="chart-legend" x="{}" y="16" fill="{}">{}</text>',
                _f(x),
                _f(x + 18),
                ACCENT,
                _f(x + 22),
                INK,
                label,
            )
        )
    return _join(parts)


def _describe_series(series: Sequence[Series], target: Number | None, target_label: str) -> str:
    sentences = []
    for line in series:
        values = "; ".join(f"{p.label}: {_shown(p.display, p.value)}" for p in line.points)
        sentences.append(f"{line.name} — {values or _('no data')}.")
    if target is not None:
        sentences.append((target_label or _("Target: %(value)s") % {"value": fmt(target)}) + ".")
    return " ".join(sentences)


# ---------------------------------------------------------------- horizontal bars


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str = "",
    target: Number | None = None,
    target_label: str = "",
    min_value: Number | None = None,
    max_value: Number | None = None,
    width: int = 560,
    label_width: int = 150,
) -> SafeString:
    """One bar per row with its label on the left and its value written at its end.

    Negative values (NPS) grow left of a zero line; a missing value is written "no data" instead of a
    bar; the target is a dashed vertical line.
    """
    chart_id = _chart_id("bars", title, tuple(bars), target)
    row_h, top, value_w = 28, 8 if target is None else 26, 64
    height = top + max(len(bars), 1) * row_h + 8
    known = [float(b.value) for b in bars if b.value is not None]
    if target is not None:
        known.append(float(target))
    low = float(min_value) if min_value is not None else min([0.0, *known])
    high = float(max_value) if max_value is not None else max([0.0, *known]) or 1.0
    span = (high - low) or 1.0
    x0, plot_w = label_width + 8, width - label_width - 8 - value_w

    def x(v: float) -> float:
        return x0 + plot_w * (min(max(v, low), high) - low) / span

    zero = x(0.0)
    parts: list[SafeString] = [
        format_html(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            _f(zero),
            top - 2,
            _f(zero),
            height - 6,
            GRID,
        )
    ]
    for index, bar in enumerate(bars):
        y = top + index * row_h
        shown = _shown(bar.display, bar.value)
        words = f"{bar.label}: {shown}"
        label = format_html(
            '<text class="chart-label" x="{}" y="{}" text-anchor="end" fill="{}">{}<title>{}</title></text>',
            label_width,
            y + 18,
            INK,
            _clip(bar.label, 24),
            bar.label,
        )
        if bar.value is None:
            mark = format_html(
                '<text class="chart-nodata" x="{}" y="{}" fill="{}" font-style="italic">{}</text>',
                _f(zero + 4),
                y + 18,
                MUTED,
                shown,
            )
        else:
            end = x(float(bar.value))
            bx, bw = min(zero, end), max(abs(end - zero), 1.5)
            status = bar.status or ""
            mark = format_html(
                '<rect class="chart-bar {}" x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}">'
                "<title>{}</title></rect>"
                '<text class="chart-value" x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
                f"is-{status}" if status else "",
                _f(bx),
                y + 5,
                _f(bw),
                row_h - 10,
                STATUS_FILL.get(status, PRIMARY),
                words,
                _f(max(end, zero) + 4) if float(bar.value) >= 0 else _f(min(end, zero) - 4),
                y + 18,
                "start" if float(bar.value) >= 0 else "end",
                INK,
                shown,
            )
        parts.append(label)
        parts.append(_linked(bar.href, words, mark))
    if target is not None:
        tx = x(float(target))
        words = target_label or _("Target: %(value)s") % {"value": fmt(target)}
        parts.append(
            format_html(
                '<line class="chart-target" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5" '
                'stroke-dasharray="6 4"><title>{}</title></line>'
                '<text class="chart-legend" x="{}" y="14" text-anchor="middle" fill="{}">{}</text>',
                _f(tx),
                top - 4,
                _f(tx),
                height - 6,
                ACCENT,
                words,
                _f(min(max(tx, x0 + 40), width - 40)),
                INK,
                _clip(words, 30),
            )
        )
    if not bars:
        parts.append(
            format_html(
                '<text class="chart-nodata" x="{}" y="{}" fill="{}">{}</text>',
                x0,
                top + 18,
                MUTED,
                _("No data."),
            )
        )
    if not desc:
        desc = "; ".join(f"{b.label}: {_shown(b.display, b.value)}" for b in bars) or _("No data.")
        if target is not None:
            desc += ". " + (target_label or _("Target: %(value)s") % {"value": fmt(target)})
    return _svg(
        chart_id=chart_id,
        css="chart-bars",
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=_join(parts),
        interactive=any(b.href for b in bars),
    )


# ---------------------------------------------------------------- quadrant scatter


def scatter_chart(
    dots: Sequence[Dot],
    *,
    title: str,
    x_label: str,
    y_label: str,
    desc: str = "",
    x_range: tuple[Number, Number] = (1, 5),
    y_range: tuple[Number, Number] = (0, 100),
    x_split: Number | None = None,
    y_split: Number | None = None,
    quadrant_labels: tuple[str, str, str, str] = ("", "", "", ""),
    width: int = 560,
    height: int = 400,
) -> SafeString:
    """Dots on two axes, split into four quadrants (labels: top-left, top-right, bottom-left, bottom-right).

    Each dot is drawn with its ``key`` (a short number the page's table repeats), and has its label
    and values in a tooltip. Dots at the same place are fanned out so none hides another.
    """
    chart_id = _chart_id("scatter", title, tuple(dots))
    left, right, top, bottom = 52, 16, 16, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    x_lo, x_hi = float(x_range[0]), float(x_range[1])
    y_lo, y_hi = float(y_range[0]), float(y_range[1])

    def x(v: float) -> float:
        return left + plot_w * (min(max(v, x_lo), x_hi) - x_lo) / ((x_hi - x_lo) or 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - (min(max(v, y_lo), y_hi) - y_lo) / ((y_hi - y_lo) or 1))

    xs = float(x_split) if x_split is not None else (x_lo + x_hi) / 2
    ys = float(y_split) if y_split is not None else (y_lo + y_hi) / 2
    parts: list[SafeString] = []
    quadrants = [
        ("q-top-left", left, top, x(xs) - left, y(ys) - top),
        ("q-top-right", x(xs), top, left + plot_w - x(xs), y(ys) - top),
        ("q-bottom-left", left, y(ys), x(xs) - left, top + plot_h - y(ys)),
        ("q-bottom-right", x(xs), y(ys), left + plot_w - x(xs), top + plot_h - y(ys)),
    ]
    fills = ["#f5f6f8", "#e3f4ea", "#f5f6f8", "#fde8e6"]
    for (css, qx, qy, qw, qh), fill in zip(quadrants, fills, strict=True):
        parts.append(
            format_html(
                '<rect class="chart-quadrant {}" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                css,
                _f(qx),
                _f(qy),
                _f(max(qw, 0)),
                _f(max(qh, 0)),
                fill,
            )
        )
    for tick in nice_ticks(y_lo, y_hi):
        if y_lo - 1e-9 <= tick <= y_hi + 1e-9:
            parts.append(
                format_html(
                    '<text class="chart-tick" x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                    left - 6,
                    _f(y(tick) + 4),
                    MUTED,
                    fmt(tick),
                )
            )
    # Whole-number ticks on a short scale (importance 1–5), five steps on a long one.
    tick = float(math.ceil(x_lo - 1e-9)) if x_hi - x_lo <= 10 else x_lo
    while tick <= x_hi + 1e-9:
        parts.append(
            format_html(
                '<text class="chart-tick" x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                _f(x(tick)),
                top + plot_h + 16,
                MUTED,
                fmt(tick),
            )
        )
        tick += 1 if x_hi - x_lo <= 10 else (x_hi - x_lo) / 5
    parts.append(
        format_html(
            '<line class="chart-split" x1="{x}" y1="{t}" x2="{x}" y2="{b}" stroke="{c}" stroke-dasharray="4 4"/>'
            '<line class="chart-split" x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{c}" stroke-dasharray="4 4"/>'
            '<rect class="chart-frame" x="{l}" y="{t}" width="{w}" height="{h}" fill="none" stroke="{g}"/>'
            '<text class="chart-axis-label" x="{cx}" y="{ay}" text-anchor="middle" fill="{ink}">{xl}</text>'
            '<text class="chart-axis-label" transform="translate(14 {cy}) rotate(-90)" text-anchor="middle" '
            'fill="{ink}">{yl}</text>',
            x=_f(x(xs)),
            y=_f(y(ys)),
            t=top,
            b=top + plot_h,
            l=left,
            r=left + plot_w,
            w=plot_w,
            h=plot_h,
            c=MUTED,
            g=GRID,
            cx=_f(left + plot_w / 2),
            ay=height - 8,
            cy=_f(top + plot_h / 2),
            ink=INK,
            xl=x_label,
            yl=y_label,
        )
    )
    seen: dict[tuple[int, int], int] = {}
    centres: list[tuple[float, float]] = []
    missing = []
    # Dots that share an x value (importance is a whole number) spread sideways within its column.
    columns: dict[float, list[int]] = {}
    for index, dot in enumerate(dots):
        if dot.y is not None:
            columns.setdefault(float(dot.x), []).append(index)
    unit = plot_w / ((x_hi - x_lo) or 1)
    shift: dict[int, float] = {}
    for members in columns.values():
        step = min(22.0, unit * 0.8 / max(len(members), 1))
        for position, index in enumerate(members):
            shift[index] = (position - (len(members) - 1) / 2) * step
    for index, dot in enumerate(dots):
        if dot.y is None:
            missing.append(dot.label)
            continue
        cx, cy = x(float(dot.x)) + shift.get(index, 0.0), y(float(dot.y))
        cell = (round(cx / 8), round(cy / 8))
        nth = seen.get(cell, 0)
        seen[cell] = nth + 1
        if nth:
            # Fan out dots that would cover each other: around the spot, one ring step each.
            angle = nth * 2.4
            cx, cy = cx + 11 * math.cos(angle), cy + 11 * math.sin(angle)
        centres.append((cx, cy))
        words = f"{dot.key + '. ' if dot.key else ''}{dot.label}: {dot.display or fmt(dot.y)}"
        mark = format_html(
            '<g class="chart-point {}"><circle cx="{}" cy="{}" r="9" fill="{}" stroke="#ffffff" '
            'stroke-width="1.5"><title>{}</title></circle>'
            '<text x="{}" y="{}" text-anchor="middle" fill="#ffffff" font-size="10" font-weight="700">{}</text></g>',
            dot.css,
            _f(cx),
            _f(cy),
            PRIMARY,
            words,
            _f(cx),
            _f(cy + 3.5),
            _clip(dot.key, 3),
        )
        parts.append(_linked(dot.href, words, mark))
    parts.extend(
        _quadrant_labels(
            quadrant_labels,
            plot=(left, top, left + plot_w, top + plot_h),
            split=(x(xs), y(ys)),
            dots=centres,
        )
    )
    if not desc:
        shown = [
            f"{d.key + '. ' if d.key else ''}{d.label}: {x_label} {fmt(d.x)}, {y_label} {d.display or fmt(d.y)}"
            for d in dots
            if d.y is not None
        ]
        desc = "; ".join(shown) or _("No data.")
        if missing:
            desc += ". " + _("No data: %(names)s") % {"names": ", ".join(missing)}
    return _svg(
        chart_id=chart_id,
        css="chart-scatter",
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=_join(parts),
        interactive=any(d.href for d in dots),
    )


__all__ = [
    "Bar",
    "Dot",
    "Point",
    "Series",
    "bar_chart",
    "fmt",
    "line_chart",
    "nice_ticks",
    "scatter_chart",
    "sparkline",
]
