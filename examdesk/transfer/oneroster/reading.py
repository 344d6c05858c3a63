"""Read a OneRoster 1.1 or 1.2 CSV package (a zip) into the rows of a candidate file.

Students (role student) become rows with the template's columns, so the same checking, preview, problem report
and commit serve spreadsheets and packages. What a row cannot carry in a cell travels beside it: the person's
sourcedId, their classes (exact titles: a title may hold a comma), and where each value came from, so that a
problem names the file, the column and the row of the package. A package whose structure is wrong (no manifest,
a file missing, a header that is not OneRoster's) is refused as a whole with `UnreadableFile`, naming what to fix.
Pure: no database.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from examdesk.transfer import columns
from examdesk.transfer.headers import normalise_header
from examdesk.transfer.oneroster import binding
from examdesk.transfer.reading import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    FILE_TOO_LARGE,
    TOO_MANY_ROWS,
    ZIP_SIGNATURES,
    Cell,
    Table,
    UnreadableFile,
    garbage_collector_paused,
    megabytes,
    refuse_zip_bomb,
)

UNIQUE_ID_SOURCES = ("identifier", "username")
GROUP_NAME_MAX = 100
SOURCED_ID_MAX = 255
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Messages for people; tests assert these texts.
NOT_A_PACKAGE = "This zip is not a OneRoster package: it has no manifest.csv. {found}"
NOT_A_PACKAGE_FOUND = "It holds: {names}."
DAMAGED_PACKAGE = (
    "This zip archive is damaged and cannot be opened. Export the OneRoster package from your school's "
    "information system again and upload the new file."
)
BAD_MANIFEST = "manifest.csv must have the columns propertyName and value (its first row is: {header})."
UNKNOWN_VERSION = (
    "manifest.csv says oneroster.version is '{version}'; we read OneRoster 1.1 and 1.2 packages. "
    "Export the package as OneRoster 1.1 or 1.2."
)
NO_VERSION = "manifest.csv has no oneroster.version row: add the row oneroster.version,1.2 (or 1.1)."
MISSING_FILE = "The manifest lists {name} (file.{key} is {mode}) but the zip has no {name}."
NO_USERS = "The package has no users.csv, so it has no students to import."
NEEDS_FILE = "{name} is needed with {other} (it names the classes students are in), but the zip has no {name}."
MISSING_COLUMNS = "{name} has no column {missing}: its first row must hold the OneRoster {version} headers."
UNKNOWN_COLUMN = "{name} has a column '{header}' that is not in OneRoster {version}{hint}."
UNKNOWN_COLUMN_HINT = " (did you mean {suggestion}?)"
DUPLICATE_COLUMN = "{name} has the column {header} twice."
EMPTY_FILE = "{name} has no header row: its first row must hold the OneRoster {version} headers."
NOT_UTF8 = "{name} is not UTF-8 text, as OneRoster requires. Export the package again as UTF-8."
BROKEN_QUOTES = "{name}: near line {line} the quotation marks do not pair up. Export the package again."

NO_SOURCED_ID = "This student has no sourcedId."
NO_SOURCED_ID_FIX = "Every user in users.csv needs a sourcedId: export the package again."
LONG_SOURCED_ID = f"The sourcedId is longer than {SOURCED_ID_MAX} characters."
DUPLICATE_SOURCED_ID = "The sourcedId {sourced_id} is on more than one row of users.csv (rows {rows})."
DUPLICATE_SOURCED_ID_FIX = "Keep one row per person in users.csv."
NO_SUCH_CLASS = "enrollments.csv row {row} puts this student in the class {class_id}, which is not in classes.csv."
NO_SUCH_CLASS_FIX = "Add the class to classes.csv, or take the enrollment out of enrollments.csv."
BAD_DATE = "'{value}' is not a date written YYYY-MM-DD, as OneRoster requires (demographics.csv row {row})."
BAD_DATE_FIX = "Write the birth date as 2012-04-03 in your school's system, or leave it empty."

# The candidate columns a package fills, by field: (file, column) they come from.
FIELDS_FROM_USERS = {
    "first_name": "givenName",
    "last_name": "familyName",
    "email": "email",
    "is_active": "enabledUser",
}
FIELDS_FROM_DEMOGRAPHICS = {"date_of_birth": "birthDate", "gender": "sex"}
# Extension columns (metadata.<name>) that carry a field, matched on the last part of the name.
EXTENSION_FIELDS = ("nationality", "ethnicity", "sen_status", "upn")


@dataclass
class RowProblem:
    """A problem the package itself shows for one student (a class that does not exist, a bad date)."""

    row: int  # the student's row in users.csv
    column: str
    value: str
    reason: str
    fix: str


@dataclass
class Package:
    version: str
    mode: str  # the manifest's mode of users.csv: bulk or delta
    table: Table  # one row per student, the template's headers; row numbers are users.csv's
    # template header → where its values come from, e.g. "users.csv identifier"
    sources: dict[str, str]
    # demographics.csv row of each student (by users.csv row), to name it in problems
    demographics_rows: dict[int, int]
    sourced_ids: dict[int, str]  # users.csv row → the person's sourcedId
    groups: dict[int, list[str]] | None  # users.csv row → their classes' names; None: the package has no classes
    # A delta package's enrollments are changes: these classes are added to the student's groups, and those in
    # groups_removed (enrollments or classes to be deleted) taken away; the other groups stay.
    enrollments_delta: bool = False
    groups_removed: dict[int, list[str]] = field(default_factory=dict)
    # A delta package's demographics.csv holds only the changed records: a student without one keeps theirs.
    demographics_delta: bool = False
    row_problems: list[RowProblem] = field(default_factory=list)
    students: int = 0
    other_users: int = 0  # teachers, parents and others: not candidates


def is_package(data: bytes) -> bool:
    """Whether the bytes are a zip holding OneRoster files (not an XLSX or ODS, which are zips too)."""
    if not data.startswith(ZIP_SIGNATURES):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {posixpath.basename(name).casefold() for name in archive.namelist()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        return False
    if "[content_types].xml" in names or "mimetype" in names:
        return False
    return bool(names & {"manifest.csv", "users.csv", "enrollments.csv", "orgs.csv"})


class _Files:
    """The CSV members of the package by file name, wherever in the zip they are (some systems add a folder)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.members: dict[str, str] = {}
        for name in archive.namelist():
            if name.endswith("/") or name.startswith("__MACOSX/"):
                continue
            self.members.setdefault(posixpath.basename(name).casefold(), name)

    def has(self, name: str) -> bool:
        return name.casefold() in self.members

    def names(self) -> list[str]:
        return sorted(posixpath.basename(member) for member in self.members.values())

    def read(self, name: str) -> list[list[str]]:
        try:
            raw = self.archive.read(self.members[name.casefold()])
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
            raise UnreadableFile(DAMAGED_PACKAGE) from error
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile(NOT_UTF8.format(name=name)) from error
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            return list(reader)
        except csv.Error as error:
            raise UnreadableFile(BROKEN_QUOTES.format(name=name, line=reader.line_num)) from error


@dataclass
class _CsvFile:
    name: str
    headers: list[str]
    records: list[list[str]]  # the records after the header, blank lines left out; values, one per header
    numbers: Sequence[int]  # each record's number in the file, counting the header as 1

    @property
    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return zip(self.numbers, self.records, strict=True)

    def index(self, column: str) -> int | None:
        try:
            return self.headers.index(column)
        except ValueError:
            return None


def read_package(
    data: bytes,
    *,
    unique_id_from: str = "identifier",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Package:
    """The students of a OneRoster package as candidate rows; raise UnreadableFile when its structure is wrong."""
    if unique_id_from not in UNIQUE_ID_SOURCES:
        raise ValueError(f"unique_id_from must be one of {UNIQUE_ID_SOURCES}")
    if len(data) > max_bytes:
        raise UnreadableFile(
            FILE_TOO_LARGE.format(size=megabytes(len(data), round_up=True), limit=megabytes(max_bytes))
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise UnreadableFile(DAMAGED_PACKAGE) from error
    with archive, garbage_collector_paused():
        refuse_zip_bomb(archive)
        files = _Files(archive)
        version, modes = _read_manifest(files)
        tables = _read_files(files, version, modes, max_rows)
        return _students(tables, version, modes, unique_id_from)


def _read_manifest(files: _Files) -> tuple[str, dict[str, str]]:
    if not files.has(binding.MANIFEST):
        found = NOT_A_PACKAGE_FOUND.format(names=", ".join(files.names())) if files.names() else ""
        raise UnreadableFile(NOT_A_PACKAGE.format(found=found).strip())
    records = [record for record in files.read(binding.MANIFEST) if any(value.strip() for value in record)]
    header = [value.strip() for value in records[0]] if records else []
    if header[:2] != list(binding.MANIFEST_COLUMNS):
        raise UnreadableFile(BAD_MANIFEST.format(header=",".join(header) or "empty"))
    properties = {record[0].strip(): (record[1].strip() if len(record) > 1 else "") for record in records[1:]}
    version = properties.get("oneroster.version")
    if version is None:
        raise UnreadableFile(NO_VERSION)
    if version not in binding.VERSIONS:
        raise UnreadableFile(UNKNOWN_VERSION.format(version=version))
    modes = {
        key.removeprefix("file."): value.casefold()
        for key, value in properties.items()
        if key.startswith("file.") and value.casefold() in binding.MODES
    }
    return version, modes


def _read_files(files: _Files, version: str, modes: dict[str, str], max_rows: int) -> dict[str, _CsvFile]:
    """The files the import uses, with their headers checked; every structural problem at once."""
    problems: list[str] = []
    for key, mode in modes.items():
        name = f"{key}.csv"
        if mode != "absent" and not files.has(name):
            problems.append(MISSING_FILE.format(name=name, key=key, mode=mode))
    if not files.has("users.csv") and not any("users.csv" in problem for problem in problems):
        problems.append(NO_USERS)
    if files.has("enrollments.csv") and not files.has("classes.csv") and modes.get("classes") != "bulk":
        problems.append(NEEDS_FILE.format(name="classes.csv", other="enrollments.csv"))
    if problems:
        raise UnreadableFile(" ".join(problems))

    tables: dict[str, _CsvFile] = {}
    for name in ("users.csv", "classes.csv", "enrollments.csv", "demographics.csv", "roles.csv"):
        if name not in binding.COLUMNS[version] or not files.has(name):
            continue
        if modes.get(name.removesuffix(".csv")) == "absent":
            continue  # the manifest says the file is not part of this package
        records = files.read(name)
        table, file_problems = _checked(name, records, version, max_rows)
        problems.extend(file_problems)
        tables[name] = table
    if problems:
        raise UnreadableFile(" ".join(problems))
    return tables


def _checked(name: str, records: list[list[str]], version: str, max_rows: int) -> tuple[_CsvFile, list[str]]:
    first = next((index for index, record in enumerate(records) if any(record)), None)
    if first is None:
        return _CsvFile(name, [], [], []), [EMPTY_FILE.format(name=name, version=version)]
    headers = [value.strip() for value in records[first]]
    while headers and not headers[-1]:
        headers.pop()
    known = binding.COLUMNS[version][name]
    problems: list[str] = []
    for header in headers:
        if header in known or header.casefold().startswith(binding.METADATA_PREFIX):
            continue
        suggestions = difflib.get_close_matches(header, known, n=1, cutoff=0.75)
        hint = UNKNOWN_COLUMN_HINT.format(suggestion=suggestions[0]) if suggestions else ""
        problems.append(UNKNOWN_COLUMN.format(name=name, header=header, version=version, hint=hint))
    for header in sorted({header for header in headers if headers.count(header) > 1}):
        problems.append(DUPLICATE_COLUMN.format(name=name, header=header))
    required = binding.REQUIRED.get(name, ())
    if name == "users.csv" and version == "1.1":
        required = (*required, *binding.REQUIRED_1_1_USERS)
    missing = [column for column in required if column not in headers]
    if missing:
        problems.append(MISSING_COLUMNS.format(name=name, missing=" or ".join(missing), version=version))
    # Built without a loop of Python per record where the file needs none: users.csv may have 100,000.
    body = records[first + 1 :]
    numbers: Sequence[int] = range(first + 2, first + 2 + len(body))
    if not all(body):  # blank lines (read as empty records) are left out; the others keep their numbers
        kept = [(number, record) for number, record in zip(numbers, body, strict=True) if any(record)]
        numbers, body = [number for number, _ in kept], [record for _, record in kept]
    if len(body) > max_rows:
        problems.append(f"{name}: " + TOO_MANY_ROWS.format(limit=max_rows))
    width = len(headers)
    if any(len(record) != width for record in body):
        body = [record if len(record) == width else (record + [""] * width)[:width] for record in body]
    return _CsvFile(name, headers, body, numbers), problems


def _students(tables: dict[str, _CsvFile], version: str, modes: dict[str, str], unique_id_from: str) -> Package:
    users = tables["users.csv"]
    u = {column: users.index(column) for column in users.headers}
    sourced = u["sourcedId"]
    assert sourced is not None
    student_ids = _student_ids(tables, version)
    students = [(number, values) for number, values in users.rows if values[sourced].strip() in student_ids]

    demographics = tables.get("demographics.csv")
    by_person: dict[str, tuple[int, list[str]]] = {}
    if demographics is not None:
        demographics_id = demographics.index("sourcedId")
        assert demographics_id is not None
        for number, values in demographics.rows:
            by_person.setdefault(values[demographics_id].strip(), (number, values))

    # The table's columns: template header → a function of (users.csv values, demographics values or None).
    headers: list[str] = []
    sources: dict[str, str] = {}
    getters: list[tuple[str, int | None]] = []  # (file, column index) per table column

    def add(field_name: str, file: str, column: str, index: int | None) -> None:
        header = columns.BY_FIELD[field_name].header
        headers.append(header)
        sources[header] = f"{file} {column}"
        getters.append((file, index))

    id_index = u.get(unique_id_from)
    add("unique_id", "users.csv", unique_id_from, id_index)
    for field_name, column in FIELDS_FROM_USERS.items():
        if column in u:
            add(field_name, "users.csv", column, u[column])
    if demographics is not None:
        for field_name, column in FIELDS_FROM_DEMOGRAPHICS.items():
            if column in demographics.headers:
                add(field_name, "demographics.csv", column, demographics.index(column))
    for field_name, (file, column, index) in _extension_columns(users, demographics).items():
        add(field_name, file, column, index)

    # Column by column, each a list comprehension: a package may have 100,000 students of ten values each.
    numbers = [number for number, _ in students]
    records = [values for _, values in students]
    persons = [values[sourced].strip() for values in records]
    found = [by_person.get(person) for person in persons]
    others = [demographic[1] if demographic is not None else None for demographic in found]
    status = u.get("status")
    gone = [values[status].strip().casefold() in binding.GONE for values in records] if status is not None else None
    special = {columns.BY_FIELD[name].header: name for name in ("is_active", "gender", "date_of_birth")}
    problems: list[RowProblem] = []
    table_columns: list[list[Cell]] = []
    for header, (file, where) in zip(headers, getters, strict=True):
        if where is None:
            texts = [""] * len(records)
        elif file == "users.csv":
            texts = [values[where] for values in records]
        else:
            texts = [other[where] if other is not None else "" for other in others]
        name = special.get(header)
        if name == "is_active" and gone is not None:
            table_columns.append(["No" if left else (text or None) for text, left in zip(texts, gone, strict=True)])
        elif name == "gender":
            extension = demographics.index(binding.SEX_EXTENSION) if demographics is not None else None
            if extension is not None:  # 1.1 has no word for other sexes: an extension column carries them
                texts = [
                    text if text.strip() or other is None else other[extension]
                    for text, other in zip(texts, others, strict=True)
                ]
            sexes = {text: binding.SEX_TO_GENDER.get(text.strip().casefold(), text.strip()) or None for text in texts}
            table_columns.append([sexes[text] for text in texts])
        elif name == "date_of_birth":
            dates = {text: _iso_date(text.strip()) for text in set(texts)}  # birth dates repeat: each parsed once
            table_columns.append([dates[text] for text in texts])
            for position, text in enumerate(texts):
                if text.strip() and dates[text] is None:
                    row = found[position][0] if found[position] is not None else 0  # type: ignore[index]
                    column = f"demographics.csv birthDate (row {row})"
                    reason = BAD_DATE.format(value=text.strip(), row=row)
                    problems.append(RowProblem(numbers[position], column, text.strip(), reason, BAD_DATE_FIX))
        else:
            table_columns.append([text or None for text in texts])  # the checks trim spaces
    rows: list[tuple[int, list[Cell]]] = list(
        zip(numbers, [list(cells) for cells in zip(*table_columns, strict=True)], strict=True)
    )
    demographics_rows = {
        number: demographic[0] for number, demographic in zip(numbers, found, strict=True) if demographic
    }
    sourced_ids = dict(zip(numbers, persons, strict=True))
    seen: dict[str, list[int]] = {}
    for number, person in zip(numbers, persons, strict=True):
        seen.setdefault(person, []).append(number)
        if not person:
            problems.append(RowProblem(number, "users.csv sourcedId", "", NO_SOURCED_ID, NO_SOURCED_ID_FIX))
        elif len(person) > SOURCED_ID_MAX:
            problems.append(RowProblem(number, "users.csv sourcedId", person, LONG_SOURCED_ID, NO_SOURCED_ID_FIX))
    for person, numbers in seen.items():
        if person and len(numbers) > 1:
            reason = DUPLICATE_SOURCED_ID.format(sourced_id=person, rows=", ".join(map(str, numbers)))
            for number in numbers:
                problems.append(RowProblem(number, "users.csv sourcedId", person, reason, DUPLICATE_SOURCED_ID_FIX))

    groups, removed = _groups(tables, {person: numbers[0] for person, numbers in seen.items()}, problems)
    table = Table(format="oneroster", encoding=None, delimiter=None, headers=headers, rows=rows, sheet="users.csv")
    return Package(
        version=version,
        mode=modes.get("users", "bulk"),
        table=table,
        sources=sources,
        demographics_rows=demographics_rows,
        sourced_ids=sourced_ids,
        groups=groups,
        enrollments_delta=modes.get("enrollments") == "delta",
        groups_removed=removed,
        demographics_delta=modes.get("demographics") == "delta",
        row_problems=problems,
        students=len(students),
        other_users=len(users.records) - len(students),
    )


def _iso_date(text: str) -> datetime.date | None:
    """A date written YYYY-MM-DD, as OneRoster writes dates; None for anything else."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _student_ids(tables: dict[str, _CsvFile], version: str) -> set[str]:
    """The sourcedIds of the users who are students: users.csv's role in 1.1; in 1.2 roles.csv (or, without it,
    the users enrolled as students)."""
    users = tables["users.csv"]
    sourced = users.index("sourcedId")
    assert sourced is not None
    role = users.index("role")
    if version == "1.1" and role is not None:
        return {values[sourced].strip() for _, values in users.rows if _is_student(values[role])}
    roles = tables.get("roles.csv")
    if roles is not None:
        user, role_index = roles.index("userSourcedId"), roles.index("role")
        assert user is not None and role_index is not None
        return {values[user].strip() for _, values in roles.rows if _is_student(values[role_index])}
    enrollments = tables.get("enrollments.csv")
    if enrollments is None:
        return set()
    user, role_index = enrollments.index("userSourcedId"), enrollments.index("role")
    assert user is not None and role_index is not None
    return {values[user].strip() for _, values in enrollments.rows if _is_student(values[role_index])}


def _is_student(role: str) -> bool:
    return role.strip().casefold() == binding.STUDENT


def _extension_columns(users: _CsvFile, demographics: _CsvFile | None) -> dict[str, tuple[str, str, int]]:
    """field → (file, column, index) for extension columns such as metadata.nationality or metadata.uk.senStatus."""
    aliases = columns.aliases()
    wanted = {
        normalise_header(alias): name
        for name in EXTENSION_FIELDS
        for alias in [*aliases[name], name, "SEN" if name == "sen_status" else name]
    }
    found: dict[str, tuple[str, str, int]] = {}
    for file in (users, demographics):
        if file is None:
            continue
        for index, header in enumerate(file.headers):
            if not header.casefold().startswith(binding.METADATA_PREFIX):
                continue
            name = wanted.get(normalise_header(header.rsplit(".", 1)[-1]))
            if name is not None and name not in found:
                found[name] = (file.name, header, index)
    return found


def _groups(
    tables: dict[str, _CsvFile], student_rows: dict[str, int], problems: list[RowProblem]
) -> tuple[dict[int, list[str]] | None, dict[int, list[str]]]:
    """Each student's classes (by users.csv row) as group names, and the classes they leave (enrollments or classes
    to be deleted); None when the package has no enrollments."""
    enrollments, classes = tables.get("enrollments.csv"), tables.get("classes.csv")
    if enrollments is None:
        return None, {}
    names: dict[str, tuple[str, bool]] = {}  # class sourcedId → (group name, to be deleted)
    if classes is not None:
        names = _class_names(classes)
    e = {column: enrollments.index(column) for column in ("classSourcedId", "userSourcedId", "role", "status")}
    groups: dict[int, list[str]] = {row: [] for row in student_rows.values()}
    removed: dict[int, list[str]] = {}
    for number, values in enrollments.rows:
        person = values[e["userSourcedId"]].strip()  # type: ignore[index]
        row = student_rows.get(person)
        if row is None or not _is_student(values[e["role"]]):  # type: ignore[index]
            continue  # a teacher's or a parent's enrollment, or someone who is not in users.csv
        gone = e["status"] is not None and values[e["status"]].strip().casefold() in binding.GONE
        class_id = values[e["classSourcedId"]].strip()  # type: ignore[index]
        if class_id not in names:
            if gone:
                continue  # leaving a class the package does not describe: nothing to take away
            reason = NO_SUCH_CLASS.format(row=number, class_id=class_id)
            problems.append(RowProblem(row, f"enrollments.csv classSourcedId (row {number})", class_id, reason,
                                       NO_SUCH_CLASS_FIX))  # fmt: skip
            continue
        name, class_gone = names[class_id]
        if gone or class_gone:
            removed.setdefault(row, []).append(name)
        elif all(group.casefold() != name.casefold() for group in groups[row]):
            groups[row].append(name)
    return groups, removed


def _class_names(classes: _CsvFile) -> dict[str, tuple[str, bool]]:
    """class sourcedId → (the group name it becomes, whether it is to be deleted): its title, made unique with its
    class code when titles repeat."""
    c = {column: classes.index(column) for column in ("sourcedId", "title", "classCode", "status")}
    found: list[tuple[str, str, str, bool]] = []
    for _, values in classes.rows:
        class_id = values[c["sourcedId"]].strip()  # type: ignore[index]
        title = values[c["title"]].strip()  # type: ignore[index]
        code = values[c["classCode"]].strip() if c["classCode"] is not None else ""
        gone = c["status"] is not None and values[c["status"]].strip().casefold() in binding.GONE
        found.append((class_id, title or code or class_id, code, gone))
    titles = Counter(title.casefold() for _, title, _, _ in found)
    names: dict[str, tuple[str, bool]] = {}
    for class_id, title, code, gone in found:
        name = f"{title} ({code or class_id})" if titles[title.casefold()] > 1 else title
        names[class_id] = (name[:GROUP_NAME_MAX].strip(), gone)
    return names
