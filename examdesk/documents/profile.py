"""The graphical profile of a result: each component's score as a bar on the scale, the overall score emphasised,
and dashed lines where the bands that award a certificate begin.

One layout, two outputs: an inline SVG for web pages (`profile_svg`, with `documents/_profile.html` adding a table
as its text alternative) and shapes typeset by Typst in the statement PDF (`profile_figure`), with the same text
as its /Alt.

Colours meet WCAG 2.2 AA against white: text #0b0c0c (19:1), component bars #1d70b8 (5.2:1), the overall bar
#1d3a5f (11:1), boundary lines and their labels #505a5f (7:1). The overall bar is also thicker and its label bold,
so nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from examdesk.documents import fonts, vector


@dataclass(frozen=True)
class ProfileBar:
    """One bar: `value` is None when there is no score to draw (absent, exempt); `shown` is what is printed."""

    label: str
    value: Decimal | None
    shown: str


@dataclass(frozen=True)
class ProfileBoundary:
    """The lowest score of a band, e.g. 200 "Grade A · C1"."""

    score: Decimal
    label: str


@dataclass(frozen=True)
class Profile:
    title: str
    scale_min: Decimal
    scale_max: Decimal
    bars: tuple[ProfileBar, ...]
    boundaries: tuple[ProfileBoundary, ...]
    overall: ProfileBar | None

    def __post_init__(self) -> None:
        if self.scale_max <= self.scale_min:
            raise ValueError("The top of the scale must be above its bottom.")

    def visible_boundaries(self) -> tuple[ProfileBoundary, ...]:
        """Boundaries inside the scale, lowest first (one at the very bottom of the scale says nothing)."""
        inside = [b for b in self.boundaries if self.scale_min < b.score <= self.scale_max]
        return tuple(sorted(inside, key=lambda b: b.score))


TEXT = "#0b0c0c"
MUTED = "#505a5f"
BAR = "#1d70b8"
OVERALL = "#1d3a5f"
TRACK = "#f3f2f1"

# Measure(text, bold, size) -> width in the same units as the layout.
Measure = Callable[[str, bool, float], float]


@dataclass(frozen=True)
class _Layout:
    width: float
    height: float
    shapes: tuple[vector.Shape, ...]


def number(value: Decimal) -> str:
    """185.00 → "185", 62.50 → "62.5"."""
    return format(value.normalize(), "f")


def _layout(profile: Profile, *, width: float, size: float, measure: Measure) -> _Layout:
    """Shapes in a box `width` wide, y growing downwards, with label text at `size`; the height follows."""
    small = size * 0.85
    rows = [*profile.bars, *([profile.overall] if profile.overall else [])]
    bold = {id(profile.overall)} if profile.overall else set()

    label_width = min(
        max((measure(fonts.clean(r.label), id(r) in bold, size) for r in rows), default=0) + size * 0.8,
        width * 0.34,
    )
    value_width = max(
        max((measure(fonts.clean(r.shown), id(r) in bold, size) for r in rows), default=0) + size * 0.8,
        size * 3,
    )
    left, right = label_width, width - value_width
    span = float(profile.scale_max - profile.scale_min)

    def at(score: Decimal) -> float:
        fraction = float(score - profile.scale_min) / span
        return left + (right - left) * min(1.0, max(0.0, fraction))

    # Boundary labels above the bars, each at the top of its line, lifted into another row where it would touch
    # a label in the same row. A line that passes a label in a lower row runs behind it (the label has a white
    # background), so rows stay few even where boundaries are close together.
    boundaries = profile.visible_boundaries()
    gap = size * 0.5
    placed: list[tuple[int, float, float, float]] = []  # (row, x of line, span start, span end)
    labels: list[tuple[int, float, str, str]] = []  # (row, x of text, anchor, text)
    for boundary in sorted(boundaries, key=lambda b: b.score, reverse=True):
        x = at(boundary.score)
        text = fonts.clean(boundary.label)
        text_width = measure(text, False, small)
        if x + 3 + text_width <= width:
            anchor, start, end = "start", x + 3, x + 3 + text_width
        else:
            anchor, start, end = "end", x - 3 - text_width, x - 3
        row = 0
        while any(r == row and start - gap < e and s < end + gap for r, _, s, e in placed):
            row += 1
        placed.append((row, x, start, end))
        labels.append((row, start if anchor == "start" else end, anchor, text))

    shapes: list[vector.Shape] = []
    label_rows = 1 + max((row for row, *_ in placed), default=-1)
    row_height = small * 1.45
    top = label_rows * row_height + (size * 0.3 if label_rows else 0)

    pitch, thickness = size * 1.9, size * 1.1
    y = top
    bar_shapes: list[vector.Shape] = []
    for index, row_bar in enumerate(rows):
        emphasised = row_bar is profile.overall
        if emphasised:
            y += size * 0.6
            pitch, thickness = size * 2.3, size * 1.5
        middle = y + pitch / 2
        bar_shapes.append(vector.Rect(left, middle - thickness / 2, right - left, thickness, TRACK))
        if row_bar.value is not None:
            end_x = at(row_bar.value)
            if end_x > left:
                bar_shapes.append(
                    vector.Rect(left, middle - thickness / 2, end_x - left, thickness, OVERALL if emphasised else BAR)
                )
        baseline = middle + size * 0.35
        label = fonts.clean(row_bar.label)
        label_size = size
        room = label_width - size * 0.8
        if measure(label, emphasised, size) > room > 0:
            label_size = max(size * 0.6, size * room / measure(label, emphasised, size))
        bar_shapes.append(vector.Text(0, baseline, label, label_size, bold=emphasised))
        bar_shapes.append(vector.Text(right + size * 0.5, baseline, fonts.clean(row_bar.shown), size, bold=emphasised))
        if emphasised and index:
            bar_shapes.append(vector.Line(0, y - size * 0.3, width, y - size * 0.3, MUTED, 0.75))
        y += pitch
    axis_y = y + size * 0.2

    # Dashed lines first, so the bars lie over them and the lines show in the gaps between bars.
    for row, x, _start, _end in placed:
        baseline = (label_rows - row) * row_height - small * 0.35
        shapes.append(vector.Line(x, baseline + small * 0.3, x, axis_y, MUTED, 1.0, dashed=True))
    for (row, _x, start, end), (_, text_x, anchor, text) in zip(placed, labels, strict=True):
        baseline = (label_rows - row) * row_height - small * 0.35
        shapes.append(vector.Rect(start - 2, baseline - small * 0.9, end - start + 4, small * 1.2, "#ffffff"))
        shapes.append(vector.Text(text_x, baseline, text, small, anchor=anchor, fill=MUTED))
    shapes.extend(bar_shapes)

    # The scale: a line with ticks at both ends and at each boundary; tick labels that would touch are left out.
    tick = size * 0.4
    shapes.append(vector.Line(left, axis_y, right, axis_y, MUTED, 1.0))
    taken: list[tuple[float, float]] = []
    ticks = [profile.scale_min, profile.scale_max, *(b.score for b in boundaries)]
    for score in ticks:
        x = at(score)
        shapes.append(vector.Line(x, axis_y, x, axis_y + tick, MUTED, 1.0))
        text = number(score)
        half = measure(text, False, small) / 2
        if any(x - half - gap / 2 < end and start < x + half + gap / 2 for start, end in taken):
            continue
        taken.append((x - half, x + half))
        shapes.append(vector.Text(x + half, axis_y + tick + small * 1.1, text, small, anchor="end", fill=MUTED))
    height = axis_y + tick + small * 1.45
    return _Layout(width=width, height=height, shapes=tuple(shapes))


# --- SVG -------------------------------------------------------------------------------------------------------

SVG_WIDTH = 720.0
SVG_FONT_SIZE = 15.0
# Browsers draw with the system's sans-serif (DejaVu Sans, Segoe UI, Roboto...), up to a sixth wider than Noto
# Sans: measure with room to spare.
_BROWSER_WIDER = 1.2


def _svg_measure(text: str, bold: bool, size: float) -> float:
    return fonts.width(text, bold, size) * _BROWSER_WIDER


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def describe(profile: Profile) -> str:
    """The chart in words (the SVG's <desc>)."""
    parts = [
        gettext("Bar chart of the scores on the scale from {low} to {high}.").format(
            low=number(profile.scale_min), high=number(profile.scale_max)
        )
    ]
    parts += [f"{fonts.clean(bar.label)}: {fonts.clean(bar.shown)}." for bar in profile.bars]
    if profile.overall is not None:
        parts.append(f"{fonts.clean(profile.overall.label)}: {fonts.clean(profile.overall.shown)}.")
    boundaries = profile.visible_boundaries()
    if boundaries:
        listed = "; ".join(
            gettext("{band} from {score}").format(band=fonts.clean(b.label), score=number(b.score))
            for b in reversed(boundaries)
        )
        parts.append(gettext("Band boundaries: {listed}.").format(listed=listed))
    return " ".join(parts)


def profile_svg(profile: Profile, *, element_id: str) -> SafeString:
    """The profile as an accessible inline SVG (role img, title, desc), with no script, style or external resource."""
    layout = _layout(profile, width=SVG_WIDTH, size=SVG_FONT_SIZE, measure=_svg_measure)
    return vector.svg(
        layout.shapes,
        element_id=element_id,
        css_class="profile-chart",
        width=layout.width,
        height=layout.height,
        font_size=SVG_FONT_SIZE,
        title=profile.title,
        description=describe(profile),
    )


# --- PDF -------------------------------------------------------------------------------------------------------


def _pdf_measure(text: str, bold: bool, size: float) -> float:
    return fonts.width(text, bold, size)


def profile_height(profile: Profile, *, width: float, font_size: float = 9.0) -> float:
    """The height (points) the chart needs `width` wide with its text at `font_size`."""
    return float(_layout(profile, width=width, size=font_size, measure=_pdf_measure).height)


def profile_figure(profile: Profile, *, width: float, height: float, font_size: float = 9.0) -> dict[str, Any]:
    """The chart for a PDF (documents/typst/common.typ draws it) in a box `width` wide and at most `height` tall,
    with its text alternative (`describe`): the text is drawn at `font_size` unless the chart would be taller
    than `height`, when everything shrinks."""
    size = font_size
    layout = _layout(profile, width=width, size=size, measure=_pdf_measure)
    for _ in range(3):
        if layout.height <= height:
            break
        size *= height / layout.height
        layout = _layout(profile, width=width, size=size, measure=_pdf_measure)
    return {
        "shapes": vector.typst_shapes(layout.shapes, line_scale=size / SVG_FONT_SIZE * 1.4),
        "width": layout.width,
        "height": layout.height,
        "alt": f"{fonts.clean(profile.title)}. {describe(profile)}",
    }
