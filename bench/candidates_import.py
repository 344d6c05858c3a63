"""Candidate import at 100,000 rows: preview and commit, XLSX, CSV and OneRoster 1.2, on PostgreSQL and SQLite.

Prints rows per second for each step and the ratio against a baseline measured in the same run on
the same database: an openpyxl row loop with one ORM save per row (the way such imports are often
written). The baseline runs on the first 5,000 rows, right before and right after the imports (the ratio uses
the mean of the two), and is reported as rows per second.
Target (issue 3): the 100,000-row commit on PostgreSQL within 15 s and at least 10x the baseline; the same for
a 100,000-student OneRoster package (issue 17), with classes, enrollments, demographics and extension columns.

    .venv/bin/python bench/candidates_import.py [--rows 100000] [--postgres postgres://postgres@127.0.0.1:5432/examdesk_bench]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE_ROWS = 5000
HEADERS = [
    "Unique ID",
    "First name",
    "Last name",
    "Date of birth",
    "Gender",
    "Nationality",
    "Ethnicity",
    "SEN status",
    "UPN",
    "E-mail address",
    "Groups",
    "Active",
]


def make_rows(count: int) -> list[list[object]]:
    return [
        [
            f"{n:07d}",
            f"First{n}",
            f"Last{n % 997}",
            date(2010 + n % 5, 1 + n % 12, 1 + n % 28),
            "FMX"[n % 3],
            ["GB", "PT", "PL"][n % 3],
            "WBRI",
            "N",
            "",
            f"c{n}@example.org",
            f"Year {7 + n % 5}",
            "Yes",
        ]
        for n in range(count)
    ]


def make_xlsx(rows: list[list[object]]) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = workbook.add_worksheet("Candidates")
    as_date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADERS)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(number, column, value, as_date)
            else:
                sheet.write_string(number, column, str(value))
    workbook.close()
    return buffer.getvalue()


def make_csv(rows: list[list[object]]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([value.isoformat() if isinstance(value, date) else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")


ONEROSTER_USERS = [
    "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName", "familyName",
    "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password",
    "userMasterIdentifier", "preferredGivenName", "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId",
    "pronouns", "metadata.nationality", "metadata.ethnicity", "metadata.senStatus",
]  # fmt: skip
CLASSES_PER_YEAR = 40


def make_oneroster(rows: list[list[object]]) -> bytes:
    """A OneRoster 1.2 bulk package of the same students: one class each (Year 7 to 11, 40 classes a year)."""
    import csv
    import zipfile

    def table(header: list[str], records: Sequence[Sequence[object]]) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(records)
        return buffer.getvalue().encode("utf-8")

    school = "org-bench"
    classes = [(f"cls-{year}-{n}", f"Year {year} set {n}") for year in range(7, 12) for n in range(CLASSES_PER_YEAR)]
    users, roles, enrollments, demographics = [], [], [], []
    for index, row in enumerate(rows):
        unique_id, first, last, born, gender, nationality, ethnicity, sen, _upn, email, _groups, _active = row
        person = f"usr-{unique_id}"
        users.append([person, "", "", "true", f"user{index}", "", first, last, "", unique_id, email, "", "", "", "",
                      "", "", "", "", "", school, "", nationality, ethnicity, sen])  # fmt: skip
        roles.append([f"rol-{unique_id}", "", "", person, "primary", "student", "", "", school, ""])
        class_id = classes[index % len(classes)][0]
        enrollments.append([f"enr-{unique_id}", "", "", class_id, school, person, "student", "", "", ""])
        sex = {"F": "female", "M": "male", "X": "other"}[str(gender)]
        assert isinstance(born, date)
        demographics.append([person, "", "", born.isoformat(), sex, *[""] * 11])
    files = {
        "manifest.csv": table(["propertyName", "value"], [
            ["manifest.version", "1.0"], ["oneroster.version", "1.2"], ["file.academicSessions", "bulk"],
            ["file.classes", "bulk"], ["file.courses", "bulk"], ["file.demographics", "bulk"],
            ["file.enrollments", "bulk"], ["file.orgs", "bulk"], ["file.roles", "bulk"], ["file.users", "bulk"],
        ]),
        "orgs.csv": table(["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
                          [[school, "", "", "Bench school", "school", "", ""]]),
        "academicSessions.csv": table(
            ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId",
             "schoolYear"], [["as-2026", "", "", "2025-2026", "schoolYear", "2025-09-01", "2026-08-31", "", "2026"]]),
        "courses.csv": table(
            ["sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades",
             "orgSourcedId", "subjects", "subjectCodes"], [["crs-1", "", "", "as-2026", "Tutor group", "", "", school,
                                                            "", ""]]),
        "classes.csv": table(
            ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType",
             "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"],
            [[class_id, "", "", title, "", "crs-1", "", "homeroom", "", school, "as-2026", "", "", ""]
             for class_id, title in classes]),
        "users.csv": table(ONEROSTER_USERS, users),
        "roles.csv": table(["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
                            "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"], roles),
        "enrollments.csv": table(["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
                                  "userSourcedId", "role", "primary", "beginDate", "endDate"], enrollments),
        "demographics.csv": table(
            ["sourcedId", "status", "dateLastModified", "birthDate", "sex", "americanIndianOrAlaskaNative", "asian",
             "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander", "white",
             "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity", "countryOfBirthCode",
             "stateOfBirthAbbreviation", "cityOfBirth", "publicSchoolResidenceStatus"], demographics),
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


FILES = {"xlsx": "candidates.xlsx", "csv": "candidates.csv", "oneroster": "candidates.zip"}


def baseline_rows(rows: int) -> int:
    return min(rows, BASELINE_ROWS)


def measure_one_database(rows: int, files: Path) -> dict[str, float]:
    """Runs inside a process whose DATABASE_URL names the database to measure."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from examdesk.centres.services import board_get_or_create, centre_create
    from examdesk.people.models import VocabularyTerm
    from examdesk.people.services import vocabulary_load
    from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN
    from examdesk.transfer.candidate_import import candidate_import_commit, candidate_import_preview

    board = board_get_or_create(name="Benchmark board")
    vocabulary_load(board=board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
    vocabulary_load(board=board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
    stamp = str(int(time.time() * 1000))[-6:]
    figures: dict[str, float] = {}
    # The baseline right before and right after the imports, so a change in the machine's load during the
    # run moves both sides of the ratio alike; the ratio uses their mean.
    figures["baseline before"] = _baseline_seconds(board=board, centre_number=f"BB{stamp}", files=files, rows=rows)
    for kind, name in FILES.items():
        data = (files / name).read_bytes()
        centre = centre_create(
            board=board,
            number=f"B{kind[0].upper()}{stamp}",
            name=f"Bench {kind}",
            country="GB",
            time_zone="Europe/London",
        )
        started = time.perf_counter()
        preview = candidate_import_preview(centre=centre, data=data)
        figures[f"{kind} preview"] = time.perf_counter() - started
        assert preview.new == rows, (preview.new, preview.evaluation.problems[:3])
        started = time.perf_counter()
        result = candidate_import_commit(actor=None, centre=centre, data=data)
        figures[f"{kind} commit"] = time.perf_counter() - started
        assert result.counts.created == rows
        started = time.perf_counter()
        candidate_import_commit(actor=None, centre=centre, data=data)
        figures[f"{kind} commit again (all unchanged)"] = time.perf_counter() - started
    figures["baseline after"] = _baseline_seconds(board=board, centre_number=f"BA{stamp}", files=files, rows=rows)

    return figures


def _baseline_seconds(*, board: Any, centre_number: str, files: Path, rows: int) -> float:
    """The baseline: an openpyxl row loop, one ORM save per row, on the first BASELINE_ROWS rows."""
    import openpyxl  # type: ignore[import-untyped]

    from examdesk.centres.services import centre_create
    from examdesk.people.models import Candidate

    centre = centre_create(
        board=board, number=centre_number, name="Bench baseline", country="GB", time_zone="Europe/London"
    )
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(files / "candidates.xlsx", read_only=True)
    for number, row in enumerate(workbook.active.iter_rows(min_row=2, values_only=True), start=1):
        Candidate(
            centre=centre,
            unique_id=str(row[0]),
            first_name=str(row[1]),
            last_name=str(row[2]),
            date_of_birth=row[3].date() if row[3] else None,
            gender=str(row[4]),
        ).save()
        if number == baseline_rows(rows):
            break
    return time.perf_counter() - started


def database_afresh(url: str) -> None:
    """Drop and create the database that `url` names (on its own server, as its own user), so every run
    measures on empty tables."""
    import environ
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    config = environ.Env.db_url_config(url)
    server = {key.lower(): str(config[key]) for key in ("HOST", "PORT", "USER", "PASSWORD") if config.get(key)}
    conninfo = make_conninfo(dbname="postgres", **server)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        name = sql.Identifier(config["NAME"])
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/examdesk_bench",
        help="the PostgreSQL database to measure on: dropped and created afresh",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: measure in this process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_one_database(args.rows, Path(args.measure))))
        return

    with tempfile.TemporaryDirectory() as folder:
        files = Path(folder)
        print(f"Making a {args.rows:,}-row XLSX and CSV and a {args.rows:,}-student OneRoster package…", flush=True)
        rows = make_rows(args.rows)
        (files / "candidates.xlsx").write_bytes(make_xlsx(rows))
        (files / "candidates.csv").write_bytes(make_csv(rows))
        (files / "candidates.zip").write_bytes(make_oneroster(rows))
        database_afresh(args.postgres)
        databases = {"PostgreSQL": args.postgres, "SQLite": f"sqlite:///{files / 'bench.sqlite3'}"}
        for name, url in databases.items():
            env = {**os.environ, "DATABASE_URL": url, "EXAMDESK_VAR_DIR": str(files / "var")}
            out = subprocess.run(
                [sys.executable, __file__, "--rows", str(args.rows), "--measure", str(files)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            before, after = figures.pop("baseline before"), figures.pop("baseline after")
            base = baseline_rows(args.rows)
            baseline_rate = base / ((before + after) / 2)
            print(
                f"\n{name}: baseline (openpyxl loop, one save per row) {baseline_rate:,.0f} rows/s "
                f"(before the imports {base / before:,.0f}, after {base / after:,.0f}; "
                f"load average {os.getloadavg()[0]:.1f})"
            )
            for step, seconds in figures.items():
                rate = args.rows / seconds
                print(f"  {step:<42} {seconds:6.1f} s  {rate:9,.0f} rows/s  x{rate / baseline_rate:6.1f} vs baseline")
            if name == "PostgreSQL":
                for kind in FILES:
                    seconds = figures[f"{kind} commit"]
                    ratio = args.rows / seconds / baseline_rate
                    met = "met" if seconds <= 15 and ratio >= 10 else "NOT met"
                    print(f"  target for {kind} (commit <= 15 s, >= 10x): {met} ({seconds:.1f} s, x{ratio:.1f})")


if __name__ == "__main__":
    main()
