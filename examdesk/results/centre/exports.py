"""A results search as CSV or XLSX: a job that selects with `search()` and shows each row through the gate.

The file has the page's figures: the overall score as the page prints it (the qualification's decimals), the
grade, the result and the CEFR level, all only when the release gate shows them at the moment the row is
written. Text that a spreadsheet would run as a formula is neutralised (CSV: a leading apostrophe; XLSX: a
quote-prefixed text cell).

The entries are chosen once, when the job starts (the search at that moment, up to the highest entry id then),
and written in the page's order, a chunk at a time. A CSV job resumes after a worker restart from its last
written chunk; an XLSX workbook is one stream (constant memory) and is written again from the start.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.models import Component
from examdesk.centres.models import Centre
from examdesk.core.spreadsheet import XlsxText, neutralise
from examdesk.core.time import format_in_zone
from examdesk.core.time import now as current_time
from examdesk.jobs.registry import job_handler
from examdesk.jobs.runner import JobContext, JobResult
from examdesk.results import gate
from examdesk.results.centre.search import Criteria, Viewer, describe, search
from examdesk.results.centre.selectors import score_text
from examdesk.results.models import Entry
from examdesk.results.statements.data import number

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FIXED_COLUMNS = [
    "Centre number",
    "Series",
    "Qualification",
    "Candidate number",
    "Unique ID",
    "First name",
    "Last name",
    "Date of birth",
    "Preparation centre",
    "Status",
]
RESULT_COLUMNS = ["Overall", "Grade", "Result", "CEFR level"]
STATUS_TEXT = {
    gate.State.RELEASED: "Released",
    gate.State.NOT_YET: "Not released yet",
    gate.State.NOT_ONLINE: "Not available online",
    gate.State.NO_RESULT: "No result yet",
    gate.State.PENDING: "Pending",
    gate.State.WITHHELD: "Withheld",
}
Cell = str | Decimal | date | None


def results_export_request(
    *,
    actor: Any,
    viewer: Viewer,
    criteria: Criteria,
    fmt: str = "csv",
    names: dict[str, str] | None = None,
    request: HttpRequest | None = None,
) -> Any:
    """Start the export of `search(viewer, criteria)` as a job owned by `actor` (only they can download it)."""
    from examdesk.jobs.services import job_create

    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    centre = viewer.centre
    described = describe(criteria, names=names)
    params = {"criteria": criteria.as_params(), "format": fmt, "preview": viewer.preview}
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.EXPORT_REQUESTED,
            request=request,
            actor=actor,
            centre=centre,
            summary=f"Results export ({fmt.upper()}): {described}" + (" (board preview)" if viewer.preview else ""),
            data=params,
        )
        return job_create(
            owner=actor,
            centre=centre,
            kind="results.export",
            title=f"Results of centre {centre.number} ({fmt.upper()}): {described}",
            params=params,
        )


def _status(shown: gate.Shown, zone: str) -> str:
    if shown.state is gate.State.NOT_YET and shown.released_at is not None:
        return f"Available {format_in_zone(shown.released_at, zone)}"
    return STATUS_TEXT[shown.state] + (" (board preview)" if shown.preview and shown.result else "")


def _component(value: dict[str, Any] | None) -> Cell:
    if value is None:
        return ""
    if value.get("state") == "scored" and value.get("score") not in (None, ""):
        return Decimal(str(value["score"]))
    return str(value.get("state", ""))


def export_cells(shown: gate.Shown, *, codes: list[str], zone: str) -> list[Cell]:
    """One row, typed: scores as Decimal (XLSX writes numbers), dates as dates, the rest as text."""
    entry = shown.entry
    prep = entry.preparation_centre
    row: list[Cell] = [
        entry.centre.number,
        entry.series.name,
        entry.qualification.code,
        entry.candidate_number,
        entry.candidate.unique_id,
        entry.candidate.first_name,
        entry.candidate.last_name,
        entry.candidate.date_of_birth,
        f"{prep.number} {prep.name}" if prep else "",
        _status(shown, zone),
    ]
    result = shown.result  # None unless the gate released it: then no score leaves in this row
    scores = result.component_scores if result else {}
    row.extend(_component(scores.get(code)) for code in codes)
    if result is None:
        row.extend([""] * len(RESULT_COLUMNS))
    else:
        overall = score_text(shown)
        row.extend([Decimal(overall) if overall else "", result.grade, result.label, result.cefr_level])
    return row


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_row(shown: gate.Shown, *, codes: list[str], zone: str) -> list[str]:
    """One row as text, as the CSV file has it (before neutralising): the overall score as the page prints it."""
    cells = export_cells(shown, codes=codes, zone=zone)
    text = [_text(cell) for cell in cells]
    if shown.result is not None:
        text[-len(RESULT_COLUMNS)] = score_text(shown)
    return text


def component_codes(entries: QuerySet[Entry]) -> list[str]:
    qualification_ids = entries.prefetch_related(None).order_by().values("qualification_id").distinct()
    codes = (
        Component.objects.filter(qualification_id__in=qualification_ids)
        .order_by("qualification__code", "position")
        .values_list("code", flat=True)
    )
    return list(dict.fromkeys(codes))


def header_row(codes: list[str]) -> list[str]:
    return FIXED_COLUMNS + codes + RESULT_COLUMNS


def _chunks(entries: QuerySet[Entry], *, start: int, size: int) -> Iterator[tuple[int, list[Entry]]]:
    """(offset after the chunk, chunk) in the search's order. The order ends with the id, so it is total."""
    offset = start
    while True:
        batch = list(entries[offset : offset + size])
        if not batch:
            return
        offset += len(batch)
        yield offset, batch


def _csv_lines(shown_rows: list[gate.Shown], codes: list[str], zone: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for shown in shown_rows:
        writer.writerow([neutralise(value) for value in export_row(shown, codes=codes, zone=zone)])
    return buffer.getvalue().encode("utf-8")


def _csv_header(codes: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(header_row(codes))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


class _XlsxWriter:
    """A workbook in constant-memory mode: rows go to disk as they are written, in order."""

    def __init__(self, out: IO[bytes], codes: list[str]) -> None:
        self.book = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.sheet = self.book.add_worksheet("Results")
        self.text = XlsxText(self.book)
        self.codes = codes
        self.as_date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.score_formats: dict[int, Any] = {}
        bold = self.book.add_format({"bold": True, "bg_color": "#D2E2F1", "border": 1})
        for column, title in enumerate(header_row(codes)):
            self.sheet.write_string(0, column, title, bold)
        self.sheet.freeze_panes(1, 0)
        self.row = 1

    def _score_format(self, decimals: int) -> Any:
        if decimals not in self.score_formats:
            pattern = "0" if decimals == 0 else "0." + "0" * decimals
            self.score_formats[decimals] = self.book.add_format({"num_format": pattern})
        return self.score_formats[decimals]

    def write(self, shown: gate.Shown, zone: str) -> None:
        cells = export_cells(shown, codes=self.codes, zone=zone)
        overall_column = len(cells) - len(RESULT_COLUMNS)
        for column, value in enumerate(cells):
            if isinstance(value, Decimal):
                if column == overall_column:
                    decimals = shown.entry.qualification.decimals
                    self.sheet.write_number(self.row, column, float(value), self._score_format(decimals))
                else:
                    self.sheet.write_number(self.row, column, float(value))
            elif isinstance(value, date):
                self.sheet.write_datetime(self.row, column, value, self.as_date)
            elif value:
                self.text.write(self.sheet, self.row, column, value)
        self.row += 1

    def close(self) -> None:
        self.book.close()


def _export_entries(viewer: Viewer, criteria: Criteria, *, at: datetime, max_id: int) -> QuerySet[Entry]:
    return search(viewer, criteria, now=at).filter(id__lte=max_id)


def results_csv_write(*, centre: Centre, params: dict[str, Any], out: IO[str]) -> int:
    """The whole export in one go, for the command line (an exam centre's view, no preview): the same rows,
    order and gate as the job. `params` are Criteria params (series_id, qualification_id, …)."""
    viewer = Viewer(centre)
    entries = search(viewer, Criteria.from_params(params))
    codes = component_codes(entries)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header_row(codes))
    written = 0
    for _, batch in _chunks(entries, start=0, size=settings.EXAMDESK_JOB_CHUNK_ROWS):
        for shown in gate.show_all(batch):
            writer.writerow([neutralise(v) for v in export_row(shown, codes=codes, zone=centre.time_zone)])
        written += len(batch)
    return written


@job_handler("results.export")
def results_export_job(ctx: JobContext) -> JobResult:
    assert ctx.job.centre_id is not None, "a results export belongs to a centre"
    centre = Centre.objects.get(pk=ctx.job.centre_id)
    params = ctx.params
    viewer = Viewer(centre, preview=bool(params.get("preview")))
    criteria = Criteria.from_params(params.get("criteria", params))
    fmt = params.get("format", "csv")
    cp = ctx.checkpoint
    if "max_id" not in cp:
        started = current_time()
        found = search(viewer, criteria, now=started)
        last = found.order_by("-id").values_list("id", flat=True).first() or 0
        chosen = _export_entries(viewer, criteria, at=started, max_id=last)
        cp.update(
            started=started.isoformat(),
            max_id=last,
            total=chosen.count(),
            codes=component_codes(chosen),
            parts=0,
            done=0,
        )
        ctx.progress(done=0, total=cp["total"], message="Counting entries")
    entries = _export_entries(viewer, criteria, at=datetime.fromisoformat(cp["started"]), max_id=cp["max_id"])
    chunk = settings.EXAMDESK_JOB_CHUNK_ROWS
    zone = centre.time_zone
    total = cp["total"]
    if fmt == "xlsx":
        with tempfile.TemporaryFile() as out:
            book = _XlsxWriter(out, cp["codes"])
            for offset, batch in _chunks(entries, start=0, size=chunk):
                for shown in gate.show_all(batch, preview=viewer.preview):
                    book.write(shown, zone)
                ctx.progress(done=offset, total=total, message=f"{offset} of {total} entries written")
            book.close()
            out.seek(0)
            ctx.save_result(out)
    else:
        for offset, batch in _chunks(entries, start=cp["done"], size=chunk):
            lines = _csv_lines(gate.show_all(batch, preview=viewer.preview), cp["codes"], zone)
            ctx.write_part(cp["parts"], lines)
            cp.update(parts=cp["parts"] + 1, done=offset)
            ctx.progress(done=offset, total=total, message=f"{offset} of {total} entries written")
        ctx.assemble_parts(cp["parts"], header=_csv_header(cp["codes"]))
    return JobResult(
        name=f"results-{centre.number}.{fmt}",
        content_type=FORMATS[fmt],
        message=f"{total} entr{'y' if total == 1 else 'ies'} exported",
    )
