"""Results Online letters: one A4 page per candidate, in one layout for every kind of letter.

Two kinds today: the registration letter (ID number and Secret Number, to register) and the login letter
(username and password made by the centre). Each kind says its own words (`wording()`); the page, the release
table and the notes are drawn once. `render_letter` makes one file (to e-mail, or for a zip of singles);
`render_letters` puts a page per letter into one print file whose fonts are embedded once. Typst typesets them
(documents/typst/letter.typ): names in any script, tagged PDF. A login letter's password exists only in the
letter data while it is rendered: nothing here keeps or logs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from examdesk.documents import fonts
from examdesk.documents.layout import format_date
from examdesk.documents.letter_parts import (
    FOOTER,
    KEEP_SAFE_HEADING,
    PRIVATE_FOR,
    RELEASE_COLUMNS,
    RELEASES_HEADING,
    release_rows,
)
from examdesk.documents.pdf import Meta, render_pages, typeset

NOTHING = "There are no letters to print."
TITLE = "Results Online {kind}: {name}"
FILE_TITLE = "Results Online {kind}s, {centre_number} {centre_name}"
SUBJECT = "Results Online {kind}"


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
        return TITLE.format(kind=self.wording().kind, name=self.candidate_name)

    def wording(self) -> Wording:
        raise NotImplementedError


@dataclass(frozen=True)
class RegistrationLetterData(LetterData):
    site_url: str  # where candidates register, e.g. http://127.0.0.1:8000/results/register/
    id_number: str
    secret_number: str  # grouped for reading, e.g. "1234 5678 90"

    def wording(self) -> Wording:
        return Wording(
            kind="registration letter",
            heading="Your Results Online registration letter",
            for_line=f"Centre {self.centre_number} {self.centre_name}",
            intro=(
                f"Dear {self.candidate_first_name}, you can see your exam results online at {self.site_url} as soon "
                "as they are released. To register you need the two numbers below."
            ),
            panel=(("ID number", self.id_number), ("Secret Number", self.secret_number)),
            panel_size=26,
            panel_hint="Type the numbers with or without the spaces.",
            steps_heading="How to register",
            steps=(
                f"Go to {self.site_url}",
                "Enter your ID number and Secret Number exactly as printed above.",
                "Give your e-mail address and choose a password. We send you an e-mail: open the link in it to "
                "confirm your e-mail address. Your account is ready once you have confirmed it.",
                "Sign in with your ID number or e-mail address and your password after the release time of your "
                "results (below). Before then your results are not shown.",
            ),
            keep_safe=(
                "Your Secret Number registers one account only: once you have registered, it cannot be used again. "
                "Do not share it or post it online. If you lose this letter before you register, ask your centre: "
                "they can give you a new one."
            ),
            questions=f"Questions about your registration or your results? Ask {self.contact}.",
        )


@dataclass(frozen=True)
class CredentialLetterData(LetterData):
    sign_in_url: str  # e.g. http://127.0.0.1:8000/results/sign-in/
    candidate_number: str  # the candidate's number in the series, or their unique ID when they have no entry
    username: str
    password: str = field(repr=False)

    def wording(self) -> Wording:
        return Wording(
            kind="login letter",
            heading="Your Results Online login",
            for_line=f"Candidate number {self.candidate_number} · Centre {self.centre_number} {self.centre_name}",
            intro=(
                f"Dear {self.candidate_first_name}, you can see your exam results online at {self.sign_in_url} as "
                "soon as they are released. Sign in with the username and password below."
            ),
            panel=(("Username", self.username), ("Password", self.password)),
            panel_size=22,
            panel_hint="Type them exactly as printed. The password is case-sensitive.",
            steps_heading="How to sign in",
            steps=(
                f"Go to {self.sign_in_url}",
                "Type your username in the box 'ID number or e-mail address', and your password.",
                "You are asked to choose a new password of your own. Choose one nobody can guess and keep it to "
                "yourself.",
                "After the release time of your results (below) they are shown when you sign in. Before then they "
                "are not.",
            ),
            keep_safe=(
                "Anyone with this letter can sign in as you until you choose your own password. Do not share it or "
                "post it online. We do not answer questions from candidates: your centre does."
            ),
            questions=f"Questions about signing in or your results? Contact {self.contact}.",
        )


def render_letter(letter: LetterData) -> bytes:
    """One letter as a one-page PDF file."""
    meta = Meta(title=letter.title, author=letter.board_name, subject=SUBJECT.format(kind=letter.wording().kind))
    return typeset("letter", meta, [_prepare(letter)], words={})


def render_letters(letters: Iterable[LetterData], out: BinaryIO, *, title: str | None = None) -> int:
    """Write one PDF with a page per letter to `out`; returns the page count.

    ValueError when `letters` is empty (nothing is written).
    """
    return render_pages(
        letters,
        out,
        template="letter",
        prepare=_prepare,
        meta=lambda letter: Meta(
            title=title
            or FILE_TITLE.format(
                kind=letter.wording().kind, centre_number=letter.centre_number, centre_name=letter.centre_name
            ),
            author=letter.board_name,
            subject=SUBJECT.format(kind=letter.wording().kind),
        ),
        words={},
        nothing=NOTHING,
    )


def _prepare(letter: LetterData) -> dict[str, Any]:
    """What documents/typst/letter.typ prints for one letter, every text in its final words."""
    words = letter.wording()
    releases, more = release_rows(letter.releases)
    return {
        "board_name": fonts.clean(letter.board_name),
        "date": format_date(letter.issue_date),
        "heading": words.heading,
        "private_for": PRIVATE_FOR,
        "candidate_name": letter.candidate_name,
        "for_line": fonts.clean(words.for_line),
        "intro": fonts.clean(words.intro),
        "panel": [[label, fonts.clean(value)] for label, value in words.panel],
        "panel_size": words.panel_size,
        "panel_hint": words.panel_hint,
        "steps_heading": words.steps_heading,
        "steps": [fonts.clean(step) for step in words.steps],
        "releases_heading": RELEASES_HEADING,
        "release_columns": list(RELEASE_COLUMNS),
        "releases": releases,
        "more": more,
        "keep_safe_heading": KEEP_SAFE_HEADING,
        "keep_safe": words.keep_safe,
        "questions": fonts.clean(words.questions),
        "footer": fonts.clean(
            FOOTER.format(board=letter.board_name, centre_number=letter.centre_number, centre_name=letter.centre_name)
        ),
    }
