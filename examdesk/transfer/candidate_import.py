"""Importing candidates: preview (nothing written), then commit (every valid row, one transaction).

The same functions serve the web pages (through jobs), the command line and, later, the API.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Centre
from examdesk.people.models import VocabularyTerm
from examdesk.people.selectors import value_mappings
from examdesk.people.services import (
    CandidateData,
    RegisterIndex,
    UpsertCounts,
    candidate_changes,
    candidates_upsert,
    register_group_names,
    register_values,
    vocabulary_terms,
)
from examdesk.transfer.candidate_rows import Evaluation, Problem, Progress, evaluate
from examdesk.transfer.dates import DateOrder
from examdesk.transfer.oneroster import reading as oneroster_reading
from examdesk.transfer.oneroster.candidate_rows import evaluate_package, merge_delta_groups
from examdesk.transfer.problem_report import problem_report_xlsx
from examdesk.transfer.reading import read_table

NEW_ID_WARNING = (
    "{count} unique ID{s} in this file {are} not at your centre yet ({examples}): each creates a new candidate. "
    "If one of them is a candidate you already have under another ID, change the ID on their page instead."
)
SHOWN_PROBLEMS = 1000
ID_HELD = (
    "The unique ID {unique_id} belongs to another candidate at your centre, but this person (sourcedId "
    "{sourced_id}) is the candidate {current} here."
)
ID_HELD_FIX = "Change one of the two IDs, in your school's system or on the candidate's page, then import again."
SAME_CANDIDATE = "This row and row {other} are the same candidate at your centre ({current})."
SAME_CANDIDATE_FIX = "Keep one row for each candidate, or give each person their own unique ID and sourcedId."
SHOWN_UNMATCHED = 200  # distinct values that matched nothing, on the preview


@dataclass
class Preview:
    evaluation: Evaluation
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    new_ids: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.evaluation.rejected_rows

    def summary(self) -> dict[str, Any]:
        table = self.evaluation.table
        return {
            "rows": len(table.rows),
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "unknown_headers": self.evaluation.match.unknown,
            "file_problems": self.evaluation.file_problems,
            "date_question": self.evaluation.date_question,
            "date_examples": self.evaluation.date_examples,
            "problem_count": len(self.evaluation.problems),
            "warned": self.evaluation.warned_rows,
            "warning_count": len(self.evaluation.warnings),
            "unmatched": self.evaluation.unmatched()[:SHOWN_UNMATCHED],
            "new_id_warning": self.new_id_warning,
        }

    @property
    def new_id_warning(self) -> str:
        if not self.new_ids:
            return ""
        examples = ", ".join(self.new_ids[:5]) + (", …" if len(self.new_ids) > 5 else "")
        count = len(self.new_ids)
        return NEW_ID_WARNING.format(
            count=count, s="" if count == 1 else "s", are="is" if count == 1 else "are", examples=examples
        )


def _terms(centre: Centre) -> dict[str, dict[str, str]]:
    return {
        "ethnicity": vocabulary_terms(centre=centre, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY),
        "sen": vocabulary_terms(centre=centre, vocabulary=VocabularyTerm.Vocabulary.SEN),
    }


def _evaluate(
    *,
    centre: Centre,
    data: bytes,
    date_order: DateOrder | None,
    oneroster_unique_id: str,
    on_progress: Progress | None,
) -> tuple[Evaluation, RegisterIndex | None]:
    """The rows of a spreadsheet or of a OneRoster package (told apart by content), checked.

    For a package, the rows are also checked against the register (a person found by sourcedId may have a unique
    ID another candidate holds): the register is returned so the preview compares with what it read.
    """
    mappings = value_mappings(centre=centre)
    if not oneroster_reading.is_package(data):
        table = read_table(data)
        evaluation = evaluate(
            table, terms=_terms(centre), date_order=date_order, on_progress=on_progress, mappings=mappings
        )
        return evaluation, None
    package = oneroster_reading.read_package(data, unique_id_from=oneroster_unique_id)
    evaluation = evaluate_package(package, terms=_terms(centre), mappings=mappings, on_progress=on_progress)
    register = RegisterIndex(register_values(centre=centre))
    _set_aside_register_conflicts(evaluation, register)
    if package.enrollments_delta:
        names = register_group_names(centre=centre)

        def current(data: CandidateData) -> set[str]:
            found = register.find(data)
            return names.get(found["pk"], set()) if found is not None else set()

        merge_delta_groups(evaluation, package, current=current)
    return evaluation, register


def _set_aside_register_conflicts(evaluation: Evaluation, register: RegisterIndex) -> None:
    """Rows that would take a unique ID another candidate holds, or update a candidate another row updates."""
    matched: dict[int, int] = {}  # candidate pk → the row that updates it
    conflicts: list[Problem] = []
    where = evaluation.match.columns.get("unique_id")
    column = evaluation.table.headers[where] if where is not None else "Unique ID"  # as the file names it
    valid = []
    for number, data in evaluation.valid:
        current = register.find(data)
        holder = register.by_unique_id.get(data.unique_id)
        problem = None
        if current is not None and holder is not None and holder["pk"] != current["pk"]:
            reason = ID_HELD.format(unique_id=data.unique_id, sourced_id=data.sourced_id, current=current["unique_id"])
            problem = Problem(row=number, column=column, value=data.unique_id, reason=reason, fix=ID_HELD_FIX)
        elif current is not None and current["pk"] in matched:
            reason = SAME_CANDIDATE.format(other=matched[current["pk"]], current=current["unique_id"])
            problem = Problem(row=number, column=column, value=data.unique_id, reason=reason, fix=SAME_CANDIDATE_FIX)
        if problem is None:
            if current is not None:
                matched[current["pk"]] = number
            valid.append((number, data))
        else:
            conflicts.append(problem)
    if conflicts:
        rejected = {problem.row for problem in conflicts}
        evaluation.valid = valid
        evaluation.problems = sorted([*evaluation.problems, *conflicts], key=lambda problem: problem.row)
        evaluation.warnings = [warning for warning in evaluation.warnings if warning.row not in rejected]
        evaluation.rejected_rows += len(conflicts)


def candidate_import_preview(
    *,
    centre: Centre,
    data: bytes,
    date_order: DateOrder | None = None,
    oneroster_unique_id: str = "identifier",
    on_progress: Progress | None = None,
) -> Preview:
    """Read and check the file; count what would happen. Writes nothing. Raises UnreadableFile.

    `oneroster_unique_id` says which user field of a OneRoster package is the unique ID (identifier or username).
    """
    evaluation, register = _evaluate(
        centre=centre,
        data=data,
        date_order=date_order,
        oneroster_unique_id=oneroster_unique_id,
        on_progress=on_progress,
    )
    preview = Preview(evaluation=evaluation)
    _compare_with_register(centre, preview, register or RegisterIndex(register_values(centre=centre)))
    return preview


def _compare_with_register(centre: Centre, preview: Preview, register: RegisterIndex) -> None:
    """Count new, updated and unchanged rows with the same comparison the commit uses."""
    groups = register_group_names(centre=centre)
    for _, data in preview.evaluation.valid:
        current = register.find(data)
        if current is None:
            preview.new += 1
            preview.new_ids.append(data.unique_id)
        elif candidate_changes(current=current, data=data) or _regrouped(data, groups.get(current["pk"], set())):
            preview.updated += 1
        else:
            preview.unchanged += 1


def _regrouped(data: CandidateData, current: set[str]) -> bool:
    if data.fields is not None and "groups" not in data.fields:
        return False
    return {name.casefold() for name in data.groups} != current


@dataclass
class CommitResult:
    counts: UpsertCounts
    rejected: int
    report: bytes  # an XLSX: the counts, and every row with problems with what is wrong


def candidate_import_commit(
    *,
    actor: Any,
    centre: Centre,
    data: bytes,
    date_order: DateOrder | None = None,
    oneroster_unique_id: str = "identifier",
    file_name: str = "",
    on_progress: Progress | None = None,
) -> CommitResult:
    """Apply every valid row in one transaction (rows with problems are left out and reported)."""
    evaluation, _ = _evaluate(
        centre=centre,
        data=data,
        date_order=date_order,
        oneroster_unique_id=oneroster_unique_id,
        on_progress=on_progress,
    )
    if not evaluation.can_commit:
        raise ValueError("This file cannot be imported as it is: " + " ".join(evaluation.file_problems))
    with transaction.atomic():
        counts = candidates_upsert(centre=centre, rows=[data for _, data in evaluation.valid], on_progress=on_progress)
        audit_record(
            action=AuditEvent.Action.IMPORT_COMMITTED,
            actor=actor,
            centre=centre,
            summary=f"Imported {file_name}: {counts.created} new, {counts.updated} updated, "
            f"{evaluation.rejected_rows} rows left out, {evaluation.warned_rows} with values kept as written",
            data=asdict(counts),
        )
    return CommitResult(counts=counts, rejected=evaluation.rejected_rows, report=problem_report(evaluation, counts))


def problem_report(evaluation: Evaluation, counts: UpsertCounts | None = None) -> bytes:
    """The import report: a summary, and every row that has problems or warnings, as read, with what is wrong."""
    summary = [
        ("Rows read", len(evaluation.table.rows)),
        ("Rows with problems (not imported)", evaluation.rejected_rows),
        ("Rows with warnings (imported)", evaluation.warned_rows),
    ]
    if counts is not None:
        summary += [
            ("New candidates", counts.created),
            ("Candidates updated", counts.updated),
            ("Unchanged", counts.unchanged),
        ]
    return problem_report_xlsx(
        summary=summary,
        headers=evaluation.table.headers,
        rows=evaluation.table.rows,
        problems=((p.row, f"{p.column}: {p.reason} {p.fix}".strip()) for p in evaluation.problems),
        warnings=((w.row, _warning_text(w)) for w in evaluation.warnings),
    )


def _warning_text(warning: Problem) -> str:
    closest = ", ".join(name for _, name in warning.suggestions)
    kept = f"{warning.column}: {warning.reason} Imported empty; the value is kept as written."
    return f"{kept} Closest: {closest}." if closest else kept
