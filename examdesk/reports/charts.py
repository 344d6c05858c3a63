"""The report charts: one layout, two outputs, as documents/profile.py does it: an inline SVG for the page (role
img, title and desc; presentation attributes only, so the strict CSP holds) and vector drawing for the PDF.

Three kinds: "columns" (the score distribution: candidates per percentage band), "bars" (mean percentage per
section, on a 0–100 scale) and "line" (a candidate's percentage in each sitting, in date order). Every value is
also printed beside its mark, so nothing depends on colour; the page adds a table as the text alternative.
Colours meet WCAG 2.2 AA against white: text #0b0c0c, marks #1d70b8, axes and tick labels #505a5f.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from examdesk.documents import fonts
from examdesk.documents.layout import rgb
from examdesk.reports.selectors import Point

TEXT = "#0b0c0c"
MUTED = "#505a5f"
MARK = "#1d70b8"
TRACK = "#f3f2f1"
SVG_WIDTH = 720.0
SVG_FONT_SIZE = 14.0
SVG_FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
_ELEMENT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Chart:
    kind: str  # columns | bars | line
    title: str
    points: tuple[Point, ...]
    unit: str  # what a value counts, for the description: "candidates" or "%"


@dataclass(frozen=True)
class _Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class _Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float


@dataclass(frozen=True)
class _Dot:
    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class _Text:
    x: float
    y: float
    text: str
    size: float
    anchor: str = "start"  # start | middle | end
    fill: str = TEXT


Shape = _Rect | _Line | _Dot | _Text


def _measure(text: str, size: float) -> float:
    return fonts.width(fonts.clean(text), fonts.REGULAR, size) * 1.3


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


def _layout(chart: Chart, width: float, size: float) -> tuple[float, list[Shape]]:
    shapes: list[Shape] = []
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
            shapes.append(_Rect(left, middle - thick / 2, right - left, thick, TRACK))
            end = left + (right - left) * float(min(point.value, Decimal(100))) / 100
            if end > left:
                shapes.append(_Rect(left, middle - thick / 2, end - left, thick, MARK))
            label = fonts.clean(point.label)
            label_size = size
            if _measure(label, size) > label_width - size:
                label_size = max(size * 0.6, size * (label_width - size) / _measure(label, size))
            shapes.append(_Text(0, middle + size * 0.35, label, label_size))
            shapes.append(_Text(right + size * 0.5, middle + size * 0.35, fonts.clean(point.shown), size))
            y += pitch
        axis = y + size * 0.2
        shapes.append(_Line(left, axis, right, axis, MUTED, 1.0))
        for tick in (0, 50, 100):
            x = left + (right - left) * tick / 100
            shapes.append(_Line(x, axis, x, axis + size * 0.4, MUTED, 1.0))
            shapes.append(_Text(x, axis + size * 0.4 + small * 1.1, f"{tick}%", small, anchor="middle", fill=MUTED))
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
        shapes.append(_Line(left, y, right, y, TRACK if fraction else MUTED, 1.0))
        shapes.append(_Text(left - size * 0.4, y + small * 0.35, text, small, anchor="end", fill=MUTED))
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
                shapes.append(_Rect(middle - slot * 0.35, y, slot * 0.7, bottom - y, MARK))
        else:
            if previous is not None:
                shapes.append(_Line(previous[0], previous[1], middle, y, MARK, 2.0))
            previous = (middle, y)
        shapes.append(_Text(middle, y - size * 0.4, fonts.clean(point.shown), small, anchor="middle"))
        label = fonts.clean(point.label)
        shapes.append(_Text(middle, bottom + small * 1.4, label, label_size, anchor="middle", fill=MUTED))
    if chart.kind == "line":
        for index, point in enumerate(points):
            shapes.append(_Dot(left + slot * (index + 0.5), y_of(point.value), size * 0.35, MARK))
    return bottom + small * 2.2, shapes


def describe(chart: Chart) -> str:
    if chart.kind == "columns":
        lead = "Column chart of the number of candidates in each score band."
    elif chart.kind == "bars":
        lead = "Bar chart of the mean percentage in each section, on a scale from 0 to 100%."
    else:
        lead = "Line chart of the percentage in each sitting, oldest first, on a scale from 0 to 100%."
    return " ".join([lead, *(f"{fonts.clean(p.label)}: {fonts.clean(p.shown)}." for p in chart.points)])


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def chart_svg(chart: Chart, *, element_id: str) -> SafeString:
    if not _ELEMENT_ID.match(element_id):
        raise ValueError("element_id must start with a letter and hold only letters, digits, '-' and '_'.")
    height, shapes = _layout(chart, SVG_WIDTH, SVG_FONT_SIZE)
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{element_id}" class="report-chart" '
        f'viewBox="0 0 {_f(SVG_WIDTH)} {_f(height)}" width="100%" role="img" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" focusable="false" '
        f'font-family="{SVG_FONTS}" font-size="{_f(SVG_FONT_SIZE)}">',
        f'<title id="{title_id}">{escape(fonts.clean(chart.title))}</title>',
        f'<desc id="{desc_id}">{escape(describe(chart))}</desc>',
    ]
    for shape in shapes:
        if isinstance(shape, _Rect):
            out.append(
                f'<rect x="{_f(shape.x)}" y="{_f(shape.y)}" width="{_f(shape.width)}" height="{_f(shape.height)}" '
                f'fill="{shape.fill}"/>'
            )
        elif isinstance(shape, _Line):
            out.append(
                f'<line x1="{_f(shape.x1)}" y1="{_f(shape.y1)}" x2="{_f(shape.x2)}" y2="{_f(shape.y2)}" '
                f'stroke="{shape.stroke}" stroke-width="{_f(shape.width)}"/>'
            )
        elif isinstance(shape, _Dot):
            out.append(f'<circle cx="{_f(shape.x)}" cy="{_f(shape.y)}" r="{_f(shape.r)}" fill="{shape.fill}"/>')
        else:
            attributes = [f'x="{_f(shape.x)}"', f'y="{_f(shape.y)}"', f'fill="{shape.fill}"']
            if shape.size != SVG_FONT_SIZE:
                attributes.append(f'font-size="{_f(shape.size)}"')
            if shape.anchor != "start":
                attributes.append(f'text-anchor="{shape.anchor}"')
            out.append(f"<text {' '.join(attributes)}>{escape(shape.text)}</text>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every text is escaped; attributes are numbers or constants)


def draw_chart(canvas: Any, chart: Chart, *, x: float, top: float, width: float, font_size: float = 8.0) -> float:
    """Draw the chart from `top` downwards (PDF points, y up) as vector shapes; returns the height used."""
    fonts.register()
    height, shapes = _layout(chart, width, font_size)
    canvas.saveState()
    for shape in shapes:
        if isinstance(shape, _Rect):
            canvas.setFillColorRGB(*rgb(shape.fill))
            canvas.rect(x + shape.x, top - shape.y - shape.height, shape.width, shape.height, stroke=0, fill=1)
        elif isinstance(shape, _Line):
            canvas.setStrokeColorRGB(*rgb(shape.stroke))
            canvas.setLineWidth(shape.width * 0.75)
            canvas.line(x + shape.x1, top - shape.y1, x + shape.x2, top - shape.y2)
        elif isinstance(shape, _Dot):
            canvas.setFillColorRGB(*rgb(shape.fill))
            canvas.circle(x + shape.x, top - shape.y, shape.r, stroke=0, fill=1)
        else:
            canvas.setFillColorRGB(*rgb(shape.fill))
            canvas.setFont(fonts.REGULAR, shape.size)
            draw = {"end": canvas.drawRightString, "middle": canvas.drawCentredString}.get(shape.anchor)
            (draw or canvas.drawString)(x + shape.x, top - shape.y, shape.text)
    canvas.restoreState()
    return height


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
