"""The problem report of an imported file (candidates, results): a Summary sheet of counts and a Problems sheet
with every row that has problems, as it was read, and what is wrong with it."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import xlsxwriter  # type: ignore[import-untyped]

from examdesk.core.spreadsheet import XlsxText
from examdesk.transfer.candidate_rows import cell_text
from examdesk.transfer.reading import Cell

PROBLEM = {"bg_color": "#F4CDC6"}


def problem_report_xlsx(
    *,
    summary: Sequence[tuple[str, int]],
    headers: Sequence[str],
    rows: Iterable[tuple[int, Sequence[Cell]]],
    problems: Iterable[tuple[int, str]],
) -> bytes:
    """`problems` are (row number, what is wrong); a row with several has them joined with ' | '."""
    by_row: dict[int, list[str]] = {}
    for number, wrong in problems:
        by_row.setdefault(number, []).append(wrong)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    text = XlsxText(workbook)
    counts = workbook.add_worksheet("Summary")
    for index, (label, value) in enumerate(summary):
        counts.write_string(index, 0, label)
        counts.write_number(index, 1, value)
    counts.set_column(0, 0, 34)
    sheet = workbook.add_worksheet("Problems")
    for column, header in enumerate(["Row", "Problems", *headers]):
        text.write(sheet, 0, column, header, {"bold": True})
    line = 0
    for number, cells in rows:
        found = by_row.get(number)
        if not found:
            continue
        line += 1
        sheet.write_number(line, 0, number)
        text.write(sheet, line, 1, " | ".join(found), PROBLEM)
        for column, cell in enumerate(cells, start=2):
            text.write(sheet, line, column, cell_text(cell))
    sheet.freeze_panes(1, 0)
    sheet.set_column(1, 1, 70)
    workbook.close()
    return buffer.getvalue()
