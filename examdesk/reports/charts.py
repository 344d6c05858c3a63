"""The report charts: one layout, two outputs, as documents/profile.py does it: an inline SVG for the page (role
img, title and desc; presentation attributes only, so the strict CSP holds) and vector drawing for the PDF.

Three kinds: "columns" (the score distribution: candidates per percentage band), "bars" (mean percentage per
section, on a 0–100 scale) and "line" (a candidate's percentage in each sitting, in date order). Every value is
also printed beside its mark, so nothing depends on colour; the page adds a table as the text alternative.
Colours meet WCAG 2.2 AA against white: text #0b0c0c, marks #1d70b8, axes and tick labels #505a5f.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString

from examdesk.documents import fonts, vector
from examdesk.reports.selectors import Point

TEXT = "#0b0c0c"
MUTED = "#505a5f"
MARK = "#1d70b8"
TRACK = "#f3f2f1"
SVG_WIDTH = 720.0
SVG_FONT_SIZE = 14.0


@dataclass(frozen=True)
class Chart:
    kind: str  # columns | bars | line
    title: str
    points: tuple[Point, ...]
    unit: str  # what a value counts, for the description: "candidates" or "%"
    lead: str = ""  # the description's first sentence, when the kind's own does not fit (the overview's grades)


def _measure(text: str, size: float) -> float:
    return fonts.width(fonts.clean(text), False, size) * 1.2


def _top(values: list[Decimal]) -> Decimal:
    """The scale's top for counts: the largest count rounded up to 2, 4, 6 or 10 × 10ⁿ (even, so the middle
    tick is a whole number of candidates)."""
    largest = max(values, default=Decimal(0))
    step = Decimal(1)
    while True:
        for factor in (2, 4, 6, 10):
            if step * factor >= largest:
                return step * factor
        step *= 10


def _layout(chart: Chart, width: float, size: float) -> tuple[float, list[vector.Shape]]:
    shapes: list[vector.Shape] = []
    small = size * 0.85
    points = chart.points
    if chart.kind == "bars":
        label_width = min(max((_measure(p.label, size) for p in points), default=0) + size, width * 0.4)
        value_width = max((_measure(p.shown, size) for p in points), default=0) + size
        left, right = label_width, width - value_width
        pitch, thick = size * 2.0, size * 1.2
        y = size * 0.5
        for point in points:
            middle = y + pitch / 2
            shapes.append(vector.Rect(left, middle - thick / 2, right - left, thick, TRACK))
            end = left + (right - left) * float(min(point.value, Decimal(100))) / 100
            if end > left:
                shapes.append(vector.Rect(left, middle - thick / 2, end - left, thick, MARK))
            label = fonts.clean(point.label)
            label_size = size
            if _measure(label, size) > label_width - size:
                label_size = max(size * 0.6, size * (label_width - size) / _measure(label, size))
            shapes.append(vector.Text(0, middle + size * 0.35, label, label_size))
            shapes.append(vector.Text(right + size * 0.5, middle + size * 0.35, fonts.clean(point.shown), size))
            y += pitch
        axis = y + size * 0.2
        shapes.append(vector.Line(left, axis, right, axis, MUTED, 1.0))
        for tick in (0, 50, 100):
            x = left + (right - left) * tick / 100
            shapes.append(vector.Line(x, axis, x, axis + size * 0.4, MUTED, 1.0))
            shapes.append(
                vector.Text(x, axis + size * 0.4 + small * 1.1, f"{tick}%", small, anchor="middle", fill=MUTED)
            )
        return axis + size * 0.4 + small * 1.5, shapes

    # columns and line: a vertical scale on the left, one slot per point along the bottom.
    top_value = Decimal(100) if chart.kind == "line" else _top([p.value for p in points])
    tick_text = [f"{top_value:f}", f"{(top_value / 2).normalize():f}", "0"]
    if chart.kind == "line":
        tick_text = ["100%", "50%", "0%"]
    left = max(_measure(t, small) for t in tick_text) + size * 0.6
    right = width - size * 0.5
    plot_top, plot_height = size * 1.6, size * 13
    bottom = plot_top + plot_height
    slot = (right - left) / max(len(points), 1)

    def y_of(value: Decimal) -> float:
        return bottom - plot_height * float(min(value, top_value) / top_value)

    for text, fraction in zip(tick_text, (1.0, 0.5, 0.0), strict=True):
        y = bottom - plot_height * fraction
        shapes.append(vector.Line(left, y, right, y, TRACK if fraction else MUTED, 1.0))
        shapes.append(vector.Text(left - size * 0.4, y + small * 0.35, text, small, anchor="end", fill=MUTED))
    previous: tuple[float, float] | None = None
    label_size = small
    widest = max((_measure(p.label, small) for p in points), default=0)
    if widest > slot * 0.95:
        label_size = max(size * 0.5, small * slot * 0.95 / widest)
    for index, point in enumerate(points):
        middle = left + slot * (index + 0.5)
        y = y_of(point.value)
        if chart.kind == "columns":
            if point.value > 0:
                shapes.append(vector.Rect(middle - slot * 0.35, y, slot * 0.7, bottom - y, MARK))
        else:
            if previous is not None:
                shapes.append(vector.Line(previous[0], previous[1], middle, y, MARK, 2.0))
            previous = (middle, y)
        shapes.append(vector.Text(middle, y - size * 0.4, fonts.clean(point.shown), small, anchor="middle"))
        label = fonts.clean(point.label)
        shapes.append(vector.Text(middle, bottom + small * 1.4, label, label_size, anchor="middle", fill=MUTED))
    if chart.kind == "line":
        for index, point in enumerate(points):
            shapes.append(vector.Dot(left + slot * (index + 0.5), y_of(point.value), size * 0.35, MARK))
    return bottom + small * 2.2, shapes


def describe(chart: Chart) -> str:
    if chart.lead:
        lead = chart.lead
    elif chart.kind == "columns":
        lead = "Column chart of the number of candidates in each score band."
    elif chart.kind == "bars":
        lead = "Bar chart of the mean percentage in each section, on a scale from 0 to 100%."
    else:
        lead = "Line chart of the percentage in each sitting, oldest first, on a scale from 0 to 100%."
    return " ".join([lead, *(f"{fonts.clean(p.label)}: {fonts.clean(p.shown)}." for p in chart.points)])


def chart_svg(chart: Chart, *, element_id: str) -> SafeString:
    height, shapes = _layout(chart, SVG_WIDTH, SVG_FONT_SIZE)
    return vector.svg(
        shapes,
        element_id=element_id,
        css_class="report-chart",
        width=SVG_WIDTH,
        height=height,
        font_size=SVG_FONT_SIZE,
        title=chart.title,
        description=describe(chart),
    )


def chart_figure(chart: Chart, *, width: float, font_size: float = 8.0) -> dict[str, Any]:
    """The chart for the report PDF (documents/typst/common.typ draws the shapes), with its text alternative."""
    height, shapes = _layout(chart, width, font_size)
    return {
        "title": fonts.clean(chart.title),
        "shapes": vector.typst_shapes(shapes, line_scale=0.75),
        "width": width,
        "height": height,
        "alt": f"{fonts.clean(chart.title)}. {describe(chart)}",
    }


def report_charts(report: Any) -> list[Chart]:
    """The charts of a report, in the order the page and the PDF show them."""
    charts: list[Chart] = []
    if report.progress:
        charts.append(Chart("line", "Progress over sittings (score %)", tuple(report.progress), "%"))
    if report.scored and not report.is_single_candidate:
        charts.append(Chart("columns", "Score distribution (candidates per band)", tuple(report.distribution), ""))
    if report.section_means:
        charts.append(Chart("bars", "Section profile (mean score % per section)", tuple(report.section_means), "%"))
    return charts
