"""Results Online letters: one A4 page per candidate, in one layout for every kind of letter.

Two kinds today: the registration letter (ID number and Secret Number, to register) and the login letter
(username and password made by the centre). Each kind says its own words (`wording()`); the page, the release
table and the notes are drawn once. `render_letter` makes one file (to e-mail, or for a zip of singles);
`render_letters` streams a page per letter into one print file whose fonts are embedded once. A login letter's
password exists only in the letter data while it is rendered: nothing here keeps or logs it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]

from examdesk.documents import fonts
from examdesk.documents.layout import BRAND, MARGIN, MUTED, PANEL, Page, format_date
from examdesk.documents.letter_parts import numbered_steps, release_table, safety_notes
from examdesk.documents.pdf import StreamingCanvas, render_pages

WIDTH, HEIGHT = A4
NOTHING = "There are no letters to print."


@dataclass(frozen=True)
class Wording:
    """What one kind of letter says, in the order the page shows it."""

    kind: str  # "registration letter", "login letter": in titles
    heading: str
    for_line: str  # under the candidate's name
    intro: str
    panel: tuple[tuple[str, str], tuple[str, str]]  # (label, value) twice, printed large
    panel_size: float
    panel_hint: str
    steps_heading: str
    steps: Sequence[str]
    keep_safe: str
    questions: str


@dataclass(frozen=True)
class LetterData:
    """What every letter carries; the kinds below add their two numbers."""

    board_name: str
    centre_name: str
    centre_number: str
    candidate_first_name: str
    candidate_last_name: str
    releases: tuple[tuple[str, str, str], ...]  # (qualification, series, release time with zone or a note)
    contact: str  # who to ask at the centre
    issue_date: date

    @property
    def candidate_name(self) -> str:
        return fonts.clean(f"{self.candidate_first_name} {self.candidate_last_name}")

    @property
    def title(self) -> str:
        return _("Results Online {kind}: {candidate}").format(kind=self.wording().kind, candidate=self.candidate_name)

    def wording(self) -> Wording:
        raise NotImplementedError


@dataclass(frozen=True)
class RegistrationLetterData(LetterData):
    site_url: str  # where candidates register, e.g. http://127.0.0.1:8000/results/register/
    id_number: str
    secret_number: str  # grouped for reading, e.g. "1234 5678 90"

    def wording(self) -> Wording:
        return Wording(
            kind=_("registration letter"),
            heading=_("Your Results Online registration letter"),
            for_line=_("Centre {number} {name}").format(number=self.centre_number, name=self.centre_name),
            intro=_(
                "Dear {name}, you can see your exam results online at {url} as soon "
                "as they are released. To register you need the two numbers below."
            ).format(name=self.candidate_first_name, url=self.site_url),
            panel=((_("ID number"), self.id_number), (_("Secret Number"), self.secret_number)),
            panel_size=26,
            panel_hint=_("Type the numbers with or without the spaces."),
            steps_heading=_("How to register"),
            steps=(
                _("Go to {url}").format(url=self.site_url),
                _("Enter your ID number and Secret Number exactly as printed above."),
                _(
                    "Give your e-mail address and choose a password. We send you an e-mail: open the link in it to "
                    "confirm your e-mail address. Your account is ready once you have confirmed it."
                ),
                _(
                    "Sign in with your ID number or e-mail address and your password after the release time of your "
                    "results (below). Before then your results are not shown."
                ),
            ),
            keep_safe=_(
                "Your Secret Number registers one account only: once you have registered, it cannot be used again. "
                "Do not share it or post it online. If you lose this letter before you register, ask your centre: "
                "they can give you a new one."
            ),
            questions=_("Questions about your registration or your results? Ask {contact}.").format(
                contact=self.contact
            ),
        )


@dataclass(frozen=True)
class CredentialLetterData(LetterData):
    sign_in_url: str  # e.g. http://127.0.0.1:8000/results/sign-in/
    candidate_number: str  # the candidate's number in the series, or their unique ID when they have no entry
    username: str
    password: str = field(repr=False)

    def wording(self) -> Wording:
        return Wording(
            kind=_("login letter"),
            heading=_("Your Results Online login"),
            for_line=_("Candidate number {candidate_number} · Centre {number} {name}").format(
                candidate_number=self.candidate_number, number=self.centre_number, name=self.centre_name
            ),
            intro=_(
                "Dear {name}, you can see your exam results online at {url} as "
                "soon as they are released. Sign in with the username and password below."
            ).format(name=self.candidate_first_name, url=self.sign_in_url),
            panel=((_("Username"), self.username), (_("Password"), self.password)),
            panel_size=22,
            panel_hint=_("Type them exactly as printed. The password is case-sensitive."),
            steps_heading=_("How to sign in"),
            steps=(
                _("Go to {url}").format(url=self.sign_in_url),
                _("Type your username in the box 'ID number or e-mail address', and your password."),
                _(
                    "You are asked to choose a new password of your own. Choose one nobody can guess and keep it to "
                    "yourself."
                ),
                _(
                    "After the release time of your results (below) they are shown when you sign in. Before then they "
                    "are not."
                ),
            ),
            keep_safe=_(
                "Anyone with this letter can sign in as you until you choose your own password. Do not share it or "
                "post it online. We do not answer questions from candidates: your centre does."
            ),
            questions=_("Questions about signing in or your results? Contact {contact}.").format(contact=self.contact),
        )


def render_letter(letter: LetterData) -> bytes:
    """One letter as a one-page PDF file."""
    out = io.BytesIO()
    render_letters([letter], out, title=letter.title)
    return out.getvalue()


def render_letters(letters: Iterable[LetterData], out: BinaryIO, *, title: str | None = None) -> int:
    """Write one PDF with a page per letter to `out`, page by page; returns the page count.

    ValueError when `letters` is empty (nothing is written).
    """
    return render_pages(
        letters,
        out,
        draw=_draw_letter,
        title=lambda letter: (
            title or f"Results Online {letter.wording().kind}s, {letter.centre_number} {letter.centre_name}"
        ),
        author=lambda letter: letter.board_name,
        subject=lambda letter: f"Results Online {letter.wording().kind}",
        nothing=NOTHING,
    )


def _draw_letter(canvas: StreamingCanvas, letter: LetterData) -> None:
    words = letter.wording()
    page = Page(canvas)
    right = WIDTH - MARGIN
    content = right - MARGIN

    y = HEIGHT - MARGIN
    page.text(MARGIN, y - 11, letter.board_name, 11, bold=True, colour=BRAND, room=content * 0.6)
    page.text(right, y - 11, format_date(letter.issue_date), 10, colour=MUTED, anchor="end")
    page.text(MARGIN, y - 36, words.heading, 20, bold=True, room=content)
    y -= 46
    page.rule(MARGIN, y, right, BRAND, 2)

    y -= 24
    page.text(MARGIN, y, _("Private: for"), 9, colour=MUTED)
    page.text(MARGIN, y - 18, letter.candidate_name, 16, bold=True, room=content)
    page.text(MARGIN, y - 34, words.for_line, 10.5, room=content)
    y -= 62

    y = page.paragraph(MARGIN, y, words.intro, size=11, room=content, leading=15)

    # The two numbers, large and grouped for reading.
    y -= 8
    box_height = 78.0
    page.panel(MARGIN, y - box_height, content, box_height, PANEL)
    half = content / 2
    (first_label, first), (second_label, second) = words.panel
    page.text(MARGIN + 14, y - 20, first_label, 10, colour=MUTED)
    page.text(MARGIN + 14, y - 52, first, words.panel_size, bold=True, room=half - 28)
    page.text(MARGIN + half, y - 20, second_label, 10, colour=MUTED)
    page.text(MARGIN + half, y - 52, second, words.panel_size, bold=True, room=half - 14)
    page.text(MARGIN + 14, y - 68, words.panel_hint, 9, colour=MUTED)
    y -= box_height + 26

    page.text(MARGIN, y, words.steps_heading, 13, bold=True)
    y -= 20
    y = numbered_steps(page, y, words.steps, content=content)
    release_table(page, y, letter.releases, right=right)
    safety_notes(page, keep_safe=words.keep_safe, questions=words.questions, right=right)
    page.text(
        MARGIN,
        MARGIN,
        f"{letter.board_name} · Centre {letter.centre_number} {letter.centre_name}",
        8.5,
        colour=MUTED,
        room=content,
    )
