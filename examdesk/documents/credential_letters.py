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
from examdesk.documents.layout import BRAND, MARGIN, MUTED, PANEL, TEXT, Page, format_date
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
    for number, step in enumerate(steps, start=1):
        page.text(MARGIN, y, f"{number}.", 11, bold=True)
        y = page.paragraph(MARGIN + 18, y, step, size=11, room=content - 18, leading=14.5) - 4

    y -= 14
    page.text(MARGIN, y, "When your results are released", 13, bold=True)
    y -= 8
    qualification_x, series_x, release_x = MARGIN, MARGIN + content * 0.42, MARGIN + content * 0.62
    page.rule(MARGIN, y, right, MUTED, 0.75)
    y -= 14
    for label, x in (("Qualification", qualification_x), ("Series", series_x), ("Results online from", release_x)):
        page.text(x, y, label, 9.5, bold=True)
    y -= 6
    page.rule(MARGIN, y, right, TEXT, 1)
    releases = letter.releases or (("Your entries", "", "to be announced"),)
    notes_top = MARGIN + 118
    room_for = max(1, int((y - (notes_top + 44)) // 20))
    shown = releases if len(releases) <= room_for else releases[: room_for - 1]
    for qualification, series, release in shown:
        y -= 15
        page.text(qualification_x, y, qualification, 10, room=series_x - qualification_x - 8)
        page.text(series_x, y, series, 10, room=release_x - series_x - 8)
        page.text(release_x, y, release, 10, room=right - release_x)
        y -= 5
        page.rule(MARGIN, y, right, MUTED, 0.5)
    if len(releases) > len(shown):
        y -= 14
        page.text(MARGIN, y, f"and {len(releases) - len(shown)} more: your centre can tell you their dates.", 9.5)

    page.rule(MARGIN, notes_top + 14, right, BRAND, 1)
    page.text(MARGIN, notes_top, "Keep this letter safe", 12, bold=True)
    after = page.paragraph(
        MARGIN,
        notes_top - 17,
        "Anyone with this letter can sign in as you until you choose your own password. Do not share it or post "
        "it online. We do not answer questions from candidates: your centre does.",
        size=10.5,
        room=content,
        leading=14,
    )
    page.paragraph(
        MARGIN,
        after - 8,
        f"Questions about signing in or your results? Contact {letter.contact}.",
        size=10.5,
        room=content,
        leading=14,
    )
    page.text(
        MARGIN,
        MARGIN,
        f"{letter.board_name} · Centre {letter.centre_number} {letter.centre_name}",
        8.5,
        colour=MUTED,
        room=content,
    )
