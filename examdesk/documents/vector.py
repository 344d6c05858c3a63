"""A chart as a list of simple shapes, drawn two ways: an accessible inline SVG for pages and vector drawing in PDFs
(typeset by Typst).

The profile chart on statements (documents/profile.py) and the report charts (reports/charts.py) lay their shapes
out once and hand them here. The SVG has role img, a title and a description, and only presentation attributes
(no script, style or external resource), so the strict CSP holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from examdesk.documents import fonts

TEXT = "#0b0c0c"
SVG_FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
_ELEMENT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float
    dashed: bool = False


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    bold: bool = False
    anchor: str = "start"  # start | middle | end
    fill: str = TEXT


Shape = Rect | Line | Dot | Text


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg(
    shapes: list[Shape] | tuple[Shape, ...],
    *,
    element_id: str,
    css_class: str,
    width: float,
    height: float,
    font_size: float,
    title: str,
    description: str,
) -> SafeString:
    """The shapes as an inline SVG `width` × `height` (user units), titled and described for screen readers."""
    if not _ELEMENT_ID.match(element_id):
        raise ValueError("element_id must start with a letter and hold only letters, digits, '-' and '_'.")
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{element_id}" class="{css_class}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" width="100%" role="img" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" focusable="false" '
        f'font-family="{SVG_FONTS}" font-size="{_f(font_size)}">',
        f'<title id="{title_id}">{escape(fonts.clean(title))}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    for shape in shapes:
        if isinstance(shape, Rect):
            out.append(
                f'<rect x="{_f(shape.x)}" y="{_f(shape.y)}" width="{_f(shape.width)}" height="{_f(shape.height)}" '
                f'fill="{shape.fill}"/>'
            )
        elif isinstance(shape, Line):
            dash = ' stroke-dasharray="5 4"' if shape.dashed else ""
            out.append(
                f'<line x1="{_f(shape.x1)}" y1="{_f(shape.y1)}" x2="{_f(shape.x2)}" y2="{_f(shape.y2)}" '
                f'stroke="{shape.stroke}" stroke-width="{_f(shape.width)}"{dash}/>'
            )
        elif isinstance(shape, Dot):
            out.append(f'<circle cx="{_f(shape.x)}" cy="{_f(shape.y)}" r="{_f(shape.r)}" fill="{shape.fill}"/>')
        else:
            attributes = [f'x="{_f(shape.x)}"', f'y="{_f(shape.y)}"', f'fill="{shape.fill}"']
            if shape.size != font_size:
                attributes.append(f'font-size="{_f(shape.size)}"')
            if shape.bold:
                attributes.append('font-weight="600"')
            if shape.anchor != "start":
                attributes.append(f'text-anchor="{shape.anchor}"')
            out.append(f"<text {' '.join(attributes)}>{escape(shape.text)}</text>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every text is escaped; attributes are numbers or constants)


def _typst_shape(shape: Shape, line_scale: float) -> dict[str, Any]:
    if isinstance(shape, Rect):
        return {"kind": "rect", "x": shape.x, "y": shape.y, "w": shape.width, "h": shape.height, "fill": shape.fill}
    if isinstance(shape, Line):
        ends = {"x1": shape.x1, "y1": shape.y1, "x2": shape.x2, "y2": shape.y2}
        return {
            "kind": "line",
            **ends,
            "stroke": shape.stroke,
            "width": shape.width * line_scale,
            "dashed": shape.dashed,
        }
    if isinstance(shape, Dot):
        return {"kind": "dot", "x": shape.x, "y": shape.y, "r": shape.r, "fill": shape.fill}
    look = {"size": shape.size, "bold": shape.bold, "anchor": shape.anchor, "fill": shape.fill}
    return {"kind": "text", "x": shape.x, "y": shape.y, "text": fonts.clean(shape.text), **look}


def typst_shapes(shapes: list[Shape] | tuple[Shape, ...], *, line_scale: float) -> list[dict[str, Any]]:
    """The shapes as data for documents/typst/common.typ (`shapes`): points, y downwards; lines `line_scale` wide."""
    return [_typst_shape(shape, line_scale) for shape in shapes]
