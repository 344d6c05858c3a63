"""Catalogue test data: qualifications, series and releases.

`DEMO_FILE` is the file `examdesk demo` loads, with published scales; `TEST_FILE` has the same four shapes with
the figures the tests (most of them results tests) were written for, so that the demo's figures can follow the
real exams without rewriting every expected grade.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from examdesk.catalogue.definitions import parse_text
from examdesk.catalogue.models import Qualification, Release, Series
from examdesk.catalogue.services import qualifications_load, release_schedule, series_save
from examdesk.centres.models import Board

DEMO_FILE = Path(__file__).resolve().parents[1] / "data" / "demo_qualifications.yaml"
TEST_FILE = Path(__file__).resolve().parent / "data" / "qualifications.yaml"


def demo_qualifications(board: Board, file: Path = TEST_FILE) -> dict[str, Qualification]:
    """FCE (mean), KET (weighted mean), 0580 (sum, round down) and YLE-MOV (not online), by code: from the test
    file, or from `file` (DEMO_FILE: the demo's own)."""
    definitions = parse_text(file.read_text(encoding="utf-8"), file_name=file.name)
    return {q.code: q for q in qualifications_load(board=board, definitions=definitions)}


def qualification(board: Board, code: str = "FCE") -> Qualification:
    existing = Qualification.objects.filter(board=board, code=code).first()
    return existing or demo_qualifications(board)[code]


def series(board: Board, code: str = "2026-06", name: str = "June 2026") -> Series:
    return series_save(board=board, code=code, name=name)


def release(qualification: Qualification, series: Series, released_at: datetime | None) -> Release:
    return release_schedule(qualification=qualification, series=series, released_at=released_at)
