"""A board with the demo qualifications, a series, two exam centres and a linked preparation centre; results
files written as CSV or XLSX from rows given as dicts."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import xlsxwriter

from examdesk.catalogue.models import Qualification, Series
from examdesk.catalogue.tests import factories as catalogue
from examdesk.centres.models import Board, Centre
from examdesk.core.tests.factories import BoardFactory, CentreFactory
from examdesk.results.files import services as results_import

HEADERS = [
    "Centre number",
    "Series",
    "Qualification",
    "Candidate number",
    "Candidate ID",
    "First name",
    "Last name",
    "Date of birth",
    "RD",
    "UE",
    "WR",
    "LI",
    "SP",
    "RW",
    "Overall",
    "Grade",
    "Status",
    "Preparation centre",
]
# The mean of these is 190: "Pass at Grade C", CEFR B2.
FCE = {"RD": 185, "UE": 190, "WR": 178, "LI": 201, "SP": 196}


@dataclass
class Setting:
    board: Board
    series: Series
    qualifications: dict[str, Qualification]
    centre: Centre
    other: Centre
    preparation: Centre


def setting(number: str = "10001") -> Setting:
    board = BoardFactory(name="Results Board")
    qualifications = catalogue.demo_qualifications(board)
    series = catalogue.series(board)
    centre = CentreFactory(board=board, number=number, name="Orchard High")
    other = CentreFactory(board=board, number=str(int(number) + 1), name="Valley School")
    preparation = CentreFactory(board=board, number=f"P{number}", name="Prep Academy", kind=Centre.Kind.PREPARATION)
    preparation.exam_centres.add(centre)
    return Setting(board, series, qualifications, centre, other, preparation)


def fce_row(number: str = "0001", unique_id: str = "S-1", **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "Centre number": "10001",
        "Series": "2026-06",
        "Qualification": "FCE",
        "Candidate number": number,
        "Candidate ID": unique_id,
        "First name": "Ana",
        "Last name": f"Pereira {unique_id}",
        "Date of birth": "2010-04-03",
        **FCE,
    }
    row.update(values)
    return row


def csv_bytes(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    headers = headers or HEADERS
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(header) is None else row.get(header) for header in headers])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    """Numbers stay numbers (as a spreadsheet program keeps them), text stays text."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False})
    sheet = workbook.add_worksheet("Results")
    headers = headers or HEADERS
    sheet.write_row(0, 0, headers)
    for line, row in enumerate(rows, start=1):
        for column, header in enumerate(headers):
            value = row.get(header)
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                sheet.write_number(line, column, value)
            else:
                sheet.write_string(line, column, str(value))
    workbook.close()
    return buffer.getvalue()


def check(s: Setting, rows: list[dict[str, Any]], **kwargs: Any) -> results_import.Plan:
    return results_import.check(board=s.board, data=csv_bytes(rows), **kwargs)


def commit(s: Setting, rows: list[dict[str, Any]], *, data: bytes | None = None, actor: Any = None):
    _, outcome = results_import.results_file_import(
        actor=actor, board=s.board, data=data if data is not None else csv_bytes(rows), file_name="results.csv"
    )
    return outcome


def reasons(found: results_import.Plan) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for problem in found.evaluation.problems:
        out.setdefault(problem.row, []).append(problem.reason)
    return out
