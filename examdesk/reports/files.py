"""A report as CSV, XLSX or a printable PDF, each written from the one Report object the page shows, so the
figures are the page's. Text a spreadsheet would run as a formula is neutralised (core/spreadsheet.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]

from examdesk.core.spreadsheet import XlsxText, neutralise
from examdesk.documents import fonts
from examdesk.documents.pdf import Meta, typeset
from examdesk.reports import selectors
from examdesk.reports.charts import chart_figure, report_charts

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
Progress = Callable[[int], None]


def _noop(done: int) -> None:
    return None


def write_csv(report: selectors.Report, out: IO[bytes], progress: Progress = _noop) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(selectors.header(report))
    out.write(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    for index, row in enumerate(report.rows, start=1):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow([neutralise(v) for v in selectors.text_cells(report, row)])
        out.write(buffer.getvalue().encode("utf-8"))
        if index % 1000 == 0:
            progress(index)


def write_xlsx(report: selectors.Report, out: IO[bytes], progress: Progress = _noop) -> None:
    book = xlsxwriter.Workbook(
        out,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    text = XlsxText(book)
    bold = book.add_format({"bold": True, "bg_color": "#D2E2F1", "border": 1})
    one = book.add_format({"num_format": "0.0"})
    as_date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Candidates")
    for column, title in enumerate(selectors.header(report)):
        sheet.write_string(0, column, title, bold)
    sheet.freeze_panes(1, 0)
    percent_columns = {10, *range(11, 11 + len(report.sections))}
    for index, row in enumerate(report.rows, start=1):
        for column, cell in enumerate(selectors.cells(report, row)):
            if isinstance(cell, Decimal):
                sheet.write_number(index, column, float(cell), one if column in percent_columns else None)
            elif isinstance(cell, date):
                sheet.write_datetime(index, column, cell, as_date)
            elif cell:
                text.write(sheet, index, column, cell)
        if index % 1000 == 0:
            progress(index)
    summary = book.add_worksheet("Summary")
    line = 0
    for label, value in summary_lines(report):
        text.write(summary, line, 0, label)
        if isinstance(value, Decimal):
            summary.write_number(line, 1, float(value))
        elif value:
            text.write(summary, line, 1, value)
        line += 1
    book.close()


def summary_lines(report: selectors.Report) -> list[tuple[str, Decimal | str]]:
    """The summary as label and value pairs (the XLSX summary sheet and the PDF print these)."""
    lines: list[tuple[str, Decimal | str]] = [
        (report.title, ""),
        (report.described, ""),
        ("Candidates", Decimal(report.candidates)),
        ("Scored (completed) attempts", Decimal(report.scored)),
        ("Mean score %", selectors.shown(report.mean)),
    ]
    lines += [(f"Attempts {state.lower()}", Decimal(n)) for state, n in sorted(report.states.items())]
    if report.scored and not report.is_single_candidate:
        lines += [(f"Band {p.label}", p.value) for p in report.distribution]
    lines += [(f"Section mean: {p.label}", p.shown) for p in report.section_means]
    lines += [(f"Progress: {p.label}", p.shown) for p in report.progress]
    lines += [(note, "") for note in report.notes]
    return lines


# --- PDF --------------------------------------------------------------------------------------------------------

PDF_COLUMNS = [("Candidate", 150.0), ("Unique ID", 70.0), ("Sitting", 120.0), ("Date", 55.0), ("Status", 55.0)]
PDF_WIDTH = 495.0  # A4 less the margins, in points
TABLE_HEADING = "Candidates"
DEACTIVATED = " (deactivated)"
NO_MEAN = "none"


def _pdf_data(report: selectors.Report) -> dict[str, Any]:
    """What documents/typst/report.typ prints, every text in its final words."""
    figures = [
        f"Candidates: {report.candidates}",
        f"Scored: {report.scored}",
        f"Mean score: {selectors.shown(report.mean) + '%' if report.mean is not None else NO_MEAN}",
    ]
    figures += [f"{state}: {n}" for state, n in sorted(report.states.items()) if state != "Completed"]
    columns = [*PDF_COLUMNS, ("Score %", PDF_WIDTH - sum(w for _, w in PDF_COLUMNS))]
    rows = []
    for row in report.rows:
        name = row.name + (DEACTIVATED if not row.active else "")
        cells = [
            name,
            row.unique_id,
            row.sitting,
            row.sitting_date.isoformat(),
            row.state,
            selectors.shown(row.percentage),
        ]
        extra = "; ".join(f"{c.label}: {row.measures[c.key]}" for c in report.measures if row.measures.get(c.key))
        rows.append({"cells": [fonts.clean(str(cell)) for cell in cells], "extra": fonts.clean(extra)})
    return {
        "centre": fonts.clean(f"{report.centre.name} ({report.centre.number})"),
        "title": fonts.clean(report.title),
        "described": fonts.clean(report.described),
        "figures": " · ".join(figures),
        "notes": [fonts.clean(note) for note in report.notes],
        "charts": [chart_figure(chart, width=PDF_WIDTH) for chart in report_charts(report)],
        "table_heading": TABLE_HEADING,
        "columns": [title for title, _ in columns],
        "widths": [width for _, width in columns],
        "rows": rows,
    }


def write_pdf(report: selectors.Report, out: IO[bytes], progress: Progress = _noop) -> None:
    """The report as a tagged PDF (Typst): its summary, its charts with their text alternatives, and the table."""
    meta = Meta(title=report.title, author=report.centre.name, subject=report.described)
    out.write(typeset("report", meta, [_pdf_data(report)], words={}))
    progress(len(report.rows))


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}


def file_name(report: selectors.Report, fmt: str) -> str:
    return f"report-{report.centre.number}-{report.criteria.scope}.{fmt}"


def render(report: selectors.Report, fmt: str) -> bytes:
    out = io.BytesIO()
    WRITERS[fmt](report, out)
    return out.getvalue()
