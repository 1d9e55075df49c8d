"""The SVG charts: numbers in text, gaps for missing values, escaping, targets, quadrants."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from momentos.insight.charts import (
    Bar,
    Dot,
    Point,
    Series,
    bar_chart,
    fmt,
    line_chart,
    nice_ticks,
    scatter_chart,
    sparkline,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(markup: str) -> ET.Element:
    """The chart must be well-formed XML (it is also embedded in PDFs)."""
    return ET.fromstring(str(markup))


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


def test_sparkline_breaks_at_missing_values_instead_of_dropping_to_zero() -> None:
    root = parse(sparkline([1, 2, None, 4, 5], title="CSAT"))

    paths = root.findall("s:path", NS)
    assert len(paths) == 2  # one run before the gap, one after
    # Every y coordinate stays inside the drawing: no point was drawn at "0" for the gap.
    ys = [float(n) for d in (p.get("d") for p in paths) for n in re.findall(r"[\d.]+ ([\d.]+)", d or "")]
    assert all(3 <= y <= 25 for y in ys)
    assert root.find("s:title", NS).text == "CSAT"  # type: ignore[union-attr]
    assert root.find("s:desc", NS).text == "1, 2, no data, 4, 5"  # type: ignore[union-attr]
    assert root.get("role") == "img"


def test_sparkline_with_no_value_draws_a_dashed_baseline_and_says_so() -> None:
    root = parse(sparkline([None, None], title="NPS"))

    assert not root.findall("s:path", NS)
    assert root.find("s:line", NS).get("stroke-dasharray")  # type: ignore[union-attr]
    assert "no data" in (root.find("s:desc", NS).text or "")  # type: ignore[union-attr]


def test_sparkline_describes_values_with_their_labels() -> None:
    root = parse(sparkline([Decimal("80.5"), 90], title="t", labels=["May", "June"]))

    assert root.find("s:desc", NS).text == "May: 80.5; June: 90"  # type: ignore[union-attr]


def test_line_chart_gaps_target_and_every_value_in_the_description() -> None:
    current = Series(
        "CSAT %",
        [Point("1 Nov", Decimal("80.5")), Point("2 Nov", None), Point("3 Nov", 90), Point("4 Nov", 70)],
    )
    previous = Series(
        "Previous period", [Point("a", 60), Point("b", 65), Point("c", 70), Point("d", 75)], "previous"
    )
    root = parse(line_chart([current, previous], title="CSAT over time", target=85, y_min=0, y_max=100))

    desc = root.find("s:desc", NS).text or ""  # type: ignore[union-attr]
    assert "1 Nov: 80.5" in desc and "2 Nov: no data" in desc and "3 Nov: 90" in desc
    assert "Previous period — a: 60" in desc
    assert "Target: 85" in desc
    current_paths = [
        p for p in root.iter("{http://www.w3.org/2000/svg}path") if "is-current" in (p.get("class") or "")
    ]
    # 80.5 stands alone before the gap: a dot but no segment; 90 → 70 is one segment.
    assert len(current_paths) == 1
    assert current_paths[0].get("d", "").count("L") == 1
    dots = [
        c for c in root.iter("{http://www.w3.org/2000/svg}circle") if "is-current" in (c.get("class") or "")
    ]
    assert len(dots) == 3
    # The target line sits at 85 on a 0–100 scale: 15 % of the plot height below its top.
    target = next(
        el for el in root.iter("{http://www.w3.org/2000/svg}line") if el.get("class") == "chart-target"
    )
    top, plot_h = 30, 260 - 30 - 40
    assert float(target.get("y1", "0")) == round(top + plot_h * 0.15, 1)
    assert previous.points[0].value == 60
    assert root.get("role") == "img"


def test_line_chart_points_link_to_their_rows_and_the_chart_becomes_a_group() -> None:
    chart = line_chart(
        [Series("Resolution", [Point("Mon", 50, "50 %", "/rows?day=1&x=<b>"), Point("Tue", 60)])], title="R"
    )
    root = parse(chart)

    assert root.get("role") == "group"
    links = root.findall(".//s:a", NS)
    assert [a.get("href") for a in links] == ["/rows?day=1&x=<b>"]
    assert links[0].get("aria-label") == "Resolution · Mon: 50 %"
    assert "&amp;x=&lt;b&gt;" in str(chart)


def test_chart_text_from_users_is_escaped() -> None:
    chart = bar_chart([Bar("<script>alert(1)</script>", 3)], title='"><img src=x>')

    assert "<script>" not in str(chart) and "<img" not in str(chart)
    parse(chart)


def test_bar_chart_values_no_data_negative_values_status_and_target() -> None:
    bars = [
        Bar("Centro", 40, "40", href="/b/1", status="on_target"),
        Bar("Norte", None),
        Bar("Sur", -20, "−20", status="off_target"),
    ]
    root = parse(bar_chart(bars, title="NPS by branch", target=30))

    rects = list(root.iter("{http://www.w3.org/2000/svg}rect"))
    assert len(rects) == 2  # "Norte" has no bar
    assert "is-on_target" in (rects[0].get("class") or "")
    assert "is-off_target" in (rects[1].get("class") or "")
    axis = next(el for el in root.iter("{http://www.w3.org/2000/svg}line") if el.get("class") == "chart-axis")
    zero = float(axis.get("x1", "0"))
    assert float(rects[0].get("x", "0")) == zero  # positive bars grow right from zero
    assert (
        float(rects[1].get("x", "0")) + float(rects[1].get("width", "0")) == zero
    )  # negative bars end at zero
    words = texts(root)
    assert "no data" in words and "40" in words and "−20" in words
    desc = root.find("s:desc", NS).text or ""  # type: ignore[union-attr]
    assert desc == "Centro: 40; Norte: no data; Sur: −20. Target: 30"


def test_bar_chart_with_no_rows_says_no_data() -> None:
    root = parse(bar_chart([], title="Empty"))

    assert "No data." in texts(root)


def test_scatter_places_dots_in_quadrants_fans_out_overlaps_and_names_missing_ones() -> None:
    dots = [
        Dot("Speed", 5, 90, key="1", href="/m/1"),
        Dot("Courtesy", 5, 90, key="2"),
        Dot("Parking", 2, None, key="3"),
        Dot("Signage", 1, 10, key="4"),
    ]
    root = parse(
        scatter_chart(
            dots,
            title="Importance vs performance",
            x_label="Importance",
            y_label="Performance",
            x_split=3,
            y_split=70,
            quadrant_labels=("Possible overkill", "Keep it up", "Low priority", "Concentrate here"),
        )
    )

    circles = list(root.iter("{http://www.w3.org/2000/svg}circle"))
    assert len(circles) == 3
    (x1, y1), (x2, y2) = ((float(c.get("cx", "0")), float(c.get("cy", "0"))) for c in circles[:2])
    # Both sit at importance 5 (the right edge, x 52 + 492 = 544) and 90 % (near the top): they
    # spread sideways around that spot instead of covering each other.
    assert (x1, x2) == (533.0, 555.0)
    assert y1 == y2 == round(16 + 338 * 0.1, 1)
    desc = root.find("s:desc", NS).text or ""  # type: ignore[union-attr]
    assert "1. Speed: Importance 5, Performance 90" in desc
    assert "No data: Parking" in desc
    assert {"Keep it up", "Concentrate here", "Possible overkill", "Low priority"} <= set(texts(root))
    assert root.get("role") == "group"


def test_nice_ticks_cover_the_range_with_round_steps() -> None:
    assert nice_ticks(0, 100) == [0, 25, 50, 75, 100]
    assert nice_ticks(72.3, 91.8) == [70, 75, 80, 85, 90, 95]
    assert nice_ticks(-40, 35) == [-40, -20, 0, 20, 40]
    assert nice_ticks(5, 5) == [4, 4.5, 5, 5.5, 6]


def test_fmt_follows_the_locale_and_says_no_data() -> None:
    assert fmt(None) == "no data"
    assert fmt(Decimal("82.25")) == "82.3"  # rounded half up, not cut
    assert fmt(Decimal("66.67")) == "66.7"
    assert fmt(Decimal("80.00")) == "80"
    with translation.override("es"):
        assert fmt(Decimal("1234.5")) in {"1234,5", "1.234,5"}


def test_template_tags_render_the_same_svg() -> None:
    template = Template("{% load insight_charts %}{% sparkline values title=name %}")

    html = template.render(Context({"values": [1, None, 3], "name": "Trend"}))

    assert html == str(sparkline([1, None, 3], title="Trend"))
