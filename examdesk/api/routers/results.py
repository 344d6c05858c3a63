"""Entries and results: the centre results search's tenancy and the release gate, as the pages show them.

A key never previews: scores and grades appear from the release time exactly as on the centre's results page
(results.gate.show, results.centre.selectors.score_text), and a preparation centre's key sees only entries linked
to it, once released.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from examdesk.api.auth import centre_key
from examdesk.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from examdesk.core.time import now as current_time
from examdesk.results import gate
from examdesk.results.centre import selectors
from examdesk.results.centre.search import Viewer
from examdesk.results.models import Entry

router = Router(tags=["entries and results"])
FAMILY = "results"
MAX_ID = 2**62


class ComponentOut(Schema):
    code: str
    state: str
    score: str | None


class ResultOut(Schema):
    status: str
    overall_score: str
    grade: str
    label: str
    cefr_level: str
    components: list[ComponentOut]
    revision: int
    updated_at: datetime


class EntryOut(Schema):
    id: int
    candidate_unique_id: str
    candidate_number: str
    qualification_code: str
    series_code: str
    preparation_centre_number: str | None
    state: str = Field(..., description="released, not_yet, not_online, no_result, pending or withheld")
    released_at: datetime | None
    result: ResultOut | None = Field(..., description="Only from the release time (the release gate).")


class EntryPage(Schema):
    items: list[EntryOut]
    next_cursor: str | None


class EntryPath(Schema):
    entry_id: int = Field(..., ge=1, le=MAX_ID)


class EntryQuery(Schema):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    updated_since: datetime | None = Field(None, description="Entered, re-marked or released since then.")
    series: int | None = Field(None, ge=1, le=MAX_ID, description="A series' id")
    qualification: int | None = Field(None, ge=1, le=MAX_ID, description="A qualification's id")


def _viewer(request: HttpRequest) -> Viewer:
    _, centre = centre_key(request, FAMILY)
    return Viewer(centre, preview=False)


def _out(shown: gate.Shown) -> dict[str, Any]:
    entry: Entry = shown.entry
    result = None
    if shown.result is not None:
        scores = shown.result.scores()
        result = {
            "status": shown.result.status,
            "overall_score": selectors.score_text(shown),
            "grade": shown.result.grade,
            "label": shown.result.label,
            "cefr_level": shown.result.cefr_level,
            "components": [{"code": code, **score.as_json()} for code, score in scores.items()],
            "revision": shown.result.revision,
            "updated_at": shown.result.created_at,
        }
    return {
        "id": entry.pk,
        "candidate_unique_id": entry.candidate.unique_id,
        "candidate_number": entry.candidate_number,
        "qualification_code": entry.qualification.code,
        "series_code": entry.series.code,
        "preparation_centre_number": entry.preparation_centre.number if entry.preparation_centre else None,
        "state": str(shown.state),
        "released_at": shown.released_at,
        "result": result,
    }


@router.get("", response=EntryPage, summary="List entries with their results (from their release)")
def entry_list(request: HttpRequest, query: Query[EntryQuery]) -> dict[str, Any]:
    viewer = _viewer(request)
    moment = current_time()
    found = selectors.entries_for_sync(
        viewer=viewer,
        series_id=query.series,
        qualification_id=query.qualification,
        changed_since=query.updated_since,
        now=moment,
    )
    rows, cursor = page(found, cursor=query.cursor, limit=query.limit)
    return {"items": [_out(shown) for shown in gate.show_all(rows, now=moment)], "next_cursor": cursor}


@router.get("/{entry_id}", response=EntryOut, summary="Get an entry with its result (from its release)")
def entry_get(request: HttpRequest, path: Path[EntryPath]) -> dict[str, Any]:
    entry_id = path.entry_id
    viewer = _viewer(request)
    moment = current_time()
    entry = selectors.access_entry_by_id(viewer=viewer, entry_id=entry_id, now=moment)
    return _out(gate.show(entry, now=moment))
