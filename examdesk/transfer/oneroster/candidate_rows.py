"""Check a OneRoster package's students with the spreadsheet's checking, and name problems as the package does.

Pure: no database. The rows go through examdesk.transfer.candidate_rows.evaluate like the rows of a spreadsheet
(the same rules, warnings and value mappings); then each valid row gets what a cell cannot carry (the sourcedId,
the exact class names) and each problem names its file, column and row in the package.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from examdesk.people.services import CandidateData
from examdesk.transfer.candidate_rows import Evaluation, Problem, Progress, evaluate
from examdesk.transfer.dates import DateOrder
from examdesk.transfer.oneroster.reading import Package

DEMOGRAPHICS = "demographics.csv"
DEMOGRAPHIC_FIELDS = frozenset({"date_of_birth", "gender"})


def evaluate_package(
    package: Package,
    *,
    terms: dict[str, dict[str, str]],
    mappings: dict[str, dict[str, str]] | None = None,
    on_progress: Progress | None = None,
) -> Evaluation:
    evaluation = evaluate(
        package.table, terms=terms, date_order=DateOrder.YMD, on_progress=on_progress, mappings=mappings
    )
    problems = [_named_in_package(problem, package) for problem in evaluation.problems]
    accepted = {number for number, _ in evaluation.valid}
    for found in package.row_problems:
        problems.append(
            Problem(row=found.row, column=found.column, value=found.value, reason=found.reason, fix=found.fix)
        )
    rejected_now = {found.row for found in package.row_problems} & accepted
    problems.sort(key=lambda problem: problem.row)  # stable: each row's problems keep their order
    evaluation.problems = problems
    evaluation.rejected_rows += len(rejected_now)
    # Warnings (values imported empty, kept as written) speak of imported rows only.
    evaluation.warnings = [
        _named_in_package(warning, package) for warning in evaluation.warnings if warning.row not in rejected_now
    ]

    valid = []
    # Rows share a few sets of fields: each is made once, not once a row.
    fields_for: dict[tuple[frozenset[str] | None, bool], frozenset[str]] = {}
    for number, data in evaluation.valid:
        if number in rejected_now:
            continue
        # Set in place (the rows are this evaluation's own): a package may have 100,000 students.
        data.sourced_id = package.sourced_ids[number]
        if package.groups is not None:
            data.groups = package.groups.get(number, [])
        keeps_demographics = package.demographics_delta and number not in package.demographics_rows
        key = (data.fields, keeps_demographics)
        if key not in fields_for:
            fields = set(data.fields or ())
            if package.groups is not None:
                fields.add("groups")
            if keeps_demographics:  # a delta package without a record for this student: theirs stay as they are
                fields -= DEMOGRAPHIC_FIELDS
            fields_for[key] = frozenset(fields)
        data.fields = fields_for[key]
        valid.append((number, data))
    evaluation.valid = valid
    # The problem report shows each column under the name it has in the package.
    evaluation.table.headers = [package.sources.get(header, header) for header in evaluation.table.headers]
    evaluation.table.format = f"OneRoster {package.version}"
    return evaluation


def merge_delta_groups(
    evaluation: Evaluation, package: Package, *, current: Callable[[CandidateData], set[str]]
) -> None:
    """For a delta package, make each student's groups their current ones (`current`: the names a candidate has,
    in any case), plus the classes the package enrolls them in, less the ones it takes them out of."""
    if package.groups is None or not package.enrollments_delta:
        return
    for number, data in evaluation.valid:
        leaving = {name.casefold() for name in package.groups_removed.get(number, [])}
        kept = [name for name in sorted(current(data)) if name.casefold() not in leaving]
        known = {name.casefold() for name in kept}
        data.groups = kept + [name for name in data.groups if name.casefold() not in known]


def _named_in_package(problem: Problem, package: Package) -> Problem:
    source = package.sources.get(problem.column)
    if source is None:
        return problem
    if source.startswith(DEMOGRAPHICS):
        row = package.demographics_rows.get(problem.row)
        source = f"{source} (row {row})" if row else f"{source} (no row for this student)"
    return dataclasses.replace(problem, column=source)
