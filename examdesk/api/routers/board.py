"""The board's resources for a board key: series, releases, qualifications (read, catalogue.selectors)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from examdesk.api.auth import board_key
from examdesk.catalogue import selectors

router = Router(tags=["board"])


class SeriesOut(Schema):
    id: int
    code: str
    name: str
    starts_on: date | None


class ReleaseOut(Schema):
    qualification_code: str
    series_code: str
    released_at: datetime | None


class QualificationOut(Schema):
    id: int
    code: str
    name: str
    results_online: bool


@router.get("/series", response=list[SeriesOut], summary="The board's series")
def series_list(request: HttpRequest) -> list[dict[str, Any]]:
    _, board = board_key(request, "catalogue")
    return [
        {"id": s.pk, "code": s.code, "name": s.name, "starts_on": s.starts_on}
        for s in selectors.series_list(board=board)
    ]


@router.get("/qualifications", response=list[QualificationOut], summary="The board's qualifications")
def qualification_list(request: HttpRequest) -> list[dict[str, Any]]:
    _, board = board_key(request, "catalogue")
    return [
        {"id": q.pk, "code": q.code, "name": q.name, "results_online": q.results_online}
        for q in selectors.qualification_list(board=board)
    ]


@router.get("/releases", response=list[ReleaseOut], summary="Release times of every qualification and series")
def release_list(request: HttpRequest) -> list[dict[str, Any]]:
    _, board = board_key(request, "catalogue")
    rows = []
    for qualification in selectors.qualification_list(board=board):
        for release in selectors.releases_of_qualification(qualification=qualification):
            rows.append(
                {
                    "qualification_code": qualification.code,
                    "series_code": release.series.code,
                    "released_at": release.released_at,
                }
            )
    return rows
