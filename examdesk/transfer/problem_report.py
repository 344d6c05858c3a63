"""The problem report of an imported file (candidates, results): a Summary sheet of counts and a Problems sheet
with every row that has problems or warnings, as it was read, what is wrong with it, and which it is: a
problem (the row was left out) or a warning (the row was imported, without the value)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import xlsxwriter  # type: ignore[import-untyped]

from examdesk.core.spreadsheet import XlsxText
from examdesk.transfer.candidate_rows import cell_text
from examdesk.transfer.reading import Cell

PROBLEM = {"bg_color": "#F4CDC6"}
WARNING = {"bg_color": "#FFF2CC"}


def problem_report_xlsx(
    *,
    summary: Sequence[tuple[str, int]],
    headers: Sequence[str],
    rows: Iterable[tuple[int, Sequence[Cell]]],
    problems: Iterable[tuple[int, str]],
    warnings: Iterable[tuple[int, str]] | None = None,
) -> bytes:
    """`problems` and `warnings` are (row number, what is wrong); a row with several has them joined with ' | '.

    With `warnings` given (even none), a Kind column says for each row whether it was left out or imported.
    """
    with_kind = warnings is not None
    by_row: dict[int, list[str]] = {}
    for number, wrong in problems:
        by_row.setdefault(number, []).append(wrong)
    rejected = set(by_row)
    for number, note in warnings or ():
        by_row.setdefault(number, []).append(note)
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
    for column, header in enumerate(["Row", *(["Kind"] if with_kind else []), "Problems", *headers]):
        text.write(sheet, 0, column, header, {"bold": True})
    line = 0
    for number, cells in rows:
        found = by_row.get(number)
        if not found:
            continue
        line += 1
        sheet.write_number(line, 0, number)
        is_problem = number in rejected
        if with_kind:
            text.write(sheet, line, 1, "Problem (not imported)" if is_problem else "Warning (imported)")
        text.write(sheet, line, 1 + with_kind, " | ".join(found), PROBLEM if is_problem else WARNING)
        for column, cell in enumerate(cells, start=2 + with_kind):
            text.write(sheet, line, column, cell_text(cell))
    sheet.freeze_panes(1, 0)
    if with_kind:
        sheet.set_column(1, 1, 22)
    sheet.set_column(1 + with_kind, 1 + with_kind, 70)
    workbook.close()
    return buffer.getvalue()
