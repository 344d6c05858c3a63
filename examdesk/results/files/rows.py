"""Turn the rows of a board's results file into graded rows, or into problems a person understands.

Pure: no database. The caller reads the board's catalogue once (centres, series, qualifications with their
components and bands) and passes it in, so the preview and the commit evaluate a file the same way.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast

from django.utils import timezone

from examdesk.catalogue.grading import ComponentScore, ComponentState, GradingError
from examdesk.catalogue.models import Component, GradeBand, Qualification, Series
from examdesk.core.spreadsheet import unneutralise
from examdesk.people import validation
from examdesk.results.models import Result
from examdesk.results.services import GradedRow, grade_row
from examdesk.transfer.candidate_rows import cell_text
from examdesk.transfer.dates import MONTH_NAMES, DateOrder, infer_column_order, parse_date
from examdesk.transfer.headers import HeaderMatch, match_headers, normalise_header
from examdesk.transfer.reading import Cell, NumberCell, Table

Progress = Callable[[int, int, str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the README and the messages name it
    aliases: tuple[str, ...]
    required: bool


COLUMNS: tuple[Column, ...] = (
    Column("centre", "Centre number", ("Centre", "Center number", "Center", "Centre no", "Exam centre",
                                       "Exam centre number", "Centre code"), True),
    Column("series", "Series", ("Series code", "Exam series", "Session"), True),
    Column("qualification", "Qualification", ("Qualification code", "Syllabus", "Syllabus code", "Exam"), True),
    Column("candidate_number", "Candidate number", ("Candidate no", "Cand no", "Candidate num"), True),
    Column("unique_id", "Candidate ID", ("Unique ID", "Student ID", "Learner ID", "Pupil ID", "ID"), True),
    Column("first_name", "First name", ("Forename", "Forenames", "Given name", "First names"), True),
    Column("last_name", "Last name", ("Surname", "Family name", "Last names"), True),
    Column("date_of_birth", "Date of birth", ("DOB", "Birth date", "Birthdate"), False),
    Column("overall", "Overall", ("Overall score", "Total", "Total score", "Score"), False),
    Column("grade", "Grade", ("Overall grade", "Result"), False),
    Column("status", "Status", ("Result status",), False),
    Column("preparation_centre", "Preparation centre", ("Preparation centre number", "Prep centre",
                                                       "Preparation center"), False),
)  # fmt: skip
BY_FIELD = {column.field: column for column in COLUMNS}
COMPONENT = "component:"  # field names of component columns: "component:RD"

ABSENT_WORDS = frozenset({"absent", "abs", "a"})
EXEMPT_WORDS = frozenset({"exempt", "exe", "e", "exempted"})
STATUS_WORDS = {
    "": Result.Status.ISSUED,
    "issued": Result.Status.ISSUED,
    "pending": Result.Status.PENDING,
    "withheld": Result.Status.WITHHELD,
}
_SCORE = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_SHORT_NUMBER = re.compile(r"[0-9]{1,4}")

MISSING_COLUMNS = (
    "The file has no column for: {names}. Name the columns as the README lists them (any order, any case)."
)
DUPLICATE_COLUMNS = "Two columns of the file mean the same thing: {names}. Keep one of each."


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class CentreRef:
    pk: int
    number: str


@dataclass
class QualificationRules:
    qualification: Qualification
    components: list[Component]
    bands: list[GradeBand]
    codes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.codes = frozenset(component.code for component in self.components)

    @property
    def pk(self) -> int:
        return self.qualification.pk

    @property
    def code(self) -> str:
        return self.qualification.code


@dataclass
class Catalogue:
    """What a results file is checked against: one board's centres, series and qualifications."""

    centres: dict[str, CentreRef]  # by centre number
    preparation_links: set[tuple[int, int]]  # (preparation centre id, exam centre id)
    series: list[Series]
    qualifications: list[QualificationRules]

    def component_codes(self) -> list[str]:
        return sorted({code for rules in self.qualifications for code in rules.codes})


@dataclass(slots=True)
class Row:
    """A row whose identity (centre, series, qualification, candidate) could be read; `graded` when the scores
    could be graded too. Rows with problems are kept so that checks across rows see them."""

    number: int
    centre: CentreRef
    series: Series
    rules: QualificationRules
    candidate_number: str
    unique_id: str
    first_name: str
    last_name: str
    date_of_birth: datetime.date | None
    preparation_centre_id: int | None
    graded: GradedRow | None


@dataclass
class Evaluation:
    table: Table
    match: HeaderMatch
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)  # row numbers with at least one problem
    file_problems: list[str] = field(default_factory=list)
    date_question: bool = False
    date_examples: list[str] = field(default_factory=list)

    @property
    def can_commit(self) -> bool:
        return not self.file_problems and not self.date_question

    def reject(self, row: int, column: str, value: str, reason: str) -> None:
        self.problems.append(Problem(row, column, value, reason))
        self.rejected.add(row)

    def good_rows(self) -> list[Row]:
        return [row for row in self.rows if row.number not in self.rejected]

    def header(self, name: str) -> str:
        """The heading of a column as the person's file spells it (for messages), else its README name."""
        index = self.match.columns.get(name)
        if index is not None:
            return self.table.headers[index]
        return BY_FIELD[name].header if name in BY_FIELD else name.removeprefix(COMPONENT)


def name_key(first: str, last: str) -> str:
    """Names compared without case, accents or extra spaces: 'Chloé  MARTIN' is 'chloe martin'."""
    text = unicodedata.normalize("NFKD", f"{first} {last}".casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def plain(value: Decimal) -> str:
    """140.00 → '140', 12.50 → '12.5'."""
    return format(value.normalize(), "f")


def rows_text(numbers: Iterable[int], limit: int = 8) -> str:
    ordered = sorted(set(numbers))
    shown = ", ".join(str(number) for number in ordered[:limit])
    return shown + (", …" if len(ordered) > limit else "")


def aliases(catalogue: Catalogue) -> dict[str, list[str]]:
    fixed = {column.field: [column.header, *column.aliases] for column in COLUMNS}
    taken = {normalise_header(alias) for names in fixed.values() for alias in names}
    # A component code that reads like a fixed heading cannot be told apart from it: the fixed heading wins.
    components = {
        f"{COMPONENT}{code}": [code] for code in catalogue.component_codes() if normalise_header(code) not in taken
    }
    return {**fixed, **components}


def evaluate(
    table: Table,
    *,
    catalogue: Catalogue,
    date_order: DateOrder | None = None,
    on_progress: Progress | None = None,
) -> Evaluation:
    """Check every row of the file against the catalogue and grade it. Reads nothing from the database."""
    if table.format == "csv":
        # Our CSV exports put an apostrophe before formula-like text; take it off again (XLSX needs none).
        table.rows = [
            (number, [unneutralise(c) if isinstance(c, str) else c for c in cells]) for number, cells in table.rows
        ]
    match = match_headers(table.headers, aliases(catalogue), {c.field for c in COLUMNS if c.required})
    evaluation = Evaluation(table=table, match=match)
    if match.missing:
        names = ", ".join(BY_FIELD[name].header for name in match.missing)
        evaluation.file_problems.append(MISSING_COLUMNS.format(names=names))
    if match.duplicates:
        names = ", ".join(
            " and ".join(table.headers[index] for index in match.duplicate_columns[name]) for name in match.duplicates
        )
        evaluation.file_problems.append(DUPLICATE_COLUMNS.format(names=names))
    if evaluation.file_problems:
        return evaluation

    where = match.columns
    order = date_order
    check_dates = "date_of_birth" in where
    if check_dates:
        found = infer_column_order(cells[where["date_of_birth"]] for _, cells in table.rows)
        if found.ambiguous and date_order is None:
            evaluation.date_question = True
            evaluation.date_examples = _date_examples(table, where["date_of_birth"])
            check_dates = False
        order = date_order or found.order

    reader = _RowReader(evaluation, catalogue, order, check_dates)
    total = len(table.rows)
    for position, (number, cells) in enumerate(table.rows, start=1):
        if on_progress and position % 5000 == 0:
            on_progress(position, total, f"{position} of {total} rows checked")
        row = reader.read(number, cells)
        if row is not None:
            evaluation.rows.append(row)
    _check_across_rows(evaluation)
    return evaluation


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _RowReader:
    """Reads one row at a time; the lookups and the cleaning of repeated values are built once per file."""

    def __init__(self, evaluation: Evaluation, catalogue: Catalogue, order: DateOrder | None, check_dates: bool):
        self.evaluation = evaluation
        self.catalogue = catalogue
        self.order = order
        self.where = evaluation.match.columns
        self.check_dates = check_dates
        self.today = timezone.localdate()
        self.centres = _with_short_numbers(catalogue.centres)
        qualifications = {rules.code.casefold(): rules for rules in catalogue.qualifications}
        self.qualifications = _with_short_numbers(qualifications)
        self.series: dict[str, Series] = {}
        for series in catalogue.series:
            self.series.setdefault(" ".join(series.name.casefold().split()), series)
        for series in catalogue.series:
            self.series[series.code.casefold()] = series  # a code wins over another series' name
        self.component_columns = {
            name.removeprefix(COMPONENT): index for name, index in self.where.items() if name.startswith(COMPONENT)
        }
        self.memo: dict[tuple[str, str], Any] = {}

    def _cached(self, kind: str, key: str, compute: Callable[[], T]) -> T:
        found = self.memo.get((kind, key), self)
        if found is self:
            try:
                found = compute()
            except _Refused as refused:
                found = refused
            self.memo[(kind, key)] = found
        if isinstance(found, _Refused):
            raise found
        return cast(T, found)

    def read(self, number: int, cells: list[Cell]) -> Row | None:
        where = self.where
        problems_before = len(self.evaluation.problems)
        values: dict[str, Any] = {}

        def take(name: str, clean: Callable[[Cell], Any]) -> None:
            index = where.get(name)
            cell = cells[index] if index is not None else None
            try:
                values[name] = clean(cell)
            except _Refused as refused:
                self.evaluation.reject(number, self.evaluation.header(name), cell_text(cell), refused.reason)

        take("centre", self._centre)
        take("series", self._series)
        take("qualification", self._qualification)
        take("candidate_number", _candidate_number)
        take("unique_id", _unique_id)
        take("first_name", _name)
        take("last_name", _name)
        take("date_of_birth", self._birth_date)
        take("status", self._status)
        if "centre" in values:
            exam_centre: CentreRef = values["centre"]
            take("preparation_centre", lambda cell: self._preparation_centre(cell, exam_centre))
        identity = ("centre", "series", "qualification", "candidate_number", "unique_id", "first_name", "last_name")
        if not all(name in values for name in identity):
            return None
        rules: QualificationRules = values["qualification"]
        graded = None
        if "status" in values:
            graded = self._grade(number, cells, rules, values["status"])
        row = Row(
            number=number,
            centre=values["centre"],
            series=values["series"],
            rules=rules,
            candidate_number=values["candidate_number"],
            unique_id=values["unique_id"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            date_of_birth=values.get("date_of_birth"),
            preparation_centre_id=values.get("preparation_centre"),
            graded=graded if len(self.evaluation.problems) == problems_before else None,
        )
        return row

    # Columns with few distinct values are cleaned once per value.

    def _centre(self, cell: Cell) -> CentreRef:
        text = cell_text(cell).strip().upper()
        return self._cached("centre", text, lambda: self._find_centre(text, "The centre number is missing."))

    def _find_centre(self, text: str, missing: str) -> CentreRef:
        if not text:
            raise _Refused(missing)
        found = self.centres.get(text) or self.centres.get(_short(text))
        if found is None:
            raise _Refused(f"There is no centre {text} at this board.")
        return found

    def _series(self, cell: Cell) -> Series:
        if isinstance(cell, datetime.date):  # "2026-06" typed into a spreadsheet becomes 1 June 2026
            day = cell.date() if isinstance(cell, datetime.datetime) else cell
            for key in (f"{day:%Y-%m}", f"{MONTH_NAMES[day.month - 1]} {day.year}".casefold()):
                if key in self.series:
                    return self.series[key]
        text = cell_text(cell)
        return self._cached("series", text, lambda: self._find_series(text))

    def _find_series(self, text: str) -> Series:
        key = " ".join(text.casefold().split())
        if not key:
            raise _Refused("The series is missing.")
        if key in self.series:
            return self.series[key]
        known = ", ".join(f"{s.code} ({s.name})" for s in self.catalogue.series[:6])
        raise _Refused(
            f"There is no series '{text.strip()}'. Use a series code or name"
            + (f"; this board has {known}." if known else ".")
        )

    def _qualification(self, cell: Cell) -> QualificationRules:
        text = cell_text(cell).strip()
        return self._cached("qualification", text, lambda: self._find_qualification(text))

    def _find_qualification(self, text: str) -> QualificationRules:
        if not text:
            raise _Refused("The qualification is missing.")
        key = text.casefold()
        found = self.qualifications.get(key) or self.qualifications.get(_short(key))
        if found is None:
            known = ", ".join(sorted(rules.code for rules in self.catalogue.qualifications)[:12])
            raise _Refused(
                f"There is no qualification '{text}' at this board" + (f" (its codes: {known})." if known else ".")
            )
        return found

    def _status(self, cell: Cell) -> str:
        text = cell_text(cell)
        return str(self._cached("status", text, lambda: _clean_status(text)))

    def _birth_date(self, cell: Cell) -> datetime.date | None:
        if not self.check_dates or cell is None:
            return None
        if isinstance(cell, datetime.date):
            return self._possible_birth_date(cell.date() if isinstance(cell, datetime.datetime) else cell)
        text = cell_text(cell)
        if not text.strip():
            return None
        return self._cached("date_of_birth", text, lambda: self._parse_birth_date(cell))

    def _parse_birth_date(self, cell: Cell) -> datetime.date:
        try:
            born = parse_date(cell, self.order)
        except ValueError as error:
            raise _Refused(str(error)) from None
        return self._possible_birth_date(born)

    def _possible_birth_date(self, born: datetime.date) -> datetime.date:
        if born > self.today or born.year < 1900:
            raise _Refused(f"{born:%d %B %Y} is not a possible date of birth. Check the year.")
        return born

    def _preparation_centre(self, cell: Cell, exam_centre: CentreRef) -> int | None:
        text = cell_text(cell).strip().upper()
        if not text:
            return None

        def find() -> int:
            found = self._find_centre(text, "")
            if (found.pk, exam_centre.pk) not in self.catalogue.preparation_links:
                raise _Refused(
                    f"Centre {found.number} is not a preparation centre linked to centre {exam_centre.number}."
                )
            return found.pk

        return int(self._cached("preparation_centre", f"{text}>{exam_centre.number}", find))

    # Scores, overall score and grade.

    def _grade(self, number: int, cells: list[Cell], rules: QualificationRules, status: str) -> GradedRow | None:
        """The row's result, graded; None when the row has a problem (each one is recorded)."""
        evaluation = self.evaluation
        problems_before = len(evaluation.problems)
        scores: dict[str, ComponentScore] = {}
        missing: list[Component] = []
        for component in rules.components:
            index = self.component_columns.get(component.code)
            cell = cells[index] if index is not None else None
            try:
                value = self._score(cell, rules, component)
            except _Refused as refused:
                header = evaluation.header(COMPONENT + component.code)
                evaluation.reject(number, header, cell_text(cell), refused.reason)
                continue
            if value is None:
                missing.append(component)
            else:
                scores[component.code] = value
        for code, index in self.component_columns.items():
            if code not in rules.codes and cells[index] is not None and cell_text(cells[index]).strip():
                evaluation.reject(
                    number,
                    evaluation.header(COMPONENT + code),
                    cell_text(cells[index]),
                    f"{rules.code} has no component {code}: leave this cell empty on {rules.code} rows.",
                )
        overall = self._overall(number, cells)
        grade_given = self._text("grade", cells).strip() or None
        if missing and status == Result.Status.ISSUED:
            for component in missing:
                reason = (
                    f"The score for {component.name} ({component.code}) is missing: give a score, "
                    "'absent' or 'exempt' (or mark the row pending or withheld)."
                )
                if component.code not in self.component_columns:
                    reason = f"The file has no {component.code} column, which {rules.code} needs for {component.name}."
                evaluation.reject(number, evaluation.header(COMPONENT + component.code), "", reason)
        elif missing and (isinstance(overall, Decimal) or grade_given is not None):
            name = "overall" if isinstance(overall, Decimal) else "grade"
            codes = ", ".join(component.code for component in missing)
            evaluation.reject(
                number,
                evaluation.header(name),
                self._text(name, cells),
                f"An overall score or grade cannot be checked while {codes} has no score: leave it empty.",
            )
        if len(evaluation.problems) > problems_before or overall is False:
            return None
        if missing:  # pending or withheld, not every component in yet: kept as given, not graded
            stored = {code: value.as_json() for code, value in scores.items()}
            return GradedRow(status, stored, None, "", "", "", False)
        try:
            return grade_row(
                qualification=rules.qualification,
                scores=scores,
                status=status,
                overall_given=overall if isinstance(overall, Decimal) else None,
                grade_given=grade_given,
                components=rules.components,
                bands=rules.bands,
            )
        except GradingError as error:
            reason = str(error)
            name = "grade" if reason.startswith("The grade") else "overall"
            evaluation.reject(number, evaluation.header(name), self._text(name, cells), reason)
            return None

    def _text(self, name: str, cells: list[Cell]) -> str:
        index = self.where.get(name)
        return cell_text(cells[index]) if index is not None else ""

    def _score(self, cell: Cell, rules: QualificationRules, component: Component) -> ComponentScore | None:
        if cell is None:
            return None
        text = cell_text(cell)
        return self._cached(f"score:{rules.pk}:{component.code}", text, lambda: _component_score(text, component))

    def _overall(self, number: int, cells: list[Cell]) -> Decimal | None | bool:
        """The given overall score, None when not given, False when it is not a number (a problem is recorded)."""
        text = self._text("overall", cells).strip()
        if not text:
            return None
        score = _decimal(text)
        if score is None:
            self.evaluation.reject(
                number, self.evaluation.header("overall"), text, f"'{text}' is not an overall score: write a number."
            )
            return False
        return score


def _short(text: str) -> str:
    """'00123' → '123': a spreadsheet drops leading zeros of codes that look like numbers."""
    return text.lstrip("0") if text.isdigit() else text


def _with_short_numbers(items: dict[str, T]) -> dict[str, T]:
    """The lookup, plus each all-digit key without its leading zeros when no other key reads the same."""
    shortened = Counter(_short(key) for key in items if key.isdigit() and key.startswith("0"))
    extra = {
        _short(key): value
        for key, value in items.items()
        if key.isdigit() and key.startswith("0") and shortened[_short(key)] == 1 and _short(key) not in items
    }
    return {**extra, **items}


def _candidate_number(cell: Cell) -> str:
    if isinstance(cell, NumberCell):
        value = cell.value
        if isinstance(value, int) and 0 <= value <= 9999:
            return f"{value:04d}"
        raise _Refused(f"'{cell.text}' is not a candidate number: it must be 4 digits, such as 0042.")
    text = cell_text(cell).strip()
    if not text:
        raise _Refused("The candidate number is missing.")
    if _SHORT_NUMBER.fullmatch(text):
        return text.zfill(4)  # a spreadsheet that read 0042 as a number wrote 42
    raise _Refused(f"'{text}' is not a candidate number: it must be 4 digits, such as 0042.")


def _unique_id(cell: Cell) -> str:
    try:
        return validation.clean_unique_id(cell_text(cell))
    except validation.FieldProblem as problem:
        raise _Refused(str(problem)) from None


def _name(cell: Cell) -> str:
    try:
        return validation.clean_name(cell_text(cell))
    except validation.FieldProblem as problem:
        raise _Refused(str(problem)) from None


def _clean_status(text: str) -> str:
    key = text.strip().casefold()
    if key not in STATUS_WORDS:
        raise _Refused(f"'{text.strip()}' is not a status: use issued, pending or withheld (empty means issued).")
    return STATUS_WORDS[key]


def _decimal(text: str) -> Decimal | None:
    text = text.strip()
    if not _SCORE.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _component_score(text: str, component: Component) -> ComponentScore | None:
    key = text.strip().casefold()
    if not key:
        return None
    if key in ABSENT_WORDS:
        return ComponentScore(ComponentState.ABSENT)
    if key in EXEMPT_WORDS:
        return ComponentScore(ComponentState.EXEMPT)
    score = _decimal(key)
    if score is None:
        raise _Refused(f"'{text.strip()}' is not a score for {component.name}: write a number, 'absent' or 'exempt'.")
    if not component.min_score <= score <= component.max_score:
        raise _Refused(
            f"{text.strip()} is outside the scale of {component.name} ({component.code}), "
            f"{plain(component.min_score)} to {plain(component.max_score)}."
        )
    return ComponentScore(ComponentState.SCORED, score)


def _check_across_rows(evaluation: Evaluation) -> None:
    """Rows that contradict each other: the same entry twice, one candidate number for two candidates, and one
    candidate with two names or dates of birth. Every row involved is left out."""
    entries: dict[tuple[int, int, int, str], list[int]] = {}
    numbers: dict[tuple[int, int, str], dict[str, list[int]]] = {}
    people: dict[tuple[int, str], list[Row]] = {}
    for row in evaluation.rows:
        entries.setdefault((row.centre.pk, row.series.pk, row.rules.pk, row.unique_id), []).append(row.number)
        by_id = numbers.setdefault((row.centre.pk, row.series.pk, row.candidate_number), {})
        by_id.setdefault(row.unique_id, []).append(row.number)
        people.setdefault((row.centre.pk, row.unique_id), []).append(row)
    for row in evaluation.rows:
        found = entries[(row.centre.pk, row.series.pk, row.rules.pk, row.unique_id)]
        if len(found) > 1:
            evaluation.reject(
                row.number,
                evaluation.header("unique_id"),
                row.unique_id,
                f"Candidate {row.unique_id}'s {row.rules.code} entry in {row.series.name} is on more than one row "
                f"(rows {rows_text(found)}): keep one.",
            )
        holders = numbers[(row.centre.pk, row.series.pk, row.candidate_number)]
        if len(holders) > 1:
            involved = [number for found_rows in holders.values() for number in found_rows]
            evaluation.reject(
                row.number,
                evaluation.header("candidate_number"),
                row.candidate_number,
                f"Candidate number {row.candidate_number} is given to more than one candidate at centre "
                f"{row.centre.number} in {row.series.name} (rows {rows_text(involved)}).",
            )
    for (_, unique_id), same_id in people.items():
        if len(same_id) < 2:
            continue
        names = {name_key(row.first_name, row.last_name) for row in same_id}
        births = {row.date_of_birth for row in same_id if row.date_of_birth is not None}
        if len(names) > 1 or len(births) > 1:
            what = "names" if len(names) > 1 else "dates of birth"
            numbers_text = rows_text(row.number for row in same_id)
            for row in same_id:
                evaluation.reject(
                    row.number,
                    evaluation.header("unique_id"),
                    unique_id,
                    f"Rows {numbers_text} give candidate {unique_id} at centre {row.centre.number} different {what}.",
                )


def _date_examples(table: Table, index: int, count: int = 3) -> list[str]:
    texts = Counter(cell_text(cells[index]) for _, cells in table.rows if isinstance(cells[index], str))
    return [text for text, _ in texts.most_common(count) if text]
