"""Catalogue test data: the demo qualifications (the same file `examdesk demo` loads), series and releases."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from examdesk.catalogue.definitions import parse_text
from examdesk.catalogue.models import Qualification, Release, Series
from examdesk.catalogue.services import qualifications_load, release_schedule, series_save
from examdesk.centres.models import Board

DEMO_FILE = Path(__file__).resolve().parents[1] / "data" / "demo_qualifications.yaml"


def demo_qualifications(board: Board) -> dict[str, Qualification]:
    """FCE (mean), KET (weighted mean), 0580 (sum, round down) and YLE-MOV (not online), by code."""
    definitions = parse_text(DEMO_FILE.read_text(encoding="utf-8"), file_name=DEMO_FILE.name)
    return {q.code: q for q in qualifications_load(board=board, definitions=definitions)}


def qualification(board: Board, code: str = "FCE") -> Qualification:
    existing = Qualification.objects.filter(board=board, code=code).first()
    return existing or demo_qualifications(board)[code]


def series(board: Board, code: str = "2026-06", name: str = "June 2026") -> Series:
    return series_save(board=board, code=code, name=name)


def release(qualification: Qualification, series: Series, released_at: datetime | None) -> Release:
    return release_schedule(qualification=qualification, series=series, released_at=released_at)
