"""The board's results file: preview (nothing written), then commit (every good row, one transaction).

The same functions serve the upload page (through jobs) and `examdesk import_results`. A preview and a commit
evaluate the file the same way (rows.py) and compare it with what is stored the same way (`plan`), with the
register, entries and current results of the file's centres read once: so what the preview promised is what the
commit does, and a 50,000-row file takes seconds, not minutes.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.models import Qualification, Series
from examdesk.centres.models import Board, Centre
from examdesk.core.errors import ApplicationError
from examdesk.jobs.models import Job
from examdesk.jobs.services import job_create
from examdesk.people.models import Candidate
from examdesk.people.services import CandidateData, candidates_upsert
from examdesk.results import services
from examdesk.results.files.rows import (
    Catalogue,
    CentreRef,
    Evaluation,
    Progress,
    QualificationRules,
    Row,
    evaluate,
    name_key,
)
from examdesk.results.models import Entry, Result, ResultsFile
from examdesk.transfer.dates import DateOrder
from examdesk.transfer.problem_report import problem_report_xlsx
from examdesk.transfer.reading import read_table

SHOWN_PROBLEMS = 1000
PREVIEW_JOB = "results.file_preview"
COMMIT_JOB = "results.file_commit"
NOT_READY = "This results file cannot be imported now: it is {status}."
CANNOT_COMMIT = "This results file cannot be imported as it is: {reasons}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


def catalogue_for(*, board: Board) -> Catalogue:
    """The board's centres, preparation-centre links, series and qualifications (with components and bands)."""
    stored = Centre.objects.filter(board=board).values_list("pk", "number")
    centres = {number: CentreRef(pk, number) for pk, number in stored}
    links = Centre.exam_centres.through.objects.filter(from_centre__board=board)
    qualifications = Qualification.objects.filter(board=board).prefetch_related("components", "bands")
    return Catalogue(
        centres=centres,
        preparation_links=set(links.values_list("from_centre_id", "to_centre_id")),
        series=list(Series.objects.filter(board=board)),
        qualifications=[QualificationRules(q, list(q.components.all()), list(q.bands.all())) for q in qualifications],
    )


@dataclass
class Counts:
    rows: int = 0
    new_entries: int = 0
    updated_entries: int = 0  # a new candidate number or preparation centre on an existing entry
    new_results: int = 0
    changed_results: int = 0  # each one a new revision; the old one is kept as history
    unchanged: int = 0
    new_candidates: int = 0
    rejected: int = 0  # rows with problems, left out


@dataclass(slots=True)
class Planned:
    row: Row
    candidate_id: int | None  # None: a new candidate, created by the commit
    entry_id: int | None  # None: a new entry
    entry_changes: bool
    result: str  # NEW, CHANGED or UNCHANGED


@dataclass
class Plan:
    evaluation: Evaluation
    planned: list[Planned] = field(default_factory=list)
    new_candidates: dict[int, dict[str, CandidateData]] = field(default_factory=dict)  # centre id → unique ID → data
    counts: Counts = field(default_factory=Counts)

    def summary(self) -> dict[str, Any]:
        evaluation = self.evaluation
        table = evaluation.table
        return {
            **asdict(self.counts),
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "unknown_headers": evaluation.match.unknown,
            "file_problems": evaluation.file_problems,
            "date_question": evaluation.date_question,
            "date_examples": evaluation.date_examples,
            "problem_count": len(evaluation.problems),
            "centres": len({planned.row.centre.pk for planned in self.planned}),
        }

    def problems_for_page(self) -> list[dict[str, Any]]:
        ordered = sorted(self.evaluation.problems, key=lambda problem: problem.row)
        return [asdict(problem) for problem in ordered[:SHOWN_PROBLEMS]]


def _in_chunks(ids: set[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[start : start + services.IN_CHUNK] for start in range(0, len(ordered), services.IN_CHUNK)]


def plan(evaluation: Evaluation) -> Plan:
    """Compare the evaluated rows with the register, entries and current results of the file's centres.

    Adds the problems only the stored data can show (a candidate ID whose name or date of birth differs from the
    register, a candidate number another candidate holds) and says what the commit would do with each good row.
    """
    result = Plan(evaluation=evaluation)
    counts = result.counts
    counts.rows = len(evaluation.table.rows)
    rows = evaluation.rows
    centre_ids = {row.centre.pk for row in rows}
    series_ids = {row.series.pk for row in rows}
    register: dict[tuple[int, str], tuple[int, str, str, Any]] = {}
    for chunk in _in_chunks(centre_ids):
        stored = Candidate.objects.filter(centre_id__in=chunk).values_list(
            "centre_id", "unique_id", "pk", "first_name", "last_name", "date_of_birth"
        )
        for centre_id, unique_id, pk, first, last, born in stored.iterator(chunk_size=10000):
            register[(centre_id, unique_id)] = (pk, first, last, born)
    holders: dict[tuple[int, int, str], set[int]] = {}
    entries: dict[tuple[int, int, int], tuple[int, str, int | None]] = {}
    current: dict[int, dict[str, Any]] = {}
    for chunk in _in_chunks(centre_ids):
        scope = {"centre_id__in": chunk, "series_id__in": sorted(series_ids)}
        stored_entries = Entry.objects.filter(**scope).values_list(*services.ENTRY_KEYS)
        for values in stored_entries.iterator(chunk_size=10000):
            pk, centre_id, series_id, qualification_id, candidate_id, number, preparation_id = values
            holders.setdefault((centre_id, series_id, number), set()).add(candidate_id)
            entries[(candidate_id, qualification_id, series_id)] = (pk, number, preparation_id)
        results = Result.objects.filter(
            is_current=True, entry__centre_id__in=chunk, entry__series_id__in=sorted(series_ids)
        ).values("entry_id", *services.RESULT_VALUES)
        for stored in results.iterator(chunk_size=10000):
            current[stored["entry_id"]] = stored

    names: dict[tuple[int, str], str] = {}
    for row in rows:
        known = register.get((row.centre.pk, row.unique_id))
        candidate_id = known[0] if known else None
        if known is not None:
            _compare_with_register(evaluation, row, known, names)
        taken = holders.get((row.centre.pk, row.series.pk, row.candidate_number), set()) - {candidate_id}
        if taken:
            evaluation.reject(
                row.number,
                evaluation.header("candidate_number"),
                row.candidate_number,
                services.NUMBER_TAKEN.format(
                    number=row.candidate_number, centre=row.centre.number, series=row.series.name
                ),
            )
        if row.number in evaluation.rejected:
            continue
        assert row.graded is not None  # a row without problems is graded
        entry = entries.get((candidate_id, row.rules.pk, row.series.pk)) if candidate_id is not None else None
        entry_id, changes, outcome = None, False, NEW
        if entry is not None:
            entry_id, number, preparation_id = entry
            changes = number != row.candidate_number or (
                row.preparation_centre_id is not None and row.preparation_centre_id != preparation_id
            )
            now_stored = current.get(entry_id)
            if now_stored is not None:
                same = all(now_stored[name] == value for name, value in row.graded.fields().items())
                outcome = UNCHANGED if same else CHANGED
        result.planned.append(Planned(row, candidate_id, entry_id, changes, outcome))
        if candidate_id is None:
            result.new_candidates.setdefault(row.centre.pk, {}).setdefault(
                row.unique_id,
                CandidateData(
                    unique_id=row.unique_id,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    date_of_birth=row.date_of_birth,
                    fields=frozenset({"first_name", "last_name", "date_of_birth"}),
                ),
            )
    for planned in result.planned:
        counts.new_entries += planned.entry_id is None
        counts.updated_entries += planned.entry_changes
    outcomes = Counter(planned.result for planned in result.planned)
    counts.new_results, counts.changed_results, counts.unchanged = outcomes[NEW], outcomes[CHANGED], outcomes[UNCHANGED]
    counts.new_candidates = sum(len(found) for found in result.new_candidates.values())
    counts.rejected = len(evaluation.rejected)
    return result


def _compare_with_register(
    evaluation: Evaluation, row: Row, known: tuple[int, str, str, Any], names: dict[tuple[int, str], str]
) -> None:
    """A candidate ID already in the register must name the same person: a difference is a problem, never an
    overwrite. Names are compared without case, accents or extra spaces."""
    _, first, last, born = known
    key = (row.centre.pk, row.unique_id)
    if key not in names:
        names[key] = name_key(first, last)
    same = (row.first_name == first and row.last_name == last) or name_key(row.first_name, row.last_name) == names[key]
    if not same:
        evaluation.reject(
            row.number,
            evaluation.header("last_name"),
            f"{row.first_name} {row.last_name}",
            f"Candidate {row.unique_id} at centre {row.centre.number} is {first} {last} in the register, not "
            f"{row.first_name} {row.last_name}. Check the candidate ID, or ask the centre to correct the name first.",
        )
    if row.date_of_birth is not None and born is not None and row.date_of_birth != born:
        evaluation.reject(
            row.number,
            evaluation.header("date_of_birth"),
            f"{row.date_of_birth:%-d %B %Y}",
            f"Candidate {row.unique_id} at centre {row.centre.number} was born on {born:%-d %B %Y} according to the "
            f"register, not on {row.date_of_birth:%-d %B %Y}. Check the candidate ID and the date.",
        )


@contextlib.contextmanager
def _garbage_collector_paused() -> Iterator[None]:
    """Rows, cells and stored values are hundreds of thousands of small objects that make no reference cycles:
    Python's cyclic collector would walk them again and again as they pile up (a third of the time). Reference
    counting alone frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(
    *, board: Board, data: bytes, date_order: DateOrder | None = None, on_progress: Progress | None = None
) -> Plan:
    """Read, check and compare the file; count what a commit would do. Writes nothing. Raises UnreadableFile."""
    with _garbage_collector_paused():
        return _check(board=board, data=data, date_order=date_order, on_progress=on_progress)


def _check(*, board: Board, data: bytes, date_order: DateOrder | None, on_progress: Progress | None) -> Plan:
    table = read_table(data)
    evaluation = evaluate(table, catalogue=catalogue_for(board=board), date_order=date_order, on_progress=on_progress)
    if not evaluation.can_commit:
        return Plan(evaluation=evaluation, counts=Counts(rows=len(table.rows)))
    if on_progress:
        on_progress(len(table.rows), len(table.rows), "Comparing with the stored results")
    return plan(evaluation)


@dataclass
class CommitOutcome:
    plan: Plan
    counts: Counts  # what was done
    report: bytes


def commit(
    *,
    actor: Any,
    board: Board,
    data: bytes,
    results_file: ResultsFile,
    date_order: DateOrder | None = None,
    on_progress: Progress | None = None,
) -> CommitOutcome:
    """Apply every good row in one transaction; rows with problems are left out and listed in the report."""
    with _garbage_collector_paused():
        return _commit(
            actor=actor,
            board=board,
            data=data,
            results_file=results_file,
            date_order=date_order,
            on_progress=on_progress,
        )


def _commit(
    *,
    actor: Any,
    board: Board,
    data: bytes,
    results_file: ResultsFile,
    date_order: DateOrder | None,
    on_progress: Progress | None,
) -> CommitOutcome:
    table = read_table(data)
    evaluation = evaluate(table, catalogue=catalogue_for(board=board), date_order=date_order, on_progress=on_progress)
    if not evaluation.can_commit:
        reasons = " ".join(evaluation.file_problems) or "the dates of birth can be read two ways."
        raise ApplicationError(CANNOT_COMMIT.format(reasons=reasons))
    with transaction.atomic():
        found = plan(evaluation)
        if on_progress:
            on_progress(0, len(found.planned), "Saving the results")
        counts = _apply(found, actor=actor, results_file=results_file)
        report = problem_report(found, counts)
        path = _store(f"results-files/{results_file.pk}-report.xlsx", report)
        ResultsFile.objects.filter(pk=results_file.pk).update(
            status=ResultsFile.Status.COMMITTED,
            committed_at=timezone.now(),
            summary={
                **{key: value for key, value in results_file.summary.items() if key != "commit_error"},
                **found.summary(),
                "done": asdict(counts),
                "report_path": path,
            },
            problems=found.problems_for_page(),
        )
    return CommitOutcome(plan=found, counts=counts, report=report)


def _apply(found: Plan, *, actor: Any, results_file: ResultsFile) -> Counts:
    centres = Centre.objects.in_bulk({planned.row.centre.pk for planned in found.planned})
    created_ids: dict[tuple[int, str], int] = {}
    for centre_id, new in found.new_candidates.items():
        centre = centres[centre_id]
        candidates_upsert(centre=centre, rows=list(new.values()))
        for unique_id, pk in Candidate.objects.filter(centre=centre).values_list("unique_id", "pk"):
            if unique_id in new:
                created_ids[(centre_id, unique_id)] = pk
    entry_rows: list[services.EntryData] = []
    for planned in found.planned:
        row = planned.row
        if planned.candidate_id is None:
            planned.candidate_id = created_ids[(row.centre.pk, row.unique_id)]
        if planned.entry_id is None or planned.entry_changes:
            entry_rows.append(
                services.EntryData(
                    centre_id=row.centre.pk,
                    candidate_id=planned.candidate_id,
                    qualification_id=row.rules.pk,
                    series_id=row.series.pk,
                    candidate_number=row.candidate_number,
                    preparation_centre_id=row.preparation_centre_id,
                )
            )
    entry_ids = services.entries_save(rows=entry_rows)
    to_record = []
    for planned in found.planned:
        if planned.result == UNCHANGED:
            continue
        row = planned.row
        assert row.graded is not None and planned.candidate_id is not None
        entry_id = planned.entry_id or entry_ids[(planned.candidate_id, row.rules.pk, row.series.pk)]
        to_record.append((entry_id, row.graded))
    recorded = services.results_record(rows=to_record, results_file=results_file)
    counts = Counts(
        rows=found.counts.rows,
        new_entries=found.counts.new_entries,
        updated_entries=found.counts.updated_entries,
        new_results=recorded.created,
        changed_results=recorded.revised,
        unchanged=found.counts.unchanged + recorded.unchanged,
        new_candidates=len(created_ids),
        rejected=found.counts.rejected,
    )
    _audit(found, counts, actor=actor, results_file=results_file, centres=centres)
    return counts


def _audit(found: Plan, counts: Counts, *, actor: Any, results_file: ResultsFile, centres: dict[int, Centre]) -> None:
    """One event for the file, and one for each centre it touched (so the centre's own log shows it)."""
    by_centre: dict[int, Counter[str]] = {}
    for planned in found.planned:
        tally = by_centre.setdefault(planned.row.centre.pk, Counter())
        tally["rows"] += 1
        tally[planned.result] += 1
        tally["new_entries"] += planned.entry_id is None
    for centre_id, tally in sorted(by_centre.items()):
        created = len(found.new_candidates.get(centre_id, {}))
        audit_record(
            action=AuditEvent.Action.RESULTS_IMPORTED,
            actor=actor,
            centre=centres[centre_id],
            summary=f"Results file {results_file.file_name}: {counted(tally['rows'], 'row')} for this centre, "
            f"{counted(tally[NEW], 'new result')}, {tally[CHANGED]} changed, {tally[UNCHANGED]} unchanged, "
            f"{counted(created, 'candidate')} created",
            data={
                "results_file": str(results_file.pk),
                "rows": tally["rows"],
                "new_entries": tally["new_entries"],
                "new_results": tally[NEW],
                "changed_results": tally[CHANGED],
                "unchanged": tally[UNCHANGED],
                "candidates_created": sorted(found.new_candidates.get(centre_id, {}))[:1000],
            },
        )
    audit_record(
        action=AuditEvent.Action.RESULTS_IMPORTED,
        actor=actor,
        summary=f"Results file {results_file.file_name} imported: {counted(counts.new_results, 'new result')}, "
        f"{counts.changed_results} changed, {counts.unchanged} unchanged, {counted(counts.rejected, 'row')} left out",
        data={"results_file": str(results_file.pk), "board": results_file.board_id, **asdict(counts)},
    )


def counted(count: int, noun: str, nouns: str = "") -> str:
    """'1 row', '2 rows', '2 new entries' (with nouns='new entries')."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def problem_report(found: Plan, counts: Counts | None = None) -> bytes:
    """The report: what the file did (or would do), and every row left out, as read, with what is wrong."""
    evaluation = found.evaluation
    done = counts or found.counts
    summary = [
        ("Rows read", done.rows),
        ("Rows with problems (left out)", done.rejected),
        ("New candidates", done.new_candidates),
        ("New entries", done.new_entries),
        ("New results", done.new_results),
        ("Changed results (new revision)", done.changed_results),
        ("Unchanged", done.unchanged),
    ]
    return problem_report_xlsx(
        summary=summary,
        headers=evaluation.table.headers,
        rows=evaluation.table.rows,
        problems=((p.row, f"{p.column}: {p.reason}") for p in evaluation.problems),
    )


def _store(path: str, content: bytes) -> str:
    storage = storages["private"]
    if storage.exists(path):
        storage.delete(path)
    return str(storage.save(path, ContentFile(content)))


# The life of an uploaded file: kept privately, checked by a job, then imported by a job or dropped.


def _order(results_file: ResultsFile) -> DateOrder | None:
    value = results_file.summary.get("date_order")
    return DateOrder(value) if value else None


@transaction.atomic
def results_file_start(*, actor: Any, board: Board, upload: UploadedFile) -> tuple[ResultsFile, Job]:
    """Keep the uploaded file privately and start checking it. Nothing is written to entries or results."""
    results_file = ResultsFile(
        board=board, owner=actor, file_name=(upload.name or "results")[:255], file_size=upload.size or 0
    )
    results_file.file_path = storages["private"].save(f"results-files/{results_file.pk}", upload)
    results_file.save()
    return results_file, _preview_job(actor=actor, results_file=results_file)


def _preview_job(*, actor: Any, results_file: ResultsFile) -> Job:
    return job_create(
        owner=actor,
        kind=PREVIEW_JOB,
        title=f"Checking {results_file.file_name}",
        params={"file": str(results_file.pk)},
    )


def results_file_data(*, results_file: ResultsFile) -> bytes:
    with storages["private"].open(results_file.file_path, "rb") as handle:
        return bytes(handle.read())


def results_file_preview(*, results_file: ResultsFile, on_progress: Progress | None = None) -> Plan:
    """Check the stored file and keep what the page shows: the counts, the first problems and the report."""
    data = results_file_data(results_file=results_file)
    found = check(board=results_file.board, data=data, date_order=_order(results_file), on_progress=on_progress)
    summary = {**found.summary(), "date_order": results_file.summary.get("date_order", "")}
    if found.evaluation.problems:
        summary["report_path"] = _store(f"results-files/{results_file.pk}-problems.xlsx", problem_report(found))
    ResultsFile.objects.filter(pk=results_file.pk).update(
        status=ResultsFile.Status.READY, summary=summary, problems=found.problems_for_page()
    )
    return found


def results_file_failed(*, results_file: ResultsFile, message: str) -> None:
    ResultsFile.objects.filter(pk=results_file.pk).update(
        status=ResultsFile.Status.FAILED, summary={"error": message}, problems=[]
    )


def results_file_commit_failed(*, results_file: ResultsFile, message: str) -> None:
    """The commit rolled back: the file can be checked and imported again."""
    ResultsFile.objects.filter(pk=results_file.pk).update(
        status=ResultsFile.Status.READY, summary={**results_file.summary, "commit_error": message}
    )


@transaction.atomic
def results_file_set_date_order(*, actor: Any, results_file: ResultsFile, date_order: str) -> Job:
    results_file = ResultsFile.objects.select_for_update().get(pk=results_file.pk)
    if results_file.status != ResultsFile.Status.READY:
        raise ApplicationError(NOT_READY.format(status=results_file.get_status_display().lower()))
    results_file.summary = {**results_file.summary, "date_order": DateOrder(date_order).value}
    results_file.status = ResultsFile.Status.PREVIEWING
    results_file.save(update_fields=["summary", "status"])
    return _preview_job(actor=actor, results_file=results_file)


@transaction.atomic
def results_file_commit_start(*, actor: Any, results_file: ResultsFile) -> Job:
    results_file = ResultsFile.objects.select_for_update().get(pk=results_file.pk)
    summary = results_file.summary
    if results_file.status != ResultsFile.Status.READY or summary.get("file_problems") or summary.get("date_question"):
        raise ApplicationError(NOT_READY.format(status=results_file.get_status_display().lower()))
    results_file.status = ResultsFile.Status.COMMITTING
    results_file.save(update_fields=["status"])
    return job_create(
        owner=actor,
        kind=COMMIT_JOB,
        title=f"Importing {results_file.file_name}",
        params={"file": str(results_file.pk)},
    )


def results_file_commit(*, actor: Any, results_file: ResultsFile, on_progress: Progress | None = None) -> CommitOutcome:
    data = results_file_data(results_file=results_file)
    return commit(
        actor=actor,
        board=results_file.board,
        data=data,
        results_file=results_file,
        date_order=_order(results_file),
        on_progress=on_progress,
    )


@transaction.atomic
def results_file_cancel(*, results_file: ResultsFile) -> None:
    """Drop a checked file: nothing was written, and the stored copy is deleted."""
    results_file = ResultsFile.objects.select_for_update().get(pk=results_file.pk)
    if results_file.status in (ResultsFile.Status.READY, ResultsFile.Status.FAILED):
        results_file.status = ResultsFile.Status.CANCELLED
        results_file.save(update_fields=["status"])
        storages["private"].delete(results_file.file_path)


def results_file_import(
    *, actor: Any, board: Board, data: bytes, file_name: str, date_order: DateOrder | None = None
) -> tuple[ResultsFile, CommitOutcome]:
    """The command line's commit: keep the file like an upload, then import it at once (no job)."""
    results_file = ResultsFile(board=board, owner=actor, file_name=file_name[:255], file_size=len(data))
    results_file.file_path = _store(f"results-files/{results_file.pk}", data)
    results_file.status = ResultsFile.Status.COMMITTING
    results_file.summary = {"date_order": date_order.value if date_order else ""}
    results_file.save()
    try:
        outcome = commit(actor=actor, board=board, data=data, results_file=results_file, date_order=date_order)
    except Exception:
        ResultsFile.objects.filter(pk=results_file.pk).update(status=ResultsFile.Status.FAILED)
        raise
    return results_file, outcome
