"""Turn the rows of a candidate file into candidate data, or into problems a person can fix.

Pure: no database. The same evaluation serves the preview and the commit, so what the preview
promised is what the commit does.

Only what identifies a candidate rejects a row: no unique ID (or one too long), a duplicate in the file, a
missing or unusable name (names are what a candidate is known and certified by), an unreadable or impossible
date of birth, an unusable group name. Any other value that cannot be read (a gender, nationality, ethnicity or
SEN status that matches nothing on its list; a UPN, e-mail address or Active value that is not one) is a
warning: the row is imported with the field empty (Active: the candidate's state as it is) and the value kept
as written (Candidate.values_as_written).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from examdesk.core.spreadsheet import unneutralise
from examdesk.people import validation
from examdesk.people.models import AS_WRITTEN_MAX
from examdesk.people.services import CandidateData
from examdesk.transfer import columns
from examdesk.transfer.dates import DateOrder, infer_column_order, parse_date
from examdesk.transfer.headers import HeaderMatch, match_headers
from examdesk.transfer.reading import Cell, NumberCell, Table

DUPLICATE_ID = "The unique ID {unique_id} is on more than one row of this file (rows {rows})."
DUPLICATE_ID_FIX = "Keep one row per candidate, or give each candidate their own ID."
MISSING_COLUMNS = "The file has no column for: {names}. Use the template's headers (any order, any case)."
DUPLICATE_COLUMNS = "Two columns of the file mean the same thing: {names}. Keep one of each."


# The fields whose unmatched values a centre can map (a UPN, e-mail address or Active value that cannot be read
# warns as these do, but has no list to map it to).
LIST_FIELDS = ("gender", "nationality", "ethnicity", "sen_status")
PROBLEM = "problem"
WARNING = "warning"
SHOWN_ROWS = 10


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str
    fix: str
    kind: str = PROBLEM  # PROBLEM: the row is left out; WARNING: the row is imported without this value
    field: str = ""
    suggestions: tuple[tuple[str, str], ...] = ()  # (code, name), closest first


@dataclass
class Evaluation:
    table: Table
    match: HeaderMatch
    valid: list[tuple[int, CandidateData]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0
    file_problems: list[str] = field(default_factory=list)
    date_question: bool = False  # the date column reads both ways: ask the person
    date_examples: list[str] = field(default_factory=list)

    @property
    def can_commit(self) -> bool:
        return not self.file_problems and not self.date_question

    @property
    def warned_rows(self) -> int:
        return len({warning.row for warning in self.warnings})

    def unmatched(self) -> list[dict[str, Any]]:
        """The values that matched nothing, once each as a mapping sees them ("Brit" and "brit." are one):
        field, column, value (as first written), how many rows, the first rows, the suggestions. Most frequent
        first: mapping those helps most."""
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for warning in self.warnings:
            group = groups.setdefault(
                (warning.field, validation.value_key(warning.value)),
                {
                    "field": warning.field,
                    "column": warning.column,
                    "value": warning.value,
                    "count": 0,
                    "rows": [],
                    "suggestions": [list(pair) for pair in warning.suggestions],
                    "mappable": warning.field in LIST_FIELDS,
                    "fix": warning.fix,
                },
            )
            group["count"] += 1
            if len(group["rows"]) < SHOWN_ROWS:
                group["rows"].append(warning.row)
        return sorted(groups.values(), key=lambda group: (-group["count"], group["field"], group["value"]))


def cell_text(cell: Cell) -> str:
    """What a cell says, as text: a number cell as its digits (never '7124.0'), a date in ISO form."""
    if type(cell) is str:  # the common case first: this runs for every cell of a 100,000-row file
        return cell
    if cell is None:
        return ""
    if isinstance(cell, NumberCell):
        return cell.text
    if isinstance(cell, bool):
        return "Yes" if cell else "No"
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat(sep=" ")
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


Progress = Callable[[int, int, str], None]


def evaluate(
    table: Table,
    *,
    terms: dict[str, dict[str, str]],
    date_order: DateOrder | None = None,
    on_progress: Progress | None = None,
    mappings: dict[str, dict[str, str]] | None = None,
) -> Evaluation:
    """Check every row. `mappings` are the centre's own meanings of list values, field → {value key: code}
    (examdesk.people.selectors.value_mappings); they are tried before the lists."""
    if table.format == "csv":
        # Our CSV exports put an apostrophe before formula-like text; take it off again (XLSX needs none).
        table.rows = [
            (number, [unneutralise(c) if isinstance(c, str) else c for c in cells]) for number, cells in table.rows
        ]
    match = match_headers(table.headers, columns.aliases(), columns.REQUIRED)
    evaluation = Evaluation(table=table, match=match)
    if match.missing:
        names = ", ".join(columns.BY_FIELD[name].header for name in match.missing)
        evaluation.file_problems.append(MISSING_COLUMNS.format(names=names))
    if match.duplicates:
        names = ", ".join(columns.BY_FIELD[name].header for name in match.duplicates)
        evaluation.file_problems.append(DUPLICATE_COLUMNS.format(names=names))
    if evaluation.file_problems:
        return evaluation

    where = match.columns
    order = date_order
    if "date_of_birth" in where:
        found = infer_column_order(cells[where["date_of_birth"]] for _, cells in table.rows)
        if found.ambiguous and date_order is None:
            evaluation.date_question = True
            evaluation.date_examples = _date_examples(table, where["date_of_birth"])
        order = date_order or found.order

    id_rows: dict[str, list[int]] = {}
    if "unique_id" in where:
        for number, cells in table.rows:
            unique_id = validation.clean_text(cell_text(cells[where["unique_id"]]))
            if unique_id:
                id_rows.setdefault(unique_id, []).append(number)
    repeated = {unique_id: rows for unique_id, rows in id_rows.items() if len(rows) > 1}

    checks = _checks(table.headers, where, terms, order, skip_dates=evaluation.date_question, mappings=mappings or {})
    present = frozenset(where)
    total = len(table.rows)
    for position, (number, cells) in enumerate(table.rows, start=1):
        if on_progress and position % 5000 == 0:
            on_progress(position, total, f"{position} of {total} rows checked")
        problems: list[Problem] = []
        warnings: list[Problem] = []
        values: dict[str, Any] = {}
        for name, index, header, clean in checks:
            cell = cells[index]
            try:
                values[name] = clean(cell)
            except validation.UnmatchedValue as unmatched:
                values[name] = None if name == "is_active" else ""
                values.setdefault("values_as_written", {})[name] = unmatched.value[:AS_WRITTEN_MAX]
                warnings.append(
                    Problem(
                        number, header, unmatched.value, unmatched.reason, unmatched.fix,
                        kind=WARNING, field=name, suggestions=unmatched.suggestions,
                    )
                )  # fmt: skip
            except validation.FieldProblem as problem:
                # Named as in the person's file, so they find it there.
                problems.append(Problem(number, header, cell_text(cell), problem.reason, problem.fix))
        row_id = values.get("unique_id")
        if row_id in repeated:
            rows = ", ".join(str(r) for r in repeated[row_id])
            reason = DUPLICATE_ID.format(unique_id=row_id, rows=rows)
            problems.append(Problem(number, table.headers[where["unique_id"]], row_id, reason, DUPLICATE_ID_FIX))
        if problems:
            evaluation.problems.extend(problems)
            evaluation.rejected_rows += 1
        else:
            evaluation.warnings.extend(warnings)
            evaluation.valid.append((number, CandidateData(**values, fields=present)))
    return evaluation


Check = tuple[str, int, str, Callable[[Cell], Any]]


def _checks(
    headers: list[str],
    where: dict[str, int],
    terms: dict[str, dict[str, str]],
    order: DateOrder | None,
    *,
    skip_dates: bool,
    mappings: dict[str, dict[str, str]],
) -> list[Check]:
    """For each column the file has: the field, its column, its header and the function that cleans a cell.

    Built once per file. Columns with few distinct values (gender, nationality, the vocabularies,
    active) are cleaned once per distinct value.
    """
    today = timezone.localdate()

    def text(clean: Callable[[str], Any]) -> Callable[[Cell], Any]:
        return lambda cell: clean(cell_text(cell))

    def once(clean: Callable[[str], Any]) -> Callable[[Cell], Any]:
        memo: dict[str, Any] = {}

        def cleaned(cell: Cell) -> Any:
            key = cell_text(cell)
            if key not in memo:
                try:
                    memo[key] = clean(key)
                except validation.FieldProblem as problem:
                    memo[key] = problem
            found = memo[key]
            if isinstance(found, validation.FieldProblem):
                raise found
            return found

        return cleaned

    cleaners: dict[str, Callable[[Cell], Any]] = {
        "unique_id": text(validation.clean_unique_id),
        "first_name": text(validation.clean_name),
        "last_name": text(validation.clean_name),
        "date_of_birth": lambda cell: _birth_date(cell, order, today),
        "gender": once(lambda t: validation.clean_gender(t, mapping=mappings.get("gender"))),
        "nationality": once(lambda t: validation.clean_nationality(t, mapping=mappings.get("nationality"))),
        "ethnicity": once(
            lambda t: validation.clean_term(
                t, terms=terms["ethnicity"], what="ethnicity", mapping=mappings.get("ethnicity")
            )
        ),
        "sen_status": once(
            lambda t: validation.clean_term(
                t, terms=terms["sen"], what="SEN status", mapping=mappings.get("sen_status")
            )
        ),
        "upn": text(validation.clean_upn),
        "email": text(validation.clean_email),
        "groups": once(validation.clean_groups),
        "is_active": once(validation.clean_active),
    }
    return [
        (name, where[name], headers[where[name]], clean)
        for name, clean in cleaners.items()
        if name in where and not (skip_dates and name == "date_of_birth")
    ]


def _birth_date(cell: Cell, order: DateOrder | None, today: datetime.date) -> datetime.date | None:
    if cell is None or cell_text(cell).strip() == "":
        return None
    try:
        born = parse_date(cell, order)
    except ValueError as error:
        raise validation.FieldProblem(
            str(error), "Write the date as 2012-04-03, or as the rest of the column."
        ) from None
    if born > today or born.year < 1900:
        raise validation.FieldProblem(f"{born:%d %B %Y} is not a possible date of birth.", "Check the year.")
    return born


def _date_examples(table: Table, index: int, count: int = 3) -> list[str]:
    texts = Counter(cell_text(cells[index]) for _, cells in table.rows if isinstance(cells[index], str))
    return [text for text, _ in texts.most_common(count) if text]
