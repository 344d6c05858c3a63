"""An information system's sync through the REST API at 100,000 candidates, against the spreadsheet import.

Upserts the rows through `POST /api/v1/candidate-batches` in pages of 1,000 and reads them back with
`GET /api/v1/candidates?updated_since=…` (cursor pages of 1,000), through the whole request stack (middleware,
key check, rate limit, JSON validation, the same service as the import) with Django's in-process client; then
commits the same rows as a CSV with the spreadsheet import (transfer.candidate_import), in the same run on the
same database. Prints rows per second and the ratio (target, issue 19: the API upsert at least half the import's
rate).

    .venv/bin/python bench/api_sync.py [--rows 100000] [--page 1000] [--database postgres://…/examdesk_bench_api]

Without --database it measures on a fresh SQLite file in a temporary folder (the embedded default).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from candidates_import import database_afresh, make_csv, make_rows  # noqa: E402


def as_api(row: list[object]) -> dict[str, object]:
    unique_id, first, last, born, gender, nationality, ethnicity, sen, upn, email, groups, _ = row
    return {
        "unique_id": unique_id,
        "first_name": first,
        "last_name": last,
        "date_of_birth": born.isoformat(),  # type: ignore[attr-defined]
        "gender": gender,
        "nationality": nationality,
        "ethnicity": ethnicity,
        "sen_status": sen,
        "upn": upn,
        "email": email,
        "groups": [groups],
        "is_active": True,
    }


def measure(rows: int, page: int, folder: Path) -> dict[str, float]:
    """Runs inside a process whose DATABASE_URL names the database to measure."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the rate limits' counters (the embedded default's cache)
    settings.EXAMDESK_API_RATE_PER_MINUTE = 1_000_000
    from examdesk.accounts.models import User
    from examdesk.api.keys import CENTRE_FAMILIES, api_key_create
    from examdesk.centres.models import Membership, Role
    from examdesk.centres.services import board_get_or_create, centre_create
    from examdesk.core.time import now
    from examdesk.people.models import VocabularyTerm
    from examdesk.people.services import vocabulary_load
    from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN
    from examdesk.transfer.candidate_import import candidate_import_commit

    board = board_get_or_create(name="Benchmark board")
    vocabulary_load(board=board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
    vocabulary_load(board=board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
    stamp = str(int(time.time() * 1000))[-6:]
    data = make_rows(rows)
    figures: dict[str, float] = {}

    centre = centre_create(board=board, number=f"API{stamp}", name="Bench API", country="GB", time_zone="Europe/London")
    admin = User.objects.create_user(email=f"bench{stamp}@example.org", password=None)
    Membership.objects.create(user=admin, centre=centre, role=Role.CENTRE_ADMIN)
    token = api_key_create(
        actor=admin,
        name="bench",
        scopes=dict.fromkeys(CENTRE_FAMILIES, "write"),
        expires_at=now() + timedelta(days=1),
        centre=centre,
    ).token
    client = Client(headers={"Authorization": f"Bearer {token}"}, HTTP_HOST="127.0.0.1")
    bodies = [
        json.dumps({"candidates": [as_api(row) for row in data[start : start + page]]})
        for start in range(0, rows, page)
    ]
    since = now()
    started = time.perf_counter()
    for number, body in enumerate(bodies):
        response = client.post(
            "/api/v1/candidate-batches",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": f"page-{number}"},
        )
        assert response.status_code == 200, response.content[:500]
    figures["API upsert (create)"] = time.perf_counter() - started

    started = time.perf_counter()
    read, cursor = 0, None
    while True:
        params = {"updated_since": since.isoformat(), "limit": str(page), **({"cursor": cursor} if cursor else {})}
        answer = client.get("/api/v1/candidates", params).json()
        read += len(answer["items"])
        cursor = answer["next_cursor"]
        if not cursor:
            break
    figures["API read back (updated_since)"] = time.perf_counter() - started
    assert read == rows, read

    started = time.perf_counter()
    for number, body in enumerate(bodies):
        response = client.post(
            "/api/v1/candidate-batches",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": f"again-{number}"},
        )
        assert response.json()["unchanged"] == len(json.loads(body)["candidates"])
    figures["API upsert again (all unchanged)"] = time.perf_counter() - started

    csv_data = make_csv(data)
    imported = centre_create(board=board, number=f"IMP{stamp}", name="Bench import", country="GB", time_zone="UTC")
    started = time.perf_counter()
    result = candidate_import_commit(actor=None, centre=imported, data=csv_data)
    figures["spreadsheet import (CSV commit)"] = time.perf_counter() - started
    assert result.counts.created == rows
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=1000)
    parser.add_argument("--database", help="a PostgreSQL URL: dropped and created afresh (default: SQLite)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: measure in this process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.rows, args.page, Path(args.measure))))
        return
    with tempfile.TemporaryDirectory() as folder:
        files = Path(folder)
        if args.database:
            database_afresh(args.database)
        url = args.database or f"sqlite:///{files / 'bench.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": url, "EXAMDESK_VAR_DIR": str(files / "var")}
        out = subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--page", str(args.page), "--measure", str(files)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        name = "PostgreSQL" if args.database else "SQLite"
        baseline = args.rows / figures["spreadsheet import (CSV commit)"]
        print(f"{name}, {args.rows:,} candidates, API pages of {args.page:,}:")
        for step, seconds in figures.items():
            rate = args.rows / seconds
            print(f"  {step:<36} {seconds:6.1f} s  {rate:9,.0f} rows/s  x{rate / baseline:5.2f} vs the import")
        ratio = (args.rows / figures["API upsert (create)"]) / baseline
        verdict = "meets" if ratio >= 0.5 else "misses"
        print(f"API upsert at {ratio:.2f}x the spreadsheet import's rate: {verdict} the target of at least 0.5x.")


if __name__ == "__main__":
    main()
