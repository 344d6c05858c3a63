"""Candidate import at 100,000 rows: preview and commit, XLSX and CSV, on PostgreSQL and SQLite.

Prints rows per second for each step and the ratio against a baseline measured in the same run on
the same database: an openpyxl row loop with one ORM save per row (the way such imports are often
written). The baseline runs on the first 5,000 rows and is reported as rows per second.
Target (issue 3): the 100,000-row commit on PostgreSQL within 15 s and at least 10x the baseline.

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
from datetime import date
from pathlib import Path

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
    from examdesk.people.models import Candidate, VocabularyTerm
    from examdesk.people.services import vocabulary_load
    from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN
    from examdesk.transfer.candidate_import import candidate_import_commit, candidate_import_preview

    board = board_get_or_create(name="Benchmark board")
    vocabulary_load(board=board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
    vocabulary_load(board=board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
    stamp = str(int(time.time() * 1000))[-6:]
    figures: dict[str, float] = {}
    for kind in ("xlsx", "csv"):
        data = (files / f"candidates.{kind}").read_bytes()
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

    # Baseline: openpyxl row loop, one ORM save per row, on the first BASELINE_ROWS rows.
    import openpyxl  # type: ignore[import-untyped]

    centre = centre_create(
        board=board, number=f"BB{stamp}", name="Bench baseline", country="GB", time_zone="Europe/London"
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
    figures["baseline"] = time.perf_counter() - started
    return figures


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
        print(f"Making a {args.rows:,}-row XLSX and CSV…", flush=True)
        rows = make_rows(args.rows)
        (files / "candidates.xlsx").write_bytes(make_xlsx(rows))
        (files / "candidates.csv").write_bytes(make_csv(rows))
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
            baseline_rate = baseline_rows(args.rows) / figures.pop("baseline")
            print(f"\n{name}: baseline (openpyxl loop, one save per row) {baseline_rate:,.0f} rows/s")
            for step, seconds in figures.items():
                rate = args.rows / seconds
                print(f"  {step:<36} {seconds:6.1f} s  {rate:9,.0f} rows/s  x{rate / baseline_rate:6.1f} vs baseline")


if __name__ == "__main__":
    main()
