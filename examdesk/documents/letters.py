"""The Results Online registration letter: one A4 page per candidate with their ID number and Secret Number.

`render_registration_letter` makes one file (to e-mail or print singly); `render_registration_letters` streams a
page per candidate into one print file whose fonts are embedded once.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]

from examdesk.documents import fonts
from examdesk.documents.layout import BRAND, MARGIN, MUTED, PANEL, Page, format_date
from examdesk.documents.letter_parts import numbered_steps, release_table, safety_notes
from examdesk.documents.pdf import StreamingCanvas, render_pages

WIDTH, HEIGHT = A4


@dataclass(frozen=True)
class RegistrationLetterData:
    board_name: str
    site_url: str  # where candidates register, e.g. http://127.0.0.1:8000/results/register/
    centre_name: str
    centre_number: str
    candidate_first_name: str
    candidate_last_name: str
    id_number: str
    secret_number: str  # grouped for reading, e.g. "1234 5678 90"
    releases: tuple[tuple[str, str, str], ...]  # (qualification, series, release time with zone or "to be announced")
    contact: str  # who to ask at the centre
    issue_date: date

    @property
    def candidate_name(self) -> str:
        return fonts.clean(f"{self.candidate_first_name} {self.candidate_last_name}")

    @property
    def title(self) -> str:
        return f"Results Online registration letter: {self.candidate_name}"


def render_registration_letter(letter: RegistrationLetterData) -> bytes:
    """One letter as a one-page PDF file."""
    out = io.BytesIO()
    render_registration_letters([letter], out, title=letter.title)
    return out.getvalue()


def render_registration_letters(
    letters: Iterable[RegistrationLetterData], out: BinaryIO, *, title: str | None = None
) -> int:
    """Write one PDF with a page per letter to `out`, page by page; returns the page count.

    ValueError when `letters` is empty (nothing is written).
    """
    return render_pages(
        letters,
        out,
        draw=_draw_letter,
        title=lambda letter: (
            title or f"Results Online registration letters, {letter.centre_number} {letter.centre_name}"
        ),
        author=lambda letter: letter.board_name,
        subject="Results Online registration letter",
        nothing="There are no letters to print.",
    )


def _draw_letter(canvas: StreamingCanvas, letter: RegistrationLetterData) -> None:
    page = Page(canvas)
    right = WIDTH - MARGIN
    content = right - MARGIN

    y = HEIGHT - MARGIN
    page.text(MARGIN, y - 11, letter.board_name, 11, bold=True, colour=BRAND, room=content * 0.6)
    page.text(right, y - 11, format_date(letter.issue_date), 10, colour=MUTED, anchor="end")
    page.text(MARGIN, y - 36, "Your Results Online registration letter", 20, bold=True, room=content)
    y -= 46
    page.rule(MARGIN, y, right, BRAND, 2)

    y -= 24
    page.text(MARGIN, y, "Private: for", 9, colour=MUTED)
    page.text(MARGIN, y - 18, letter.candidate_name, 16, bold=True, room=content)
    page.text(MARGIN, y - 34, f"Centre {letter.centre_number} {letter.centre_name}", 10.5, room=content)
    y -= 62

    y = page.paragraph(
        MARGIN,
        y,
        f"Dear {letter.candidate_first_name}, you can see your exam results online at {letter.site_url} as soon "
        "as they are released. To register you need the two numbers below.",
        size=11,
        room=content,
        leading=15,
    )

    # The two numbers, large and grouped for reading.
    y -= 8
    box_height = 78.0
    page.panel(MARGIN, y - box_height, content, box_height, PANEL)
    half = content / 2
    page.text(MARGIN + 14, y - 20, "ID number", 10, colour=MUTED)
    page.text(MARGIN + 14, y - 52, letter.id_number, 26, bold=True, room=half - 28)
    page.text(MARGIN + half, y - 20, "Secret Number", 10, colour=MUTED)
    page.text(MARGIN + half, y - 52, letter.secret_number, 26, bold=True, room=half - 14)
    page.text(MARGIN + 14, y - 68, "Type the numbers with or without the spaces.", 9, colour=MUTED)
    y -= box_height + 26

    page.text(MARGIN, y, "How to register", 13, bold=True)
    y -= 20
    steps = [
        f"Go to {letter.site_url}",
        "Enter your ID number and Secret Number exactly as printed above.",
        "Give your e-mail address and choose a password. We send you an e-mail: open the link in it to confirm "
        "your e-mail address. Your account is ready once you have confirmed it.",
        "Sign in with your ID number or e-mail address and your password after the release time of your results "
        "(below). Before then your results are not shown.",
    ]
    y = numbered_steps(page, y, steps, content=content)
    release_table(page, y, letter.releases, right=right)
    safety_notes(
        page,
        keep_safe=(
            "Your Secret Number registers one account only: once you have registered, it cannot be used again. "
            "Do not share it or post it online. If you lose this letter before you register, ask your centre: "
            "they can give you a new one."
        ),
        questions=f"Questions about your registration or your results? Ask {letter.contact}.",
        right=right,
    )
    page.text(
        MARGIN,
        MARGIN,
        f"{letter.board_name} · Centre {letter.centre_number} {letter.centre_name}",
        8.5,
        colour=MUTED,
        room=content,
    )
