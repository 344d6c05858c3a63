"""The board's results file at 50,000 rows for 20 centres: preview and commit on SQLite.

Generates the file (CSV; FCE, KET and IGCSE Mathematics rows, every candidate new), then measures in a fresh
SQLite database: the preview (read, check, compare; nothing written), the first commit (candidates, entries,
registrations and results created), the same file again (nothing changes) and a file with every score changed
(a new revision per entry). The baseline, measured in the same run on the same file, is the plain csv module
reading the rows into lists; each step is shown as rows/s and as a multiple of that baseline's time.

    .venv/bin/python bench/results_import.py [--rows 50000] [--centres 20]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS = [
    "Centre number",
    "Series",
    "Qualification",
    "Candidate number",
    "Candidate ID",
    "First name",
    "Last name",
    "Date of birth",
    "RD",
    "UE",
    "WR",
    "LI",
    "SP",
    "RW",
    "P2",
    "P4",
    "Overall",
    "Grade",
    "Status",
]
CENTRE_BASE = 90000


def make_csv(rows: int, centres: int, *, shift: int = 0) -> bytes:
    """`shift` adds to every Reading score (kept on the scale), so a second file changes every FCE result."""
    chooser = random.Random(2026)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    per_centre = -(-rows // centres)
    for n in range(rows):
        centre, position = divmod(n, per_centre)
        cells = dict.fromkeys(HEADERS, "")
        cells.update(
            {
                "Centre number": str(CENTRE_BASE + centre),
                "Series": "2026-06" if n % 2 else "June 2026",
                "Candidate number": f"{position + 1:04d}",
                "Candidate ID": f"C{centre:02d}-{position:05d}",
                "First name": f"First{n}",
                "Last name": f"Last{n % 997}",
                "Date of birth": f"{2008 + n % 5}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            }
        )
        kind = n % 10
        if kind < 6:
            cells["Qualification"] = "FCE"
            for code in ("RD", "UE", "WR", "LI", "SP"):
                cells[code] = str(chooser.randint(130, 185))  # B2 First: 122 to 190
            cells["RD"] = str(min(190, int(cells["RD"]) + shift))
            if n % 50 == 0:
                cells["SP"] = "absent"
        elif kind < 9:
            cells["Qualification"] = "KET"
            for code in ("RW", "LI", "SP"):
                cells[code] = str(chooser.randint(100, 150))
        else:
            cells["Qualification"] = "0580"
            cells["P2"] = str(chooser.randint(20, 70))
            cells["P4"] = str(chooser.randint(40, 130))
        if n % 100 == 7:
            cells["Status"] = "pending"
        writer.writerow(cells.values())
    return buffer.getvalue().encode("utf-8")


def measure(rows: int, centres: int, files: Path) -> dict[str, float]:
    """Runs inside a process whose DATABASE_URL names a fresh SQLite file."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from examdesk.catalogue.definitions import parse_text
    from examdesk.catalogue.services import qualifications_load, series_save
    from examdesk.centres.services import board_get_or_create, centre_create
    from examdesk.results.files import services as results_import

    board = board_get_or_create(name="Benchmark board")
    demo = ROOT / "examdesk" / "catalogue" / "data" / "demo_qualifications.yaml"
    qualifications_load(board=board, definitions=parse_text(demo.read_text(encoding="utf-8"), file_name=demo.name))
    series_save(board=board, code="2026-06", name="June 2026")
    for index in range(centres):
        number = str(CENTRE_BASE + index)
        centre_create(board=board, number=number, name=f"Centre {index}", country="GB", time_zone="Europe/London")
    first = (files / "results.csv").read_bytes()
    changed = (files / "results-changed.csv").read_bytes()
    figures: dict[str, float] = {}

    started = time.perf_counter()
    list(csv.reader(io.StringIO(first.decode("utf-8"), newline="")))
    figures["baseline"] = time.perf_counter() - started

    started = time.perf_counter()
    found = results_import.check(board=board, data=first)
    figures["preview (nothing written)"] = time.perf_counter() - started
    assert found.counts.new_results == rows and not found.evaluation.problems, found.evaluation.problems[:3]

    started = time.perf_counter()
    _, outcome = results_import.results_file_import(actor=None, board=board, data=first, file_name="results.csv")
    figures["commit (all new)"] = time.perf_counter() - started
    assert outcome.counts.new_results == rows and outcome.counts.new_candidates == rows, outcome.counts

    started = time.perf_counter()
    _, outcome = results_import.results_file_import(actor=None, board=board, data=first, file_name="results.csv")
    figures["same file again (unchanged)"] = time.perf_counter() - started
    assert outcome.counts.unchanged == rows, outcome.counts

    started = time.perf_counter()
    found = results_import.check(board=board, data=changed)
    figures["preview of changed scores"] = time.perf_counter() - started
    started = time.perf_counter()
    _, outcome = results_import.results_file_import(actor=None, board=board, data=changed, file_name="changed.csv")
    figures["commit of changed scores"] = time.perf_counter() - started
    assert outcome.counts.changed_results == found.counts.changed_results > 0, outcome.counts
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--centres", type=int, default=20)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: measure in this process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.rows, args.centres, Path(args.measure))))
        return
    with tempfile.TemporaryDirectory() as folder:
        files = Path(folder)
        print(f"Making a {args.rows:,}-row results file for {args.centres} centres…", flush=True)
        (files / "results.csv").write_bytes(make_csv(args.rows, args.centres))
        (files / "results-changed.csv").write_bytes(make_csv(args.rows, args.centres, shift=3))
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{files / 'bench.sqlite3'}",
            "EXAMDESK_VAR_DIR": str(files / "var"),
        }
        out = subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--centres", str(args.centres), "--measure", folder],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            sys.exit(out.stderr)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        baseline = figures.pop("baseline")
        rate = args.rows / baseline
        print(f"\nSQLite, {args.rows:,} rows. Baseline: csv module read {baseline:.2f} s ({rate:,.0f} rows/s)")
        for step, seconds in figures.items():
            rate = args.rows / seconds
            print(f"  {step:<30} {seconds:6.1f} s  {rate:8,.0f} rows/s  {seconds / baseline:6.0f}x the csv read")


if __name__ == "__main__":
    main()
