"""Statements of results in bulk: any number of selected results as one print file and a zip of single files.

The job (kind "results.statements") works in three steps, each safe to run again after a crash:

1. **Plan** (once): the selection is read with `search(...)` (tenancy and criteria; never a board preview), every
   selected entry is put through the release gate, and the entries that get a statement are fixed, in
   candidate-number order, with their file names, in plan files of `CHUNK` entries. The others are left out, each
   with the reason (not released yet, with the date; pending; withheld; not online; no result), in left-out.csv.
2. **Parts**: each chunk of the plan is one part of the job (jobs.runner.JobContext.run_parts): every free worker
   process takes chunks. A chunk typesets its statements as one PDF with a page each (fonts embedded once: the
   print file's part), and each statement as a single file of its own, tagged and signed by the board's key
   (documents/signing.py) when one is configured; it stores both. A chunk is recorded done once; a resumed job
   renders only the chunks not done.
3. **Assembly**: the chunks' PDFs are joined into the print file (`join_pdfs` of documents/pdf_join.py, pages
   copied, not typeset again) and the chunks' single files copied into one zip (stored, not deflated: PDFs are
   compressed already), with left-out.csv. The parts are deleted; the job offers both files, to the centre's staff
   only, until they expire.

Memory is bounded by the chunk, not the selection: a chunk's PDFs are held in memory (about 30 MB for 500), the
files are joined as streams and the zip is written through a temporary file.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability
from examdesk.core.file_names import unique_file_name
from examdesk.core.spreadsheet import neutralise
from examdesk.core.time import format_in_zone, now
from examdesk.documents.pdf import Meta
from examdesk.documents.pdf_join import join_pdfs
from examdesk.documents.statements import StatementData, render_statement, render_statements
from examdesk.jobs.models import Job
from examdesk.jobs.registry import job_handler, job_part_handler
from examdesk.jobs.runner import JobContext, JobResult, PartContext
from examdesk.results import gate
from examdesk.results.centre.search import Criteria, Viewer, search, visible_to
from examdesk.results.languages import candidate_language, chosen_languages
from examdesk.results.models import Entry
from examdesk.results.statements.data import statement_data, statement_entries, statement_issue_date, verification_url
from examdesk.results.statements.names import statement_zip_name

KIND = "results.statements"
LEFT_OUT_NAME = "left-out.csv"
LEFT_OUT_COLUMNS = ["Candidate number", "Last name", "First name", "Qualification", "Series", "Reason"]
REPORT_ROWS = 100  # left-out rows shown on the job page; all of them are in left-out.csv


def chunk_size() -> int:
    return int(getattr(settings, "EXAMDESK_STATEMENTS_CHUNK", 500))


# --- Starting the job -------------------------------------------------------------------------------------------


def statements_viewer(centre: Centre) -> Viewer:
    """Statements are for candidates: chosen as the centre sees released results, never as a board preview."""
    return Viewer(centre=centre, preview=False)


def statements_start(
    *,
    actor: Any,
    centre: Centre,
    criteria: Criteria,
    entry_ids: list[int] | None,
    request: HttpRequest | None = None,
) -> Job:
    """Start the job for the selection: `entry_ids` (ticked) or every entry the criteria find (None)."""
    from examdesk.jobs.services import job_create

    params = {"criteria": criteria.as_params(), "entry_ids": entry_ids}
    what = "every result of the search" if entry_ids is None else f"{len(entry_ids)} ticked results"
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.EXPORT_REQUESTED,
            request=request,
            actor=actor,
            centre=centre,
            summary=f"Statements of results: {what}",
            data={"criteria": params["criteria"], "ticked": len(entry_ids) if entry_ids is not None else None},
        )
        return job_create(
            owner=actor,
            centre=centre,
            kind=KIND,
            title=f"Statements of results, centre {centre.number}",
            params=params,
            shared_with=Capability.VIEW_RESULTS,
        )


# --- Step 1: the plan --------------------------------------------------------------------------------------------


def left_out_reason(shown: gate.Shown, zone: str) -> str:
    """Why a selected result has no statement ("" when it has one)."""
    if shown.state is gate.State.RELEASED and shown.result is not None:
        return ""
    if shown.state is gate.State.NOT_YET:
        if shown.released_at is None:
            return "Not released yet (no release date set)"
        return f"Not released yet: released on {format_in_zone(shown.released_at, zone)}"
    return {
        gate.State.PENDING: "Pending: the result is not final yet",
        gate.State.WITHHELD: "Withheld",
        gate.State.NOT_ONLINE: "Not available online: results of this qualification are given by the centre",
        gate.State.NO_RESULT: "No result yet",
    }.get(shown.state, "Not released")


NO_ID_NUMBER = "No Results Online ID number: the statement needs one"


def _row(entry: Entry, reason: str) -> list[str]:
    candidate = entry.candidate
    return [
        entry.candidate_number,
        candidate.last_name,
        candidate.first_name,
        entry.qualification.name,
        entry.series.name,
        reason,
    ]


def _has_id_number(entry: Entry) -> bool:
    try:
        return bool(entry.candidate.online_registration.id_number)
    except ObjectDoesNotExist:
        return False


def selected_entries(centre: Centre, params: dict[str, Any], *, moment: datetime) -> Any:
    """The selected entries, in candidate-number order: the search's, or the ticked ones the search finds."""
    criteria = replace(Criteria.from_params(params.get("criteria") or {}), sort="number")
    entries = search(statements_viewer(centre), criteria, now=moment)
    ids = params.get("entry_ids")
    if ids is not None:
        entries = entries.filter(pk__in=ids)
    return entries


def _plan_path(job: Job, index: int) -> str:
    return f"jobs/{job.pk}/plan/{index:06d}.json"


def _replace(storage: Any, path: str, content: bytes | IO[bytes]) -> str:
    if storage.exists(path):
        storage.delete(path)
    return str(storage.save(path, ContentFile(content) if isinstance(content, bytes) else File(content)))


def chunk_sizes(count: int, size: int) -> list[int]:
    """Chunks of `size`, except the last statements: two chunks' worth in quarter chunks, so that the worker
    processes finish together (no process waits long for the last big chunk of another)."""
    if count <= 0:
        return []
    small = max(1, size // 4)
    tail = min(count, 2 * size)
    head = count - tail
    full, rest = divmod(head, size)
    sizes = [size] * full + ([rest] if rest else [])
    return sizes + [small] * (tail // small) + ([tail % small] if tail % small else [])


def _plan(ctx: JobContext, centre: Centre, moment: datetime) -> None:
    """Fix the set: plan files of (entry id, file name) pairs, in candidate-number order, a chunk each, and the
    left-out rows (left-out.csv in storage, the first REPORT_ROWS in the checkpoint)."""
    storage = ctx.storage
    size = chunk_size()
    entries = (
        selected_entries(centre, ctx.params, moment=moment)
        .select_related("candidate__online_registration")
        .prefetch_related(None)
    )
    selected = printed = chunks = left = 0
    pending: list[tuple[int, str]] = []
    taken: set[str] = set()
    number = None
    shown_rows: list[list[str]] = []

    def write(items: list[tuple[int, str]]) -> None:
        nonlocal chunks
        _replace(storage, _plan_path(ctx.job, chunks), json.dumps(items).encode())
        chunks += 1

    with tempfile.TemporaryFile() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(LEFT_OUT_COLUMNS)
        # Only the decision is read here; the scores themselves are read again when a statement is drawn.
        for entry in gate.with_current_result(entries).iterator(chunk_size=2000):
            selected += 1
            shown = gate.show(entry, now=moment)
            reason = left_out_reason(shown, centre.time_zone) or ("" if _has_id_number(entry) else NO_ID_NUMBER)
            if reason:
                left += 1
                row = _row(entry, reason)
                writer.writerow([neutralise(cell) for cell in row])
                if len(shown_rows) < REPORT_ROWS:
                    shown_rows.append(row)
                continue
            if entry.candidate_number != number:  # names start with the number: only the same number can clash
                number, taken = entry.candidate_number, set()
            pending.append((entry.pk, unique_file_name(statement_zip_name(entry), taken)))
            printed += 1
            if len(pending) >= 3 * size:  # keep the last ones back: they are cut smaller at the end
                write(pending[:size])
                pending = pending[size:]
        at = 0
        for length in chunk_sizes(len(pending), size):
            write(pending[at : at + length])
            at += length
        text.flush()
        raw.seek(0)
        left_path = _replace(storage, f"jobs/{ctx.job.pk}/plan/{LEFT_OUT_NAME}", raw)
        text.detach()
    ctx.checkpoint.update(
        planned=True,
        selected=selected,
        count=printed,
        chunks=chunks,
        left_out=left,
        left_rows=shown_rows,
        left_path=left_path,
    )
    ctx.progress(done=0, total=printed, message=f"Making {printed:,} statement{'s' if printed != 1 else ''}")


# --- Step 2: a chunk ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    pdf: bytes
    singles: bytes
    pages: int


def _zip_time(job: Job) -> tuple[int, int, int, int, int, int]:
    zone = ZoneInfo(job.centre.time_zone if job.centre else str(settings.EXAMDESK_BOARD_TIME_ZONE))
    moment = job.created_at.astimezone(zone)
    return (max(1980, moment.year), moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _zip_info(name: str, date_time: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_STORED  # zipfile sets the UTF-8 flag on every name outside ASCII
    info.external_attr = 0o644 << 16
    return info


def _each_in_its_language(
    items: Sequence[tuple[StatementData, str]], language_of: dict[int, str]
) -> Iterator[StatementData]:
    """The statements one by one, each with its candidate's language active while its page is drawn (the renderer
    draws a page as soon as it takes the statement). The caller's translation.override restores the language."""
    for data, _ in items:
        language = language_of.get(id(data))
        if language:
            translation.activate(language)
        yield data


def render_chunk(
    items: Sequence[tuple[StatementData, str]],
    *,
    title: str,
    date_time: tuple[int, int, int, int, int, int],
    language_of: dict[int, str] | None = None,
) -> Made:
    """Statements as one PDF (a page each, for printing) and as a zip of single files named as given (tagged, and
    signed when the board has a key)."""
    chunk_language = translation.get_language()  # the centre's: for a statement whose candidate chose none
    merged = io.BytesIO()
    pages = render_statements(_each_in_its_language(items, language_of or {}), merged, title=title)
    pdf = merged.getvalue()
    singles = io.BytesIO()
    with zipfile.ZipFile(singles, "w", zipfile.ZIP_STORED) as archive:
        for data, name in items:
            with translation.override((language_of or {}).get(id(data)) or chunk_language):
                single = render_statement(data)
            archive.writestr(_zip_info(name, date_time), single)
    return Made(pdf=pdf, singles=singles.getvalue(), pages=pages)


@job_part_handler(KIND)
def statements_part(part: PartContext) -> dict[str, Any]:
    """One chunk of the plan: read its entries, ask the gate again, typeset (and sign), store."""
    job = part.job
    centre = job.centre
    assert centre is not None, "statements belong to a centre"
    with part.storage.open(_plan_path(job, part.index), "rb") as handle:
        plan: list[tuple[int, str]] = [(int(i), str(n)) for i, n in json.loads(handle.read())]
    moment = now()
    # The gate and tenancy are asked again now: a release moved later, a result withheld or an entry unlinked
    # from a preparation centre since the plan leaves the statement out.
    visible = visible_to(statements_viewer(centre), now=moment).filter(pk__in=[i for i, _ in plan])
    entries = {entry.pk: entry for entry in statement_entries(visible)}
    items: list[tuple[StatementData, str]] = []
    left: list[list[str]] = []
    chosen = chosen_languages(entry.candidate_id for entry in entries.values())
    language_of: dict[int, str] = {}  # id(data) → the language its page is drawn in
    for entry_id, name in plan:
        entry = entries.get(entry_id)
        if entry is None:
            left.append([name.split("-", 1)[0], "", "", "", "", "No longer available to your centre"])
            continue
        shown = gate.show(entry, now=moment)
        reason = left_out_reason(shown, centre.time_zone)
        if not reason:
            language = candidate_language(entry.candidate, chosen=chosen)
            try:
                with translation.override(language):
                    data = statement_data(
                        shown, issue_date=statement_issue_date(shown), verification_url=verification_url(entry)
                    )
                language_of[id(data)] = language
            except ValueError:
                reason = NO_ID_NUMBER
        if reason:
            left.append(_row(entry, reason))
            continue
        items.append((data, name))
    made: dict[str, Any] = {"printed": len(items), "left_out": left}
    if items:
        with translation.override(centre.language):  # restored after the chunk, whatever each page switched to
            result = render_chunk(items, title=job.title, date_time=_zip_time(job), language_of=language_of)
        made["pdf"] = part.save("statements.pdf", result.pdf)
        made["zip"] = part.save("statements.zip", result.singles)
    return made


# --- Step 3: assembly ---------------------------------------------------------------------------------------------


def _read(storage: Any, path: str) -> bytes:
    with storage.open(path, "rb") as handle:
        return bytes(handle.read())


def _left_out_csv(storage: Any, plan_path: str, extra: list[list[str]]) -> bytes:
    data = _read(storage, plan_path)
    if not extra:
        return data
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in extra:
        writer.writerow([neutralise(cell) for cell in row])
    return data + out.getvalue().encode("utf-8")


def _assemble_pdf(ctx: JobContext, parts: list[dict[str, Any]], *, author: str) -> str:
    storage = ctx.storage
    chunks = (_read(storage, part["pdf"]) for part in parts if part.get("pdf"))
    with tempfile.TemporaryFile() as out:
        join_pdfs(chunks, out, meta=Meta(title=ctx.job.title, author=author, subject="Statements of results"))
        out.seek(0)
        return _replace(storage, f"jobs/{ctx.job.pk}/statements.pdf", out)


def _assemble_zip(ctx: JobContext, parts: list[dict[str, Any]], left_out: bytes | None) -> str:
    storage = ctx.storage
    date_time = _zip_time(ctx.job)
    with tempfile.TemporaryFile() as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            if left_out is not None:
                archive.writestr(_zip_info(LEFT_OUT_NAME, date_time), left_out)
            for part in parts:
                if not part.get("zip"):
                    continue
                with storage.open(part["zip"], "rb") as handle, zipfile.ZipFile(handle) as chunk:
                    for info in chunk.infolist():
                        archive.writestr(_zip_info(info.filename, info.date_time), chunk.read(info))
        out.seek(0)
        return _replace(storage, f"jobs/{ctx.job.pk}/statements.zip", out)


def _clean_up(ctx: JobContext) -> None:
    storage = ctx.storage
    for folder in (f"jobs/{ctx.job.pk}/parts", f"jobs/{ctx.job.pk}/plan"):
        try:
            _, files = storage.listdir(folder)
        except (FileNotFoundError, NotImplementedError):
            files = []
        for name in files:
            storage.delete(f"{folder}/{name}")


def _files_date(ctx: JobContext) -> str:
    decided = datetime.fromisoformat(ctx.checkpoint["decided_at"])
    zone = ZoneInfo(ctx.job.centre.time_zone if ctx.job.centre else "UTC")
    return decided.astimezone(zone).strftime("%Y-%m-%d")


def _counted(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


@job_handler(KIND)
def statements_job(ctx: JobContext) -> JobResult:
    from examdesk.jobs.services import job_file_save

    centre = ctx.job.centre
    assert centre is not None, "statements belong to a centre"
    cp = ctx.checkpoint
    if "decided_at" not in cp:
        cp["decided_at"] = now().isoformat()  # the set is chosen as of this moment, however often the job resumes
        ctx.progress(done=0, total=0, message="Choosing the statements")
    if not cp.get("planned"):
        ctx.send_helpers()  # the other workers get ready while the statements are chosen
        _plan(ctx, centre, datetime.fromisoformat(cp["decided_at"]))
    count, chunks = int(cp["count"]), int(cp["chunks"])
    stem = f"statements-{centre.number}-{_files_date(ctx)}"
    parts: list[dict[str, Any]] = []
    if chunks:

        def progress(done_parts: list[Any]) -> None:
            done = sum(int(p.data.get("printed", 0)) for p in done_parts)
            ctx.progress(done=done, total=count, message=f"{done:,} of {count:,} statements made")

        parts = ctx.run_parts(chunks, on_progress=progress)
    extra = [row for part in parts for row in part.get("left_out", [])]
    printed = sum(int(part.get("printed", 0)) for part in parts)
    left = int(cp["left_out"]) + len(extra)
    if "files" not in cp:
        ctx.progress(done=printed, total=count, message="Putting the files together")
        left_out = _left_out_csv(ctx.storage, cp["left_path"], extra) if left else None
        files: list[dict[str, Any]] = []
        if printed:
            author = centre.board.name
            pdf = _assemble_pdf(ctx, parts, author=author)
            files.append(
                {"key": "print", "label": "Download the print file", "name": f"{stem}.pdf", "path": pdf,
                 "content_type": "application/pdf"}
            )  # fmt: skip
            archive = _assemble_zip(ctx, parts, left_out)
            files.append(
                {"key": "singles", "label": "Download the single files", "name": f"{stem}.zip", "path": archive,
                 "content_type": "application/zip"}
            )  # fmt: skip
        elif left_out is not None:
            path = _replace(ctx.storage, f"jobs/{ctx.job.pk}/{LEFT_OUT_NAME}", left_out)
            files.append(
                {"key": "left-out", "label": "Download the list of results left out", "name": f"{stem}-left-out.csv",
                 "path": path, "content_type": "text/csv; charset=utf-8"}
            )  # fmt: skip
        for position, file in enumerate(files):
            file["size"] = ctx.storage.size(file["path"])
            job_file_save(job=ctx.job, run_token=ctx.run_token, position=position, **file)
        cp["files"] = [file["key"] for file in files]
        ctx.progress(done=printed, total=count, message="Cleaning up")
    _clean_up(ctx)
    rows = cp.get("left_rows", []) + extra
    report = None
    if left:
        shown = rows[:REPORT_ROWS]
        note = "Every one is listed in left-out.csv in the zip file." if printed else ""
        if len(shown) < left:
            note = f"The first {len(shown)} are shown. " + (note or "Download the list for all of them.")
        report = {
            "caption": f"Left out: {_counted(left, 'selected result has', 'selected results have')} no statement",
            "columns": LEFT_OUT_COLUMNS,
            "rows": shown,
            "total": left,
            "note": note,
        }
    made = _counted(printed, "statement", "statements") if printed else "No statements"
    message = f"{made} ready" if printed else f"{made}: none of the selected results can have one yet"
    if left:
        message += f"; {_counted(left, 'selected result', 'selected results')} left out (see below)"
    return JobResult(message=message, report=report)
