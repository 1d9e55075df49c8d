"""The quadrant names of the importance scatter: drawn over the dots, with a halo, inside the plot."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from momentos.insight.charts import CHAR_WIDTH, Dot, scatter_chart

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ("Possible overkill", "Keep up the good work", "Low priority", "Concentrate here")


# Dots in every corner of the plot, where the names are written first.
CORNERS = [
    Dot("Speed", 1, 100, key="1", href="/m/1"),
    Dot("Courtesy", 5, 100, key="2"),
    Dot("Parking", 1, 0, key="3"),
    Dot("Signage", 5, 0, key="4"),
]


def chart(
    *,
    names: tuple[str, str, str, str] = NAMES,
    width: int = 460,
    height: int = 380,
    dots: list[Dot] = CORNERS,
) -> ET.Element:
    markup = scatter_chart(
        dots,
        title="Importance vs performance",
        x_label="Importance",
        y_label="Performance",
        x_range=(0.5, 5.5),
        x_split=3.5,
        y_split=75,
        quadrant_labels=names,
        width=width,
        height=height,
    )
    return ET.fromstring(str(markup))


def classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def labels(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter(f"{SVG}text") if "chart-quadrant-label" in classes(el)]


def frame(root: ET.Element) -> tuple[float, float, float, float]:
    """The plot area: left, top, right, bottom."""
    rect = next(el for el in root.iter(f"{SVG}rect") if "chart-frame" in classes(el))
    left, top = float(rect.get("x", "0")), float(rect.get("y", "0"))
    return left, top, left + float(rect.get("width", "0")), top + float(rect.get("height", "0"))


def box(label: ET.Element) -> tuple[float, float, float, float]:
    """A label's extent (left, top, right, bottom) at the chart's 12 px font."""
    x, y = float(label.get("x", "0")), float(label.get("y", "0"))
    width = len("".join(label.itertext())) * CHAR_WIDTH
    left = x - width if label.get("text-anchor") == "end" else x
    return left, y - 12, left + width, y + 4


def test_the_quadrant_names_come_after_every_dot() -> None:
    root = chart()
    order = list(root.iter())
    names = labels(root)
    points = [el for el in order if "chart-point" in classes(el)]
    assert ["".join(el.itertext()) for el in names] == list(NAMES)
    assert len(points) == 4
    assert max(order.index(p) for p in points) < min(order.index(n) for n in names)


def test_the_quadrant_names_have_a_white_halo_and_let_the_pointer_through() -> None:
    for name in labels(chart()):
        assert name.get("paint-order") == "stroke"
        assert name.get("stroke") == "#ffffff"
        assert float(name.get("stroke-width", "0")) >= 3
        assert name.get("stroke-linejoin") == "round"
        # A dot under a name still opens its comments and shows its tooltip.
        assert name.get("pointer-events") == "none"


def test_the_quadrant_names_stay_inside_the_plot_and_clear_of_the_axis_titles() -> None:
    root = chart()
    left, top, right, bottom = frame(root)
    titles = [el for el in root.iter(f"{SVG}text") if "chart-axis-label" in classes(el)]
    x_title = next(el for el in titles if el.get("y"))
    y_title = next(el for el in titles if el.get("transform"))
    for name in labels(root):
        n_left, n_top, n_right, n_bottom = box(name)
        assert left <= n_left and n_right <= right, "".join(name.itertext())
        assert top <= n_top and n_bottom <= bottom, "".join(name.itertext())
        # The x title sits below the plot, the rotated y title left of it (translate(14 …)).
        assert n_bottom < float(x_title.get("y", "0")) - 12
        assert n_left > 14 + 12
    assert y_title.get("transform", "").startswith("translate(14 ")


def test_long_names_of_a_row_are_cut_to_share_a_narrow_plot() -> None:
    long = "An expectation name that goes on and on"
    root = chart(names=(long, long, "Low", "Concentrate here"), width=300)
    left, _top, right, _bottom = frame(root)
    top_left, top_right, bottom_left, bottom_right = labels(root)
    for name in (top_left, top_right):
        assert "".join(name.itertext()).endswith("…")
        n_left, _, n_right, _ = box(name)
        assert left <= n_left and n_right <= right
    # The two of the top row do not run into each other.
    assert box(top_left)[2] < box(top_right)[0]
    # A short row is left whole.
    assert ["".join(bottom_left.itertext()), "".join(bottom_right.itertext())] == ["Low", "Concentrate here"]


def covered(label: ET.Element, root: ET.Element) -> list[str]:
    """The keys of the dots (radius 9) that a label's box touches."""
    left, top, right, bottom = box(label)
    keys = []
    for point in (el for el in root.iter(f"{SVG}g") if "chart-point" in classes(el)):
        circle = point.find(f"{SVG}circle")
        assert circle is not None
        cx, cy = float(circle.get("cx", "0")), float(circle.get("cy", "0"))
        nx, ny = min(max(cx, left), right), min(max(cy, top), bottom)
        if (cx - nx) ** 2 + (cy - ny) ** 2 < 9**2:
            keys.append("".join(point.itertext()).strip())
    return keys


def test_without_dots_the_names_sit_in_the_outer_corners() -> None:
    root = chart(dots=[])
    left, top, right, bottom = frame(root)
    spots = [(n.get("x"), n.get("y"), n.get("text-anchor")) for n in labels(root)]
    assert spots == [
        (f"{left + 6:g}", f"{top + 16:g}", "start"),
        (f"{right - 6:g}", f"{top + 16:g}", "end"),
        (f"{left + 6:g}", f"{bottom - 8:g}", "start"),
        (f"{right - 6:g}", f"{bottom - 8:g}", "end"),
    ]


def test_a_name_gives_way_to_the_dots_in_its_corner() -> None:
    root = chart()
    _left, top, _right, bottom = frame(root)
    for name in labels(root):
        assert covered(name, root) == [], "".join(name.itertext())
        assert float(name.get("y", "0")) not in (top + 16, bottom - 8)
    # With dots wherever it could go, a name takes the spot that covers the fewest, over them.
    crowd = [Dot(f"d{x}{y}", x, y, key="") for x in (1, 2, 3, 4, 5) for y in (0, 20, 70, 80, 100)]
    root = chart(dots=crowd, names=("", "Keep up the good work", "", ""))
    (name,) = labels(root)
    assert covered(name, root)
    order = list(root.iter())
    assert order.index(name) > max(order.index(el) for el in order if "chart-point" in classes(el))


def test_empty_quadrant_names_draw_nothing() -> None:
    assert labels(chart(names=("", "", "", ""))) == []
