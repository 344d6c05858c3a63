"""Candidate files going out: the export of a centre's register and the empty templates.

Both use the current template's columns, so export → edit → import updates candidates in bulk.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]

from examdesk.centres.models import Centre
from examdesk.core.spreadsheet import XlsxText, neutralise
from examdesk.core.text import fold as text_fold
from examdesk.people import nationality
from examdesk.people.models import Candidate, VocabularyTerm
from examdesk.people.services import CandidateData, vocabulary_terms
from examdesk.transfer.columns import Column, header_of, template_columns

DATA_SHEET = "Candidates"
Value = str | date | None


@dataclass(frozen=True)
class ChoiceList:
    """One list of the Lists sheet: the values the drop-down offers, each with what it means."""

    title: str
    meaning_title: str
    entries: list[tuple[str, str]]  # (value offered, meaning)


def choice_lists(centre: Centre) -> dict[str, ChoiceList]:
    """The drop-down lists of the XLSX files, by Column.choices. Nationality offers the English names, as the
    export writes them (the import reads names, nationalities and codes alike)."""
    english = nationality.lookup().english
    return {
        "gender": ChoiceList("Gender code", "Meaning", list(Candidate.Gender.choices)),
        "nationality": ChoiceList(
            "Nationality", "ISO code", sorted(((name, code) for code, name in english.items()), key=_by_name)
        ),
        "ethnicity": ChoiceList(
            "Ethnicity code",
            "Meaning",
            list(vocabulary_terms(centre=centre, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY).items()),
        ),
        "sen": ChoiceList(
            "SEN status code",
            "Meaning",
            list(vocabulary_terms(centre=centre, vocabulary=VocabularyTerm.Vocabulary.SEN).items()),
        ),
        "active": ChoiceList("Active", "Meaning", [("Yes", "Active"), ("No", "Deactivated")]),
    }


def _by_name(entry: tuple[str, str]) -> str:
    return text_fold(entry[0])


def export_rows(
    *, centre: Centre, include_deactivated: bool, on_progress: Callable[[int, int], None] | None = None
) -> Iterator[list[Value]]:
    """One row per candidate in the current template's column order, by last name."""
    candidates = Candidate.objects.filter(centre=centre)
    if not include_deactivated:
        candidates = candidates.filter(is_active=True)
    total = candidates.count()
    groups: dict[int, list[str]] = {}
    through = Candidate.groups.through
    for candidate_id, name in (
        through.objects.filter(candidate__in=candidates)
        .order_by("group__name")
        .values_list("candidate_id", "group__name")
    ):
        groups.setdefault(candidate_id, []).append(name)
    # The template's order: unique ID, then the plain fields, then groups and active. A nationality is written
    # as its English name; a field left empty by an import is written as the file said it, so that an
    # export → edit → import loses nothing. Active too: an import reads it back as the same warning and keeps the
    # candidate's state, where writing the state would clear the note.
    fields = ("pk", "unique_id", *CandidateData.PLAIN_FIELDS, "is_active", "values_as_written")
    rows = candidates.order_by("last_name", "first_name", "id").values_list(*fields)
    width = 1 + len(CandidateData.PLAIN_FIELDS)
    position = {name: 1 + index for index, name in enumerate(CandidateData.PLAIN_FIELDS)}
    nationality_at = position["nationality"]
    english = nationality.lookup().english
    for done, (pk, *stored) in enumerate(rows.iterator(chunk_size=2000), start=1):
        values, active, kept = stored[:width], stored[width], stored[width + 1]
        if values[nationality_at]:
            values[nationality_at] = english.get(values[nationality_at], values[nationality_at])
        for name, written in (kept or {}).items():
            index = position.get(name)
            if index is not None and written and not values[index]:
                values[index] = written
        said = (kept or {}).get("is_active") or ("Yes" if active else "No")
        yield [*values, ", ".join(groups.get(pk, [])), said]
        if on_progress and (done % 2000 == 0 or done == total):
            on_progress(done, total)


def write_csv(rows: Iterator[list[Value]], out: IO[bytes], *, columns: list[Column], legacy: bool = False) -> None:
    """UTF-8 with a BOM (so Excel opens it right), ISO dates, formula-like text neutralised."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([header_of(column, legacy=legacy) for column in columns])
    for row in rows:
        writer.writerow([neutralise(value.isoformat() if isinstance(value, date) else (value or "")) for value in row])
    text.flush()
    text.detach()


def write_xlsx(
    rows: Iterator[list[Value]], out: IO[bytes], *, centre: Centre, columns: list[Column], legacy: bool = False
) -> None:
    """A data sheet (ID column as text, dates as dates, drop-down lists), a Guidance sheet and a Lists sheet."""
    workbook = xlsxwriter.Workbook(
        out,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    data = workbook.add_worksheet(DATA_SHEET)
    guidance = workbook.add_worksheet("Guidance")
    lists_sheet = workbook.add_worksheet("Lists")
    text = XlsxText(workbook)
    bold = workbook.add_format({"bold": True, "bg_color": "#D2E2F1", "border": 1})
    as_text = workbook.add_format({"num_format": "@"})
    as_date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    lists = choice_lists(centre)

    for index, column in enumerate(columns):
        data.write_string(0, index, header_of(column, legacy=legacy), bold)
        width = 14 if column.field != "groups" else 24
        data.set_column(index, index, width, as_date if column.field == "date_of_birth" else as_text)
    data.freeze_panes(1, 0)

    row_count = 0
    for row_number, row in enumerate(rows, start=1):
        row_count = row_number
        by_field = dict(zip([c.field for c in template_columns(legacy=False)], row, strict=True))
        for index, column in enumerate(columns):
            value = by_field[column.field]
            if isinstance(value, date):
                data.write_datetime(row_number, index, value, as_date)
            elif value:
                text.write(data, row_number, index, str(value), {"num_format": "@"})

    last_row = max(row_count, 2000)  # room to type new candidates under the exported ones
    _write_lists(lists_sheet, lists, bold)
    for index, column in enumerate(columns):
        if column.choices and lists[column.choices].entries:  # a list the board left empty offers no drop-down
            letter = xlsxwriter.utility.xl_col_to_name(list(lists).index(column.choices) * 2)
            size = len(lists[column.choices].entries)
            data.data_validation(
                1,
                index,
                last_row,
                index,
                {
                    "validate": "list",
                    "source": f"=Lists!${letter}$2:${letter}${size + 1}",
                    "error_type": "warning",
                    "error_title": column.header,
                    "error_message": f"Choose a value from the list ({column.allowed}).",
                },
            )
        if column.field == "date_of_birth":
            data.data_validation(
                1,
                index,
                last_row,
                index,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": date(1900, 1, 1),
                    "maximum": date(2100, 1, 1),
                    "error_type": "warning",
                    "error_message": "Type a date, e.g. 2012-04-03.",
                },
            )
    _write_guidance(guidance, columns, legacy, bold, workbook)
    workbook.close()


def _write_lists(sheet: Any, lists: dict[str, ChoiceList], bold: Any) -> None:
    """Row by row, each list in two columns: the workbook is written in constant_memory mode, where a row is
    flushed as soon as a later one is started, so writing a list after another (column by column) would drop
    every cell above the current row."""
    ordered = list(lists.values())
    for number, choice in enumerate(ordered):
        sheet.write_string(0, number * 2, choice.title, bold)
        sheet.write_string(0, number * 2 + 1, choice.meaning_title, bold)
        sheet.set_column(number * 2, number * 2, 16)
        sheet.set_column(number * 2 + 1, number * 2 + 1, 28)
    for row in range(1, 1 + max(len(choice.entries) for choice in ordered)):
        for number, choice in enumerate(ordered):
            if row <= len(choice.entries):
                value, meaning = choice.entries[row - 1]
                sheet.write_string(row, number * 2, value)
                sheet.write_string(row, number * 2 + 1, meaning)


def _write_guidance(sheet: Any, columns: list[Column], legacy: bool, bold: Any, workbook: Any) -> None:
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet.write_row(0, 0, ["Column", "Required", "Format", "Allowed values"], bold)
    for row, column in enumerate(columns, start=1):
        sheet.write_row(
            row,
            0,
            [header_of(column, legacy=legacy), "Yes" if column.required else "No", column.format, column.allowed],
            wrap,
        )
    note = len(columns) + 2
    sheet.write_string(
        note,
        0,
        "Headers may be in any order and any case. Empty rows are skipped. "
        "Rows are matched to your candidates by unique ID: a new ID adds a candidate. "
        "A row is left out only for what it cannot be imported without: a missing or repeated unique ID, a "
        "missing name, or a value that cannot be read (a date, gender, UPN, e-mail address or Active). "
        "A nationality, ethnicity or SEN status that matches nothing is imported empty and kept as written.",
    )
    sheet.set_column(0, 0, 18)
    sheet.set_column(2, 3, 60, wrap)


def candidate_template(*, centre: Centre, fmt: str, legacy: bool) -> bytes:
    columns = template_columns(legacy=legacy)
    out = io.BytesIO()
    if fmt == "csv":
        write_csv(iter(()), out, columns=columns, legacy=legacy)
    else:
        write_xlsx(iter(()), out, centre=centre, columns=columns, legacy=legacy)
    return out.getvalue()


def candidate_export(
    *,
    centre: Centre,
    fmt: str,
    include_deactivated: bool,
    out: IO[bytes],
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    columns = template_columns(legacy=False)
    rows = export_rows(centre=centre, include_deactivated=include_deactivated, on_progress=on_progress)
    if fmt == "csv":
        write_csv(rows, out, columns=columns)
    else:
        write_xlsx(rows, out, centre=centre, columns=columns)
