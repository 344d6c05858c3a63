"""The Results Online login letter: one A4 page per candidate with their username and password.

`render_credential_letter` makes one file (for the zip, to e-mail singly); `render_credential_letters` streams a
page per candidate into one print file whose fonts are embedded once. The password exists only in the letter
data while it is rendered: nothing here keeps or logs it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]

from examdesk.documents import fonts
from examdesk.documents.layout import BRAND, MARGIN, MUTED, PANEL, Page, format_date
from examdesk.documents.letter_parts import numbered_steps, release_table, safety_notes
from examdesk.documents.pdf import StreamingCanvas, render_pages

WIDTH, HEIGHT = A4


@dataclass(frozen=True)
class CredentialLetterData:
    board_name: str
    sign_in_url: str  # e.g. http://127.0.0.1:8000/results/sign-in/
    centre_name: str
    centre_number: str
    candidate_first_name: str
    candidate_last_name: str
    candidate_number: str  # the candidate's number in the series, or their unique ID when they have no entry
    username: str
    password: str = field(repr=False)
    releases: tuple[tuple[str, str, str], ...]  # (qualification, series, release time with zone or a note)
    contact: str  # the centre's query contact: name, phone, e-mail
    issue_date: date

    @property
    def candidate_name(self) -> str:
        return fonts.clean(f"{self.candidate_first_name} {self.candidate_last_name}")

    @property
    def title(self) -> str:
        return f"Results Online login letter: {self.candidate_name}"


def render_credential_letter(letter: CredentialLetterData) -> bytes:
    """One letter as a one-page PDF file."""
    out = io.BytesIO()
    render_credential_letters([letter], out, title=letter.title)
    return out.getvalue()


def render_credential_letters(
    letters: Iterable[CredentialLetterData], out: BinaryIO, *, title: str | None = None
) -> int:
    """Write one PDF with a page per letter to `out`, page by page; returns the page count.

    ValueError when `letters` is empty (nothing is written).
    """
    return render_pages(
        letters,
        out,
        draw=_draw_letter,
        title=lambda letter: title or f"Results Online login letters, {letter.centre_number} {letter.centre_name}",
        author=lambda letter: letter.board_name,
        subject="Results Online login letter",
        nothing="There are no letters to print.",
    )


def _draw_letter(canvas: StreamingCanvas, letter: CredentialLetterData) -> None:
    page = Page(canvas)
    right = WIDTH - MARGIN
    content = right - MARGIN

    y = HEIGHT - MARGIN
    page.text(MARGIN, y - 11, letter.board_name, 11, bold=True, colour=BRAND, room=content * 0.6)
    page.text(right, y - 11, format_date(letter.issue_date), 10, colour=MUTED, anchor="end")
    page.text(MARGIN, y - 36, "Your Results Online login", 20, bold=True, room=content)
    y -= 46
    page.rule(MARGIN, y, right, BRAND, 2)

    y -= 24
    page.text(MARGIN, y, "Private: for", 9, colour=MUTED)
    page.text(MARGIN, y - 18, letter.candidate_name, 16, bold=True, room=content)
    page.text(
        MARGIN,
        y - 34,
        f"Candidate number {letter.candidate_number} · Centre {letter.centre_number} {letter.centre_name}",
        10.5,
        room=content,
    )
    y -= 62

    y = page.paragraph(
        MARGIN,
        y,
        f"Dear {letter.candidate_first_name}, you can see your exam results online at {letter.sign_in_url} as "
        "soon as they are released. Sign in with the username and password below.",
        size=11,
        room=content,
        leading=15,
    )

    y -= 8
    box_height = 78.0
    page.panel(MARGIN, y - box_height, content, box_height, PANEL)
    half = content / 2
    page.text(MARGIN + 14, y - 20, "Username", 10, colour=MUTED)
    page.text(MARGIN + 14, y - 52, letter.username, 22, bold=True, room=half - 28)
    page.text(MARGIN + half, y - 20, "Password", 10, colour=MUTED)
    page.text(MARGIN + half, y - 52, letter.password, 22, bold=True, room=half - 14)
    page.text(MARGIN + 14, y - 68, "Type them exactly as printed. The password is case-sensitive.", 9, colour=MUTED)
    y -= box_height + 26

    page.text(MARGIN, y, "How to sign in", 13, bold=True)
    y -= 20
    steps = [
        f"Go to {letter.sign_in_url}",
        "Type your username in the box 'ID number or e-mail address', and your password.",
        "You are asked to choose a new password of your own. Choose one nobody can guess and keep it to yourself.",
        "After the release time of your results (below) they are shown when you sign in. Before then they are not.",
    ]
    y = numbered_steps(page, y, steps, content=content)
    release_table(page, y, letter.releases, right=right)
    safety_notes(
        page,
        keep_safe=(
            "Anyone with this letter can sign in as you until you choose your own password. Do not share it or post "
            "it online. We do not answer questions from candidates: your centre does."
        ),
        questions=f"Questions about signing in or your results? Contact {letter.contact}.",
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
