"""Access-code slips: four per A4 page with dashed cut lines; each has the candidate's name, the assessment, the
code, the web address to enter it at and the window in the centre's time zone."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]

from examdesk.documents.layout import BRAND, MARGIN, MUTED, PANEL, Page, rgb
from examdesk.documents.pdf import StreamingCanvas

WIDTH, HEIGHT = A4
PER_PAGE = 4


@dataclass(frozen=True)
class Slip:
    candidate_name: str
    unique_id: str
    assessment: str
    code: str  # grouped: KQ7M-X4TR-9P
    address: str  # http://…/code/
    window: str  # 'From 1 March 2027, 00:00 to 5 March 2027, 23:59 (Europe/London)'
    centre: str


def render_slips(slips: list[Slip], *, title: str, author: str) -> bytes:
    if not slips:
        raise ValueError("There are no slips to print.")
    out = io.BytesIO()
    canvas = StreamingCanvas(out, title=title, author=author, subject="Access-code slips")
    height = (HEIGHT - 2 * MARGIN) / PER_PAGE
    for index, slip in enumerate(slips):
        position = index % PER_PAGE
        top = HEIGHT - MARGIN - position * height
        _draw(Page(canvas), slip, top)
        if position < PER_PAGE - 1 and index < len(slips) - 1:
            canvas.saveState()
            canvas.setDash(4, 3)
            canvas.setStrokeColorRGB(*rgb(MUTED))
            canvas.setLineWidth(0.6)
            canvas.line(MARGIN / 2, top - height, WIDTH - MARGIN / 2, top - height)
            canvas.restoreState()
        if position == PER_PAGE - 1 or index == len(slips) - 1:
            canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw(page: Page, slip: Slip, top: float) -> None:
    right = WIDTH - MARGIN
    room = right - MARGIN
    y = top - 22
    page.text(MARGIN, y, slip.centre, 9.5, colour=MUTED, room=room * 0.6)
    page.text(right, y, slip.unique_id, 9.5, colour=MUTED, anchor="end")
    page.text(MARGIN, y - 24, slip.candidate_name, 17, bold=True, room=room)
    page.text(MARGIN, y - 42, slip.assessment, 11, room=room)
    box = 58.0
    page.panel(MARGIN, y - 60 - box, room, box, PANEL)
    page.text(MARGIN + 14, y - 80, "Your access code", 9.5, colour=MUTED)
    page.text(MARGIN + 14, y - 106, slip.code, 24, bold=True, colour=BRAND)
    page.text(MARGIN, y - 140, f"Go to {slip.address} and type your code.", 11, room=room)
    page.text(MARGIN, y - 156, slip.window, 10, colour=MUTED, room=room)
