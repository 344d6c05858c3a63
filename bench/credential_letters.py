"""How fast Results Online login letters are made, against the statements renderer in the same run.

Renders N login letters (names in Latin with diacritics, Greek and Cyrillic; two release lines each) as one
merged print file and as N single files for the zip (what the letters job does), and prints letters per second:
render only, and with each password hashed by the project's Argon2id hasher (the job hashes every new password
before writing its letter). Hashing is timed on a sample (--hash-sample, default 200) and the rate for N follows
from it; --hash-sample N hashes them all. The statements renderer (bench/statements.py data) runs in the same
process for comparison.

    .venv/bin/python bench/credential_letters.py [-n 5000] [--hash-sample 200]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import BinaryIO, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if not settings.configured:
    settings.configure(PASSWORD_HASHERS=["examdesk.accounts.hashers.Argon2idHasher"])
    django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from statements import NAMES, Sink, statements  # noqa: E402

from examdesk.access.credentials import hash_passwords, new_password, new_username  # noqa: E402
from examdesk.documents.letters import (  # noqa: E402
    CredentialLetterData,
    render_letter,
    render_letters,
)
from examdesk.documents.statements import render_statements  # noqa: E402


def letters(count: int) -> list[CredentialLetterData]:
    out = []
    for n in range(count):
        first, last = NAMES[n % len(NAMES)]
        out.append(
            CredentialLetterData(
                board_name="Examdesk Assessment Board",
                sign_in_url="http://127.0.0.1:8000/results/sign-in/",
                centre_name="Riverside International School",
                centre_number="10001",
                candidate_first_name=first,
                candidate_last_name=last,
                candidate_number=f"{n % 10000:04d}",
                username=new_username("10001"),
                password=new_password(),
                releases=(
                    ("B2 First", "June 2026", "13 August 2026, 09:00 (Europe/London)"),
                    ("A2 Key", "June 2026", "20 August 2026, 07:00 (Europe/London)"),
                ),
                contact="Ms Rivera, +44 1223 553554, exams@riverside.example.org",
                issue_date=date(2026, 6, 1),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="letters to render (default 5000)")
    parser.add_argument("--hash-sample", type=int, default=200, help="passwords hashed to time Argon2id")
    args = parser.parse_args()
    items = letters(args.n)

    started = time.perf_counter()
    render_letters(items, cast(BinaryIO, Sink()))
    merged = time.perf_counter() - started

    started = time.perf_counter()
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n, item in enumerate(items):
            archive.writestr(f"{n:05d}.pdf", render_letter(item))
    singles = time.perf_counter() - started

    sample = min(args.hash_sample, args.n)
    started = time.perf_counter()
    for item in items[:sample]:
        make_password(item.password)
    per_hash = (time.perf_counter() - started) / max(sample, 1)
    hashing = per_hash * args.n
    started = time.perf_counter()
    hash_passwords({n: item.password for n, item in enumerate(items[:sample])})  # what the letters job does
    per_hash_pooled = (time.perf_counter() - started) / max(sample, 1)
    hashing_pooled = per_hash_pooled * args.n

    count = min(args.n, 1000)
    started = time.perf_counter()
    render_statements(statements(count), cast(BinaryIO, Sink()))
    statement_rate = count / (time.perf_counter() - started)

    job = merged + singles
    print(f"Login letters, {args.n} candidates, one core:")
    print(f"  merged print file          {args.n / merged:8.0f} letters/s ({merged:.1f} s)")
    size = len(zipped.getvalue()) / 1e6
    print(f"  single files into the zip  {args.n / singles:8.0f} letters/s ({singles:.1f} s, {size:.1f} MB zip)")
    print(f"  render only (both files)   {args.n / job:8.0f} letters/s ({job:.1f} s)")
    print(f"  Argon2id per password      {per_hash * 1000:8.1f} ms (timed on {sample})")
    print(f"  with password hashing      {args.n / (job + hashing):8.0f} letters/s ({job + hashing:.1f} s)")
    cores = os.cpu_count() or 1
    print(f"  Argon2id on {cores} cores (the job) {per_hash_pooled * 1000:8.1f} ms per password, wall")
    print(
        f"  with hashing on {cores} cores     {args.n / (job + hashing_pooled):8.0f} letters/s "
        f"({job + hashing_pooled:.1f} s; {hashing / hashing_pooled:.1f}x faster hashing than one core)"
    )
    print(f"Statements of results (merged, {count}, same run): {statement_rate:.0f} pages/s")


if __name__ == "__main__":
    main()
