"""Candidates and groups: people.selectors and people.services, as the register's pages use them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Path, Query, Router
from ninja.responses import Status
from pydantic import BaseModel as Schema  # plain models: ninja.Schema reads each value through a getter, slowly

from examdesk.api.auth import actor_of, centre_key
from examdesk.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from examdesk.api.problems import ApiError
from examdesk.centres.models import Centre
from examdesk.people import selectors, services, validation
from examdesk.people.models import Candidate, Group, VocabularyTerm

router = Router(tags=["candidates"])
groups_router = Router(tags=["groups"])
batches_router = Router(tags=["candidates"])
FAMILY = "candidates"
MAX_UPSERT = 1000
TOO_MANY = f"Send at most {MAX_UPSERT} candidates per request."
SAME_ID_TWICE = "The unique ID {unique_id} is in the request more than once."
ID_MISMATCH = "The unique ID in the body differs from the one in the path."

# --- Schemas ---------------------------------------------------------------------------------------------------

Text100 = Field(..., min_length=1, max_length=100)


class CandidateIn(Schema):
    """A candidate as an information system sends it. List fields take a code or a name, as imports do."""

    unique_id: str = Field(..., min_length=1, max_length=100, description="Chosen by the centre; text.")
    first_name: str = Text100
    last_name: str = Text100
    date_of_birth: date | None = None
    gender: str = Field("", max_length=40, description="F, M or X (or female, male, other…)")
    nationality: str = Field("", max_length=100, description="A two-letter country code or a country's name.")
    ethnicity: str = Field("", max_length=100, description="A code of the board's ethnicity list.")
    sen_status: str = Field("", max_length=100, description="A code of the board's SEN status list.")
    upn: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    groups: list[str] = Field(default_factory=list, max_length=100)
    is_active: bool | None = None


class CandidatePatch(Schema):
    """The fields to change; those left out stay as they are."""

    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    date_of_birth: date | None = None
    gender: str | None = Field(None, max_length=40)
    nationality: str | None = Field(None, max_length=100)
    ethnicity: str | None = Field(None, max_length=100)
    sen_status: str | None = Field(None, max_length=100)
    upn: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    groups: list[str] | None = Field(None, max_length=100)


class CandidateOut(Schema):
    unique_id: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    gender: str
    nationality: str
    ethnicity: str
    sen_status: str
    upn: str
    email: str
    groups: list[str]
    is_active: bool
    created_at: datetime
    updated_at: datetime


class CandidatePage(Schema):
    items: list[CandidateOut]
    next_cursor: str | None


class UpsertIn(Schema):
    candidates: list[CandidateIn] = Field(..., max_length=MAX_UPSERT)


class UpsertOut(Schema):
    created: int
    updated: int
    unchanged: int


class GroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)


class GroupOut(Schema):
    id: int
    name: str
    created_at: datetime
    updated_at: datetime


class GroupPage(Schema):
    items: list[GroupOut]
    next_cursor: str | None


class GroupPath(Schema):
    group_id: int = Field(..., ge=1, le=2**62)


class ListQuery(Schema):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    updated_since: datetime | None = None


class CandidateQuery(ListQuery):
    group: int | None = Field(None, ge=1, le=2**62, description="A group's id: only its members.")
    active: bool | None = Field(None, description="true: active only; false: deactivated only; absent: all.")


MEMO_FIELDS = frozenset({"gender", "nationality", "ethnicity", "sen_status"})

# --- Turning schemas into the register's data ------------------------------------------------------------------


class Cleaner:
    """The import's own rules (people.validation) for the API's values, with the centre's lists read once."""

    def __init__(self, centre: Centre) -> None:
        self.ethnicity = services.vocabulary_terms(centre=centre, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY)
        self.sen = services.vocabulary_terms(centre=centre, vocabulary=VocabularyTerm.Vocabulary.SEN)
        self.problems: list[dict[str, str]] = []
        # A page of a sync repeats the same few list values (gender, nationality, codes): each is cleaned once.
        self.cleaned: dict[tuple[str, str], Any] = {}
        self.rules: dict[str, Callable[[Any], Any]] = {
            "first_name": validation.clean_name,
            "last_name": validation.clean_name,
            "gender": validation.clean_gender,
            "nationality": validation.clean_nationality,
            "ethnicity": lambda v: validation.clean_term(v, terms=self.ethnicity, what="ethnicity"),
            "sen_status": lambda v: validation.clean_term(v, terms=self.sen, what="SEN status"),
            "upn": validation.clean_upn,
            "email": validation.clean_email,
            "groups": lambda names: validation.clean_groups(",".join(names)),
        }

    def field(self, prefix: str, clean: Callable[[Any], Any], value: Any, *, name: str) -> Any:
        memo = (name, value) if name in MEMO_FIELDS and isinstance(value, str) else None
        try:
            if memo is not None and memo in self.cleaned:
                found = self.cleaned[memo]
                if isinstance(found, validation.FieldProblem):
                    raise found
                return found
            try:
                result = clean(value)
            except validation.FieldProblem as problem:
                if memo is not None:
                    self.cleaned[memo] = problem
                raise
            if memo is not None:
                self.cleaned[memo] = result
            return result
        except validation.FieldProblem as problem:
            self.problems.append({"path": prefix + name, "detail": str(problem)})
            return None

    def data(self, body: Any, *, prefix: str = "", unique_id: str | None = None) -> services.CandidateData:
        values = body.__dict__  # the validated fields (model_dump would copy them, for every row of a page)
        names = body.model_fields_set if isinstance(body, CandidatePatch) else values.keys()
        cleaned: dict[str, Any] = {}
        rules = self.rules
        for name in names:
            value = values[name]
            if name in rules:
                if value is not None:
                    cleaned[name] = self.field(prefix, rules[name], value, name=name)
            elif name == "date_of_birth":
                cleaned[name] = value
        identifier = unique_id if unique_id is not None else body.unique_id
        identifier = self.field(prefix, validation.clean_unique_id, identifier, name="unique_id") or ""
        fields = None if not isinstance(body, CandidatePatch) else frozenset(cleaned)
        plain: dict[str, Any] = {name: cleaned.get(name) or "" for name in services.CandidateData.PLAIN_FIELDS}
        plain["date_of_birth"] = cleaned.get("date_of_birth")
        return services.CandidateData(
            unique_id=identifier,
            **plain,
            groups=cleaned.get("groups") or [],
            is_active=getattr(body, "is_active", None),
            fields=fields,
        )

    def check(self) -> None:
        if self.problems:
            raise ApiError(422, "Some values are not valid.", errors=self.problems)


def _out(candidate: Candidate, groups: list[str]) -> dict[str, Any]:
    return {
        "unique_id": candidate.unique_id,
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "date_of_birth": candidate.date_of_birth,
        "gender": candidate.gender,
        "nationality": str(candidate.nationality or ""),
        "ethnicity": candidate.ethnicity,
        "sen_status": candidate.sen_status,
        "upn": candidate.upn,
        "email": candidate.email,
        "groups": groups,
        "is_active": candidate.is_active,
        "created_at": candidate.created_at,
        "updated_at": candidate.updated_at,
    }


def _one(candidate: Candidate) -> dict[str, Any]:
    return _out(candidate, [group.name for group in selectors.candidate_groups(candidate=candidate)])


# --- Candidates ------------------------------------------------------------------------------------------------


@router.get("", response=CandidatePage, summary="List candidates")
def candidate_list(request: HttpRequest, query: Query[CandidateQuery]) -> dict[str, Any]:
    _, centre = centre_key(request, FAMILY)
    found = selectors.candidate_list_for_sync(
        centre=centre, group_id=query.group, active=query.active, updated_since=query.updated_since
    )
    rows, cursor = page(found, cursor=query.cursor, limit=query.limit)
    names = selectors.group_names_of([row.pk for row in rows])
    return {"items": [_out(row, names.get(row.pk, [])) for row in rows], "next_cursor": cursor}


@router.get("/{unique_id}", response=CandidateOut, summary="Get a candidate by unique ID")
def candidate_get(request: HttpRequest, unique_id: str) -> dict[str, Any]:
    _, centre = centre_key(request, FAMILY)
    return _one(selectors.access_candidate_by_unique_id(centre=centre, unique_id=unique_id))


@router.post("", response={201: CandidateOut}, summary="Create a candidate")
def candidate_create(request: HttpRequest, body: CandidateIn) -> Status[dict[str, Any]]:
    _, centre = centre_key(request, FAMILY, write=True)
    cleaner = Cleaner(centre)
    data = cleaner.data(body)
    cleaner.check()
    candidate = services.candidate_create(actor=actor_of(request), centre=centre, data=data, request=request)
    if data.is_active is False:
        services.candidate_set_active(actor=actor_of(request), candidate=candidate, active=False, request=request)
    return Status(201, _one(candidate))


@router.patch("/{unique_id}", response=CandidateOut, summary="Change some of a candidate's details")
def candidate_update(request: HttpRequest, unique_id: str, body: CandidatePatch) -> dict[str, Any]:
    _, centre = centre_key(request, FAMILY, write=True)
    candidate = selectors.access_candidate_by_unique_id(centre=centre, unique_id=unique_id)
    cleaner = Cleaner(centre)
    data = cleaner.data(body, unique_id=unique_id)
    cleaner.check()
    if data.fields is not None and "groups" not in data.fields:
        data.groups = [group.name for group in selectors.candidate_groups(candidate=candidate)]
    services.candidate_update(actor=actor_of(request), candidate=candidate, data=data, request=request)
    return _one(selectors.access_candidate_by_unique_id(centre=centre, unique_id=unique_id))


@router.put("/{unique_id}", response={200: CandidateOut, 201: CandidateOut}, summary="Create or replace a candidate")
def candidate_put(request: HttpRequest, unique_id: str, body: CandidateIn) -> Status[dict[str, Any]]:
    """Upsert by unique ID: the candidate is created, or all its details replaced (the body's unique ID must be the
    path's)."""
    _, centre = centre_key(request, FAMILY, write=True)
    if body.unique_id != unique_id:
        raise ApiError(422, ID_MISMATCH, errors=[{"path": "unique_id", "detail": ID_MISMATCH}])
    cleaner = Cleaner(centre)
    data = cleaner.data(body)
    cleaner.check()
    actor = actor_of(request)
    with transaction.atomic():
        existing = selectors.candidate_list_for_sync(centre=centre).filter(unique_id=data.unique_id).first()
        if existing is None:
            candidate = services.candidate_create(actor=actor, centre=centre, data=data, request=request)
            status = 201
        else:
            candidate = services.candidate_update(actor=actor, candidate=existing, data=data, request=request)
            status = 200
        if data.is_active is not None:
            services.candidate_set_active(actor=actor, candidate=candidate, active=data.is_active, request=request)
    return Status(status, _one(selectors.access_candidate_by_unique_id(centre=centre, unique_id=unique_id)))


@batches_router.post("", response=UpsertOut, summary="Create or update up to 1,000 candidates by unique ID")
def candidates_upsert(request: HttpRequest, body: UpsertIn) -> dict[str, int]:
    """The spreadsheet import's fast path (people.services.candidates_upsert), for a page of a sync: each
    candidate is created or its details replaced, in one transaction; nothing is written if any row has a
    problem."""
    _, centre = centre_key(request, FAMILY, write=True)
    cleaner = Cleaner(centre)
    rows = [cleaner.data(item, prefix=f"candidates.{index}.") for index, item in enumerate(body.candidates)]
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row.unique_id in seen:
            detail = SAME_ID_TWICE.format(unique_id=row.unique_id)
            cleaner.problems.append({"path": f"candidates.{index}.unique_id", "detail": detail})
        seen.add(row.unique_id)
    cleaner.check()
    with transaction.atomic():
        counts = services.candidates_upsert(centre=centre, rows=rows, scoped=True)
    return {"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}


def _set_active(request: HttpRequest, unique_id: str, active: bool) -> dict[str, Any]:
    _, centre = centre_key(request, FAMILY, write=True)
    candidate = selectors.access_candidate_by_unique_id(centre=centre, unique_id=unique_id)
    services.candidate_set_active(actor=actor_of(request), candidate=candidate, active=active, request=request)
    return _one(selectors.access_candidate_by_unique_id(centre=centre, unique_id=unique_id))


@router.post("/{unique_id}/deactivate", response=CandidateOut, summary="Deactivate a candidate")
def candidate_deactivate(request: HttpRequest, unique_id: str) -> dict[str, Any]:
    return _set_active(request, unique_id, False)


@router.post("/{unique_id}/reactivate", response=CandidateOut, summary="Reactivate a candidate")
def candidate_reactivate(request: HttpRequest, unique_id: str) -> dict[str, Any]:
    return _set_active(request, unique_id, True)


# --- Groups ----------------------------------------------------------------------------------------------------


def _group(group: Group) -> dict[str, Any]:
    return {"id": group.pk, "name": group.name, "created_at": group.created_at, "updated_at": group.updated_at}


@groups_router.get("", response=GroupPage, summary="List groups")
def group_list(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    _, centre = centre_key(request, FAMILY)
    found = selectors.group_list_for_centre(centre=centre, updated_since=query.updated_since)
    rows, cursor = page(found, cursor=query.cursor, limit=query.limit)
    return {"items": [_group(row) for row in rows], "next_cursor": cursor}


@groups_router.post("", response={201: GroupOut}, summary="Create a group (or get the one of that name)")
def group_create(request: HttpRequest, body: GroupIn) -> Status[dict[str, Any]]:
    _, centre = centre_key(request, FAMILY, write=True)
    name = validation.clean_text(body.name)
    if not name:
        raise ApiError(422, "The group's name is missing.", errors=[{"path": "name", "detail": "Give a name."}])
    (group,) = services.groups_resolve(centre=centre, names=[name])
    return Status(201, _group(group))


@groups_router.get("/{group_id}/members", response=CandidatePage, summary="A group's candidates")
def group_members(request: HttpRequest, path: Path[GroupPath], query: Query[ListQuery]) -> dict[str, Any]:
    _, centre = centre_key(request, FAMILY)
    group = selectors.access_group_by_id(centre=centre, group_id=path.group_id)
    found = selectors.candidate_list_for_sync(centre=centre, group_id=group.pk, updated_since=query.updated_since)
    rows, cursor = page(found, cursor=query.cursor, limit=query.limit)
    names = selectors.group_names_of([row.pk for row in rows])
    return {"items": [_out(row, names.get(row.pk, [])) for row in rows], "next_cursor": cursor}
