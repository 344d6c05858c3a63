"""The statement of results: one A4 page per result, singly or thousands in one print file.

Build a `StatementData` (examdesk/results/statements/data.py does it from what the release gate shows) and call
`render_statement` for one file, or `render_statements` to stream many pages into one file whose fonts are
embedded once. Both use standard PDF (version 1.3) only, embed subsets of Source Sans Pro (Latin, Greek, Cyrillic) with
ToUnicode maps, so names print and copy back exactly, and set the title and author.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]

from examdesk.documents import fonts
from examdesk.documents.layout import BRAND, MARGIN, MUTED, PANEL, TEXT, Page, format_date, qr_code
from examdesk.documents.pdf import StreamingCanvas
from examdesk.documents.profile import Profile, draw_profile, profile_height

WIDTH, HEIGHT = A4


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
        return _("Statement of results: {candidate}, {qualification}, {series}").format(
            candidate=self.candidate_name, qualification=self.qualification_name, series=self.series_name
        )


def render_statement(data: StatementData) -> bytes:
    """One statement as a one-page PDF file."""
    out = io.BytesIO()
    render_statements([data], out, title=data.title)
    return out.getvalue()


def render_statements(items: Iterable[StatementData], out: BinaryIO, *, title: str | None = None) -> int:
    """Write one PDF with a page per statement to `out`, page by page (memory stays flat); returns the page count.

    `items` may be a generator: it is read once, one statement at a time. Nothing is written when it is empty
    (a PDF needs a page), and ValueError is raised.
    """
    canvas: StreamingCanvas | None = None
    for data in items:
        if canvas is None:
            canvas = StreamingCanvas(
                out,
                title=title or _("Statements of results, {board}").format(board=data.board_name),
                author=data.board_name,
                subject=_("Statement of results"),
            )
        _draw_statement(canvas, data)
        canvas.showPage()
    if canvas is None:
        raise ValueError("There are no statements to print.")
    canvas.save()
    return int(canvas.pages_written)


def _draw_statement(canvas: StreamingCanvas, data: StatementData) -> None:
    page = Page(canvas)
    right = WIDTH - MARGIN
    content = right - MARGIN

    # Heading: who issues it and what it is.
    y = HEIGHT - MARGIN
    page.text(MARGIN, y - 11, data.board_name, 11, bold=True, colour=BRAND, room=content)
    page.text(MARGIN, y - 38, _("Statement of results"), 24, bold=True)
    y -= 48
    page.rule(MARGIN, y, right, BRAND, 2)

    # The candidate.
    y -= 26
    page.text(MARGIN, y, data.candidate_name, 18, bold=True, room=content)
    third = content / 3
    y -= 24
    for index, (label, value) in enumerate(
        [
            (_("Candidate number"), data.candidate_number),
            (_("ID number"), data.id_number),
            (_("Date of birth"), format_date(data.date_of_birth) if data.date_of_birth else _("Not given")),
        ]
    ):
        page.field(MARGIN + index * third, y, label, value, room=third - 12)
    y -= 28
    qualification = f"{data.qualification_name} ({data.qualification_code})"
    page.field(MARGIN, y, _("Qualification"), qualification, room=2 * third - 12)
    page.field(MARGIN + 2 * third, y, _("Series"), data.series_name, room=third)
    y -= 28
    page.field(MARGIN, y, _("Centre"), f"{data.centre_number} {data.centre_name}", room=content)
    y -= 30

    # The result at a glance.
    box_height = 66.0
    page.panel(MARGIN, y - box_height, content, box_height, PANEL)
    cells = [(_("Overall score"), data.overall_score or "–"), (_("Result"), data.result_label or "–")]
    if data.cefr_level:  # a qualification without CEFR levels (or a result below them) prints no empty cell
        cells.append((_("CEFR level"), data.cefr_level))
    for index, (label, value) in enumerate(cells):
        cell_x = MARGIN + 12 + index * third
        page.text(cell_x, y - 17, label, 9, colour=MUTED)
        page.text(cell_x, y - 41, value, 16 if index == 1 else 22, bold=True, room=third - 20, smallest=9)
    if data.grade:
        page.text(MARGIN + 12 + third, y - 56, _("Grade {grade}").format(grade=data.grade), 10, room=third - 20)
    certificate = (
        _("A certificate is awarded for this result.")
        if data.awards_certificate
        else _("No certificate is awarded for this result.")
    )
    page.text(MARGIN + 12 + 2 * third, y - 56, certificate, 9, room=third - 20, smallest=6)
    y -= box_height + 24

    # From the foot up: the footer line, the verification box, then the table of scores above it.
    footer_y = MARGIN
    box_height = 100.0
    box_y = footer_y + 16
    table_bottom = box_y + box_height + 18
    chart_top = y - 10  # below the "Graphical profile" heading
    room_for_both = chart_top - (table_bottom + 36)  # the chart, the "Scores" heading and the table rows
    # Up to 8 components in one column; more in two, side by side, with the overall score below them.
    columns = 1 if len(data.components) <= 8 else 2
    per_column = -(-len(data.components) // columns)
    table_rows = per_column + 1
    # The chart wants its natural height (text at 9 points); the table's rows close up first, then the chart
    # shrinks (all of it, text too) into what is left.
    wanted = profile_height(data.profile, width=content, font_size=9.0)
    row = 16.0
    while row > 12 and wanted + row * table_rows > room_for_both:
        row -= 0.5
    chart_height = max(60.0, min(wanted, room_for_both - row * table_rows))

    page.text(MARGIN, y, _("Graphical profile"), 12, bold=True)
    used = draw_profile(canvas, data.profile, x=MARGIN, y=chart_top - chart_height, width=content, height=chart_height)

    # The scores as a table.
    table_top = chart_top - used - 36
    page.text(MARGIN, table_top + 12, _("Scores"), 12, bold=True)
    column_width = content * 0.62 if columns == 1 else (content - 24) / 2
    size = min(10.5, row * 0.66)

    def table_row(x: float, top: float, name: str, shown: str, *, bold: bool = False) -> None:
        page.text(x, top - row + 4.5, name, size, bold=bold, room=column_width - 60)
        page.text(x + column_width, top - row + 4.5, shown, size, bold=bold, anchor="end")
        page.rule(x, top - row, x + column_width, MUTED, 0.5)

    for column in range(columns):
        x = MARGIN + column * (column_width + 24)
        page.rule(x, table_top, x + column_width, MUTED, 0.75)
        for index, (name, shown) in enumerate(data.components[column * per_column : (column + 1) * per_column]):
            table_row(x, table_top - index * row, name, shown)
    overall_top = table_top - per_column * row
    page.rule(MARGIN, overall_top, MARGIN + column_width, TEXT, 1)
    table_row(MARGIN, overall_top, _("Overall score"), data.overall_score, bold=True)

    # Verification.
    page.panel(MARGIN, box_y, content, box_height, None, border=MUTED)
    qr_size = box_height - 12
    qr_code(canvas, data.verification_url, x=MARGIN + 6, y=box_y + 6, size=qr_size)
    text_x = MARGIN + 6 + qr_size + 12
    room = right - 12 - text_x
    page.text(text_x, box_y + box_height - 20, _("Verification code"), 9, colour=MUTED)
    page.text(text_x, box_y + box_height - 41, data.verification_code, 20, bold=True, room=room)
    how = _(
        "Anyone can check this statement: scan the QR code, or go to {url} and enter "
        "the ID number {id_number} and the verification code."
    ).format(url=data.verification_url, id_number=data.id_number)
    line_y = box_y + box_height - 58
    for line in fonts.lines(how, fonts.REGULAR, 9.5, room)[:3]:
        page.text(text_x, line_y, line, 9.5)
        line_y -= 12

    page.text(
        MARGIN,
        footer_y,
        _("Issued on {date} by {board}. This statement is not a certificate.").format(
            date=format_date(data.issue_date), board=data.board_name
        ),
        8.5,
        colour=MUTED,
        room=content,
    )
