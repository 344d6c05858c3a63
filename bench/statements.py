"""How fast statements of results render: single files and one merged print file, on one core.

Renders N statements (names in Latin with diacritics, Greek and Cyrillic; each with its own QR code) as N single
PDF files and as one merged file, and prints pages per second against the figures in DESIGN.md ("Measured facts":
ReportLab ≈ 110/s single, ≈ 570/s merged, measured for a plain page) and against stock ReportLab measured in the
same run (its Canvas, which keeps the whole file in memory until it is saved, drawing the same pages).

    .venv/bin/python bench/statements.py [-n 1000]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]  # noqa: E402

from examdesk.documents import fonts  # noqa: E402
from examdesk.documents.profile import Profile, ProfileBar, ProfileBoundary  # noqa: E402
from examdesk.documents.statements import (  # noqa: E402
    StatementData,
    _draw_statement,
    render_statement,
    render_statements,
)

DESIGN_SINGLE = 110.0
DESIGN_MERGED = 570.0
NAMES = [("Zoë", "Łukasiewicz-Ørsted"), ("Αλέξανδρος", "Παπαδόπουλος"), ("Юлия", "Ковальчук"), ("Sam", "Taylor")]
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _profile() -> Profile:
    scores = [("Reading", 185), ("Use of English", 190), ("Writing", 178), ("Listening", 201), ("Speaking", 196)]
    return Profile(
        title="Graphical profile: B2 First, June 2026",
        scale_min=Decimal(140),
        scale_max=Decimal(210),
        bars=tuple(ProfileBar(name, Decimal(score), str(score)) for name, score in scores),
        boundaries=(
            ProfileBoundary(Decimal(200), "Grade A · C1"),
            ProfileBoundary(Decimal(193), "Grade B · B2"),
            ProfileBoundary(Decimal(180), "Grade C · B2"),
            ProfileBoundary(Decimal(160), "Level B1"),
        ),
        overall=ProfileBar("Overall score", Decimal(190), "190"),
    )


BASE = StatementData(
    board_name="Examdesk Assessment Board",
    centre_number="10001",
    centre_name="Lycée Saint-Exupéry",
    candidate_first_name="",
    candidate_last_name="",
    candidate_number="0001",
    id_number="123456782",
    date_of_birth=date(2009, 3, 14),
    qualification_name="B2 First",
    qualification_code="FCE",
    series_name="June 2026",
    components=(
        ("Reading", "185"),
        ("Use of English", "190"),
        ("Writing", "178"),
        ("Listening", "201"),
        ("Speaking", "196"),
    ),
    overall_score="190",
    grade="B",
    result_label="Pass at Grade B",
    cefr_level="B2",
    awards_certificate=True,
    issue_date=date(2026, 8, 21),
    verification_code="",
    verification_url="",
    profile=_profile(),
)


def statements(count: int) -> list[StatementData]:
    out = []
    for n in range(count):
        first, last = NAMES[n % len(NAMES)]
        raw = "".join(ALPHABET[(n * 7 + i * 13) % len(ALPHABET)] for i in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        out.append(
            replace(
                BASE,
                candidate_first_name=first,
                candidate_last_name=last,
                candidate_number=f"{n % 10000:04d}",
                verification_code=code,
                verification_url=f"http://127.0.0.1:8000/verify/?code={code}",
            )
        )
    return out


class Sink:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def stock_single(item: StatementData) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, initialFontName=fonts.REGULAR, pageCompression=1)
    _draw_statement(canvas, item)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def stock_merged(items: list[StatementData]) -> int:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, initialFontName=fonts.REGULAR, pageCompression=1)
    for item in items:
        _draw_statement(canvas, item)
        canvas.showPage()
    canvas.save()
    return len(out.getvalue())


def traced_peak(work: Callable[[], object]) -> int:
    """Peak traced memory (bytes) of one call."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best of each is kept")
    args = parser.parse_args()
    fonts.register()
    items = statements(args.count)
    render_statement(items[0])  # fonts loaded and warm
    n = len(items)
    sink = Sink()
    variants: dict[str, Callable[[], object]] = {
        "single": lambda: [render_statement(item) for item in items],
        "merged": lambda: render_statements(items, cast(BinaryIO, sink)),
        "stock single": lambda: [stock_single(item) for item in items],
        "stock merged": lambda: stock_merged(items),
    }
    # Rounds interleave the variants, so load from other work on the machine falls on all of them alike.
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(args.rounds):
        for name, work in variants.items():
            start = time.perf_counter()
            work()
            best[name] = min(best[name], time.perf_counter() - start)
    rates = {name: n / seconds for name, seconds in best.items()}

    print(f"{n} one-page statements of results, one core, best of {args.rounds} interleaved rounds:")
    for name, design in (("single", DESIGN_SINGLE), ("merged", DESIGN_MERGED)):
        pages, stock = rates[name], rates[f"stock {name}"]
        label = "single files" if name == "single" else "one merged file"
        print(
            f"  {label:<16} {pages:7.1f} pages/s   x{pages / design:4.2f} vs DESIGN.md ({design:.0f}/s)   "
            f"x{pages / stock:4.2f} vs stock ReportLab in this run ({stock:.1f}/s)"
        )
    sink.size = 0
    streamed = traced_peak(variants["merged"])
    stock = traced_peak(variants["stock merged"])
    print(
        f"  merged file: {sink.size / n / 1024:.1f} KiB a page; peak memory {streamed / 2**20:.1f} MiB streamed, "
        f"{stock / 2**20:.1f} MiB with stock ReportLab (which grows with the page count)"
    )


if __name__ == "__main__":
    main()
