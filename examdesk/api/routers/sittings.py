"""Sittings and attempts: sittings.selectors and sittings.services, so credits and windows hold as on screen;
attempts' scores as the progress page shows them (marking.selectors.sitting_scores), once marked."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from examdesk.api.auth import actor_of, centre_key
from examdesk.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from examdesk.api.problems import ApiError
from examdesk.marking.selectors import AttemptScore, sitting_scores
from examdesk.people import selectors as people_selectors
from examdesk.sittings import selectors, services
from examdesk.sittings.models import Attempt, Sitting

router = Router(tags=["sittings"])
FAMILY = "sittings"
MAX_ID = 2**62
NO_PRODUCT = "The centre has no credits for this product."
UNKNOWN_CANDIDATES = "No candidate of the centre has the unique ID {unique_id}."


class SittingIn(Schema):
    product: int = Field(..., ge=1, le=MAX_ID, description="A product's id (one the centre has credits for)")
    name: str = Field(..., min_length=1, max_length=200)
    opens_on: date
    closes_on: date
    candidates: list[str] = Field(..., min_length=1, max_length=5000, description="Candidates' unique IDs")


class SittingOut(Schema):
    id: int
    name: str
    product: str
    opens_at: datetime
    closes_at: datetime
    created_at: datetime


class SittingPage(Schema):
    items: list[SittingOut]
    next_cursor: str | None


class ScoreOut(Schema):
    raw: str
    max: str
    percentage: str | None


class AttemptOut(Schema):
    id: int
    candidate_unique_id: str
    access_code: str = Field(..., description="Shown grouped as on the slips (KQ7M-X4TR-9P)")
    state: str = Field(..., description="not_started, in_progress, marking, completed, expired or void")
    sections_done: int
    sections_total: int
    started_at: datetime | None
    finished_at: datetime | None
    valid_until: datetime
    score: ScoreOut | None = Field(..., description="Once every section is marked and the attempt completed")


class SittingPath(Schema):
    sitting_id: int = Field(..., ge=1, le=MAX_ID)


class ListQuery(Schema):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _sitting(sitting: Sitting) -> dict[str, Any]:
    return {
        "id": sitting.pk,
        "name": sitting.name,
        "product": sitting.product.code,
        "opens_at": sitting.opens_at,
        "closes_at": sitting.closes_at,
        "created_at": sitting.created_at,
    }


def _attempt(attempt: Attempt, scores: dict[int, AttemptScore]) -> dict[str, Any]:
    scored = scores.get(attempt.pk)
    score = None
    if scored is not None and scored.raw is not None and scored.max is not None:
        shown = None if scored.percentage is None else str(scored.percentage)
        score = {"raw": str(scored.raw), "max": str(scored.max), "percentage": shown}
    return {
        "id": attempt.pk,
        "candidate_unique_id": attempt.candidate.unique_id,
        "access_code": attempt.grouped_code,
        "state": attempt.state,
        "sections_done": getattr(attempt, "sections_done", 0),
        "sections_total": getattr(attempt, "sections_total", 0),
        "started_at": attempt.started_at,
        "finished_at": attempt.finished_at,
        "valid_until": attempt.valid_until(),
        "score": score,
    }


@router.get("", response=SittingPage, summary="List sittings")
def sitting_list(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    _, centre = centre_key(request, FAMILY)
    rows, cursor = page(selectors.sitting_list(centre=centre), cursor=query.cursor, limit=query.limit)
    return {"items": [_sitting(row) for row in rows], "next_cursor": cursor}


@router.post("", response={201: SittingOut}, summary="Create a sitting for candidates (uses credits)")
def sitting_create(request: HttpRequest, body: SittingIn) -> Status[dict[str, Any]]:
    _, centre = centre_key(request, FAMILY, write=True)
    products = {row.product.pk: row.product for row in selectors.product_credit_list(centre=centre)}
    product = products.get(body.product)
    if product is None:
        raise ApiError(422, NO_PRODUCT, errors=[{"path": "product", "detail": NO_PRODUCT}])
    candidates = []
    problems = []
    for index, unique_id in enumerate(dict.fromkeys(body.candidates)):
        found = people_selectors.candidate_list_for_sync(centre=centre, active=True).filter(unique_id=unique_id)
        candidate = found.first()
        if candidate is None:
            problems.append({"path": f"candidates.{index}", "detail": UNKNOWN_CANDIDATES.format(unique_id=unique_id)})
        else:
            candidates.append(candidate)
    if problems:
        raise ApiError(422, "Some candidates are not at this centre.", errors=problems)
    sitting = services.sitting_create(
        actor=actor_of(request),
        centre=centre,
        product=product,
        name=body.name.strip(),
        opens_on=body.opens_on,
        closes_on=body.closes_on,
        candidates=candidates,
        request=request,
    )
    return Status(201, _sitting(sitting))


@router.get("/{sitting_id}", response=SittingOut, summary="Get a sitting")
def sitting_get(request: HttpRequest, path: Path[SittingPath]) -> dict[str, Any]:
    key, centre = centre_key(request, FAMILY)
    sitting_id = path.sitting_id
    return _sitting(selectors.access_sitting_by_id(actor=key.created_by, centre=centre, sitting_id=sitting_id))


@router.get("/{sitting_id}/attempts", response=list[AttemptOut], summary="Attempts: access codes and progress")
def attempt_list(request: HttpRequest, path: Path[SittingPath]) -> list[dict[str, Any]]:
    key, centre = centre_key(request, FAMILY)
    sitting_id = path.sitting_id
    sitting = selectors.access_sitting_by_id(actor=key.created_by, centre=centre, sitting_id=sitting_id)
    scores = {row.attempt.pk: row for row in sitting_scores(sitting=sitting)}
    return [_attempt(attempt, scores) for attempt in selectors.attempt_list_with_progress(sitting=sitting)]
