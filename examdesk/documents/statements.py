"""The statement of results: one A4 page per result, singly or thousands in one print file.

Build a `StatementData` (examdesk/results/statements/data.py does it from what the release gate shows) and call
`render_statement` for one file, or `render_statements` for many pages in one file whose fonts are embedded once.
Typst typesets the page (documents/typst/statement.typ; documents/pdf.py): names in any script, shaped, in
logical order, in subsets of the Noto fonts with ToUnicode maps, so they print and copy back exactly; the file is
tagged (PDF/UA-1: title, language, headings, the scores as a table, the chart with its text alternative).
A single statement is signed by the board's key (documents/signing.py) when one is configured.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from examdesk.documents import fonts, signing
from examdesk.documents.layout import format_date, qr_svg
from examdesk.documents.pdf import Meta, render_pages, typeset
from examdesk.documents.profile import Profile, profile_figure, profile_height

CONTENT_WIDTH = 495.0  # A4 less the margins, in points
NOTHING = "There are no statements to print."
# Everything the page says besides the data, in the order it shows it. Marked for the catalogue here and
# translated where the page is made (the tests compare the English).
WORDS = {
    "heading": gettext_noop("Statement of results"),
    "candidate_number": gettext_noop("Candidate number"),
    "id_number": gettext_noop("ID number"),
    "date_of_birth": gettext_noop("Date of birth"),
    "qualification": gettext_noop("Qualification"),
    "series": gettext_noop("Series"),
    "centre": gettext_noop("Centre"),
    "profile_heading": gettext_noop("Graphical profile"),
    "scores_heading": gettext_noop("Scores"),
    "component": gettext_noop("Component"),
    "score": gettext_noop("Score"),
    "overall_score": gettext_noop("Overall score"),
    "verification_code": gettext_noop("Verification code"),
}
NOT_GIVEN = gettext_noop("Not given")
RESULT = gettext_noop("Result")
CEFR_LEVEL = gettext_noop("CEFR level")
GRADE = gettext_noop("Grade {grade}")
CERTIFICATE = gettext_noop("A certificate is awarded for this result.")
NO_CERTIFICATE = gettext_noop("No certificate is awarded for this result.")
HOW_TO_CHECK = gettext_noop(
    "Anyone can check this statement: scan the QR code, or go to {url} and enter the ID number {id_number} and the "
    "verification code."
)
HOW_TO_CHECK_SIGNED = gettext_noop("This file is signed by {board}: a PDF viewer shows the signature.")
HOW_TO_CHECK_UNSIGNED = gettext_noop("This file is not signed.")
FOOTER = gettext_noop("Issued on {date} by {board}. This statement is not a certificate.")
TITLE = gettext_noop("Statement of results: {candidate}, {qualification}, {series}")
FILE_TITLE = gettext_noop("Statements of results, {board}")
SUBJECT = gettext_noop("Statement of results")


@dataclass(frozen=True)
class StatementData:
    board_name: str
    centre_number: str
    centre_name: str
    candidate_first_name: str
    candidate_last_name: str
    candidate_number: str
    id_number: str
    date_of_birth: date | None
    qualification_name: str
    qualification_code: str
    series_name: str
    components: tuple[tuple[str, str], ...]  # (component name, score as shown: "185", "Absent", "Exempt")
    overall_score: str
    grade: str
    result_label: str
    cefr_level: str
    awards_certificate: bool
    issue_date: date
    verification_code: str
    verification_url: str
    profile: Profile

    @property
    def candidate_name(self) -> str:
        return fonts.clean(f"{self.candidate_first_name} {self.candidate_last_name}")

    @property
    def title(self) -> str:
        return _(TITLE).format(
            candidate=self.candidate_name, qualification=self.qualification_name, series=self.series_name
        )


KEYWORD = "examdesk-verification-code:"


def render_statement(data: StatementData) -> bytes:
    """One statement as a one-page PDF file, signed by the board's key when one is configured.

    The file's keywords carry the verification code (KEYWORD), so that the verification page can find the
    board's record of an uploaded statement.
    """
    signer = signing.board_signer()
    pdf = statement_unsigned(data, says_signed=signer is not None)
    return signer.sign(pdf) if signer is not None else pdf


def statement_unsigned(data: StatementData, *, says_signed: bool) -> bytes:
    """The statement's file before signing; `says_signed` chooses the sentence about the signature. The
    verification page typesets the board's record this way to compare it with an uploaded statement."""
    meta = Meta(
        title=data.title, author=data.board_name, subject=_(SUBJECT), keywords=(KEYWORD + data.verification_code,)
    )
    return typeset("statement", meta, [_prepare(data, signed=says_signed)], words=_words())


def verification_code_of(keywords: str) -> str | None:
    """The verification code in a statement file's keywords, or None."""
    for keyword in keywords.replace(";", ",").split(","):
        keyword = keyword.strip()
        if keyword.startswith(KEYWORD):
            return keyword[len(KEYWORD) :]
    return None


def render_statements(items: Iterable[StatementData], out: BinaryIO, *, title: str | None = None) -> int:
    """Write one PDF with a page per statement to `out` (a print file: not signed); returns the page count.

    `items` may be a generator: it is read once. Nothing is written when it is empty (a PDF needs a page), and
    ValueError is raised.
    """
    return render_pages(
        items,
        out,
        template="statement",
        prepare=lambda data: _prepare(data, signed=False, print_file=True),
        meta=lambda data: Meta(
            title=title or _(FILE_TITLE).format(board=data.board_name), author=data.board_name, subject=_(SUBJECT)
        ),
        words=_words(),
        nothing=NOTHING,
    )


def _words() -> dict[str, str]:
    return {key: _(text) for key, text in WORDS.items()}


# The page from the foot up: the footer and the verification box take this much, the headings above the chart
# and the table this much, and what is left between them is shared by the chart and the table.
_ABOVE_CHART = 330.0
_BELOW_TABLE = 150.0
_HEADINGS = 60.0


def _prepare(data: StatementData, *, signed: bool, print_file: bool = False) -> dict[str, Any]:
    """What documents/typst/statement.typ prints for one statement, every text in its final words."""
    cells = [(_(WORDS["overall_score"]), data.overall_score or "–"), (_(RESULT), data.result_label or "–")]
    if data.cefr_level:  # a qualification without CEFR levels (or a result below them) prints no empty cell
        cells.append((_(CEFR_LEVEL), data.cefr_level))
    # Up to 8 components in one column; more in two, side by side, with the overall score below them.
    columns = 1 if len(data.components) <= 8 else 2
    table_rows = -(-len(data.components) // columns) + 2 + (columns - 1)
    room = 742.0 - _ABOVE_CHART - _BELOW_TABLE - _HEADINGS
    # The chart wants its natural height; the table's rows close up first, then the chart shrinks into the rest.
    wanted = profile_height(data.profile, width=CONTENT_WIDTH)
    row = 16.0
    while row > 12 and wanted + row * table_rows > room:
        row -= 0.5
    chart = profile_figure(data.profile, width=CONTENT_WIDTH, height=max(60.0, min(wanted, room - row * table_rows)))
    # The address is printed unbroken: the sentence is cut around it.
    before, after = _(HOW_TO_CHECK).split("{url}")
    after = after.format(id_number=data.id_number)
    if not print_file:
        after += " " + (_(HOW_TO_CHECK_SIGNED).format(board=data.board_name) if signed else _(HOW_TO_CHECK_UNSIGNED))
    return {
        "words": _words(),  # per statement: a print file may hold statements in several languages
        "board_name": fonts.clean(data.board_name),
        "candidate_name": data.candidate_name,
        "candidate_number": fonts.clean(data.candidate_number),
        "id_number": fonts.clean(data.id_number),
        "date_of_birth": format_date(data.date_of_birth) if data.date_of_birth else _(NOT_GIVEN),
        "qualification": fonts.clean(f"{data.qualification_name} ({data.qualification_code})"),
        "series_name": fonts.clean(data.series_name),
        "centre": fonts.clean(f"{data.centre_number} {data.centre_name}"),
        "cells": [[label, fonts.clean(value)] for label, value in cells],
        "grade_line": _(GRADE).format(grade=fonts.clean(data.grade)) if data.grade else "",
        "certificate": _(CERTIFICATE) if data.awards_certificate else _(NO_CERTIFICATE),
        "chart": chart,
        "components": [[fonts.clean(name), fonts.clean(shown)] for name, shown in data.components],
        "columns": columns,
        "table_size": min(10.5, row * 0.66),
        "table_inset": max(2.5, row * 0.3),
        "overall_score": fonts.clean(data.overall_score),
        "qr": qr_svg(data.verification_url),
        "verification_code": data.verification_code,
        "how_to_check": [before, data.verification_url, after],
        "footer": _(FOOTER).format(date=format_date(data.issue_date), board=fonts.clean(data.board_name)),
    }
