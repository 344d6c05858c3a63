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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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

# Marked for the catalogue here, translated where they are printed (the tests compare the English).
NOTHING = "There are no letters to print."
TITLE = gettext_noop("Results Online {kind}: {candidate}")
FILE_TITLE = gettext_noop("Results Online {kind}s, {centre_number} {centre_name}")
SUBJECT = gettext_noop("Results Online {kind}")


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
        return _(TITLE).format(kind=self.wording().kind, candidate=self.candidate_name)

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
    meta = Meta(title=letter.title, author=letter.board_name, subject=_(SUBJECT).format(kind=letter.wording().kind))
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
            or _(FILE_TITLE).format(
                kind=letter.wording().kind, centre_number=letter.centre_number, centre_name=letter.centre_name
            ),
            author=letter.board_name,
            subject=_(SUBJECT).format(kind=letter.wording().kind),
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
        "private_for": _(PRIVATE_FOR),
        "candidate_name": letter.candidate_name,
        "for_line": fonts.clean(words.for_line),
        "intro": fonts.clean(words.intro),
        "panel": [[label, fonts.clean(value)] for label, value in words.panel],
        "panel_size": words.panel_size,
        "panel_hint": words.panel_hint,
        "steps_heading": words.steps_heading,
        "steps": [fonts.clean(step) for step in words.steps],
        "releases_heading": _(RELEASES_HEADING),
        "release_columns": [_(column) for column in RELEASE_COLUMNS],
        "releases": releases,
        "more": more,
        "keep_safe_heading": _(KEEP_SAFE_HEADING),
        "keep_safe": words.keep_safe,
        "questions": fonts.clean(words.questions),
        "footer": fonts.clean(
            _(FOOTER).format(
                board=letter.board_name, centre_number=letter.centre_number, centre_name=letter.centre_name
            )
        ),
    }
