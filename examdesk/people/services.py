"""Writes for the candidate register. Atomic, keyword-only, audited; one service per action."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Centre
from examdesk.core.bulk import insert_rows
from examdesk.core.errors import ApplicationError
from examdesk.people.models import AS_WRITTEN_MAX, Candidate, Group, ValueMapping, VocabularyTerm, folded_names
from examdesk.people.selectors import value_mapping_choices
from examdesk.people.validation import clean_text, value_key

ID_TAKEN = "Another candidate at this centre already has the unique ID {unique_id}."


@dataclass
class CandidateData:
    """One candidate's fields, already cleaned (examdesk.people.validation)."""

    unique_id: str
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    gender: str = ""
    nationality: str = ""
    ethnicity: str = ""
    sen_status: str = ""
    upn: str = ""
    email: str = ""
    # What the file said for a field it could not read, field → value (the field itself is then empty).
    values_as_written: dict[str, str] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    is_active: bool | None = None  # None: leave as it is (new candidates are active)
    # The person's OneRoster sourcedId: an import finds the candidate by it first, so a unique ID changed in the
    # school's system follows. Empty: leave the stored one as it is.
    sourced_id: str = ""
    # The fields this data speaks for (an import sets only the columns its file has); None: all of them.
    fields: frozenset[str] | None = None

    PLAIN_FIELDS = (
        "first_name",
        "last_name",
        "date_of_birth",
        "gender",
        "nationality",
        "ethnicity",
        "sen_status",
        "upn",
        "email",
    )
    # Kept beside the fields above by imports (see written_after); a form that sets the field clears its note.
    STORED_FIELDS = (*PLAIN_FIELDS, "values_as_written")

    def sets(self, name: str) -> bool:
        """Whether this data gives the field a value (Active: says Yes or No)."""
        if name == "is_active":
            return self.is_active is not None
        return bool(getattr(self, name, ""))


def written_after(current: dict[str, str], data: CandidateData) -> dict[str, str]:
    """The notes of values as written a candidate keeps once `data` is applied.

    An import speaks for the fields of its file: their notes become the file's (none where it read the value);
    the notes of other fields stay. A form (fields None) clears the note of a field it sets, and keeps the note
    of a field it leaves empty, so what the file said stays shown until someone fixes it.
    """
    if data.fields is None:
        kept = {name: value for name, value in current.items() if not data.sets(name)}
    else:
        kept = {name: value for name, value in current.items() if name not in data.fields}
    return kept | data.values_as_written


def vocabulary_terms(*, centre: Centre, vocabulary: str) -> dict[str, str]:
    """code → label of a board vocabulary, in the board's order."""
    terms = VocabularyTerm.objects.filter(board_id=centre.board_id, vocabulary=vocabulary, is_active=True)
    return dict(terms.values_list("code", "label"))


def groups_resolve(*, centre: Centre, names: Iterable[str]) -> list[Group]:
    """The groups with these names (matched without case), creating the ones that do not exist yet.

    Matched in Python with casefold(): SQLite's LOWER() only knows ASCII, and "Élèves" is "élèves".
    A centre has tens or hundreds of groups, so reading them all is cheap.
    """
    wanted = {name.casefold(): name for name in names if name}
    if not wanted:
        return []
    existing = {group.name.casefold(): group for group in Group.objects.filter(centre=centre)}
    missing = [Group(centre=centre, name=name) for key, name in wanted.items() if key not in existing]
    if missing:
        Group.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {group.name.casefold(): group for group in Group.objects.filter(centre=centre)}
    return [existing[key] for key in wanted]


def _apply(candidate: Candidate, data: CandidateData) -> bool:
    changed = False
    for name in CandidateData.PLAIN_FIELDS:
        if data.fields is not None and name not in data.fields:
            continue
        value = getattr(data, name)
        if getattr(candidate, name) != value:
            setattr(candidate, name, value)
            changed = True
    written = written_after(candidate.values_as_written or {}, data)
    if candidate.values_as_written != written:
        candidate.values_as_written = written
        changed = True
    if data.is_active is not None and candidate.is_active != data.is_active:
        candidate.is_active = data.is_active
        changed = True
    return changed


@transaction.atomic
def candidate_create(
    *, actor: Any, centre: Centre, data: CandidateData, request: HttpRequest | None = None
) -> Candidate:
    if Candidate.objects.filter(centre=centre, unique_id=data.unique_id).exists():
        raise ApplicationError(ID_TAKEN.format(unique_id=data.unique_id), field="unique_id")
    candidate = Candidate(centre=centre, unique_id=data.unique_id)
    _apply(candidate, data)
    candidate.save()
    candidate.groups.set(groups_resolve(centre=centre, names=data.groups))
    audit_record(
        action=AuditEvent.Action.CANDIDATE_CREATED,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"Candidate {candidate.unique_id} added",
    )
    return candidate


@transaction.atomic
def candidate_update(
    *, actor: Any, candidate: Candidate, data: CandidateData, request: HttpRequest | None = None
) -> Candidate:
    """Change a candidate's details. The unique ID is not changed here (see candidate_change_unique_id)."""
    if _apply(candidate, data):
        candidate.save()
    candidate.groups.set(groups_resolve(centre=candidate.centre, names=data.groups))
    audit_record(
        action=AuditEvent.Action.CANDIDATE_UPDATED,
        request=request,
        actor=actor,
        centre=candidate.centre,
        summary=f"Candidate {candidate.unique_id} updated",
    )
    return candidate


@transaction.atomic
def candidate_change_unique_id(
    *, actor: Any, candidate: Candidate, new_unique_id: str, request: HttpRequest | None = None
) -> Candidate:
    old = candidate.unique_id
    if new_unique_id == old:
        return candidate
    if Candidate.objects.filter(centre_id=candidate.centre_id, unique_id=new_unique_id).exists():
        raise ApplicationError(ID_TAKEN.format(unique_id=new_unique_id), field="new_unique_id")
    candidate.unique_id = new_unique_id
    try:
        with transaction.atomic():
            candidate.save(update_fields=["unique_id", "updated_at"])
    except IntegrityError as error:  # someone took it in the same instant
        raise ApplicationError(ID_TAKEN.format(unique_id=new_unique_id), field="new_unique_id") from error
    audit_record(
        action=AuditEvent.Action.CANDIDATE_ID_CHANGED,
        request=request,
        actor=actor,
        centre=candidate.centre,
        summary=f"Unique ID changed from {old} to {new_unique_id}",
        data={"from": old, "to": new_unique_id},
    )
    return candidate


@transaction.atomic
def candidate_set_active(*, actor: Any, candidate: Candidate, active: bool, request: HttpRequest | None = None) -> None:
    if candidate.is_active == active:
        return
    candidate.is_active = active
    # Said here, the state is no longer the one an import could not read.
    candidate.values_as_written = {k: v for k, v in (candidate.values_as_written or {}).items() if k != "is_active"}
    candidate.save(update_fields=["is_active", "values_as_written", "updated_at"])
    action = AuditEvent.Action.CANDIDATE_REACTIVATED if active else AuditEvent.Action.CANDIDATE_DEACTIVATED
    audit_record(
        action=action,
        request=request,
        actor=actor,
        centre=candidate.centre,
        summary=f"Candidate {candidate.unique_id} {'reactivated' if active else 'deactivated'}",
    )


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


INSERT_FIELDS = (
    "centre_id",
    "unique_id",
    *CandidateData.STORED_FIELDS,
    "is_active",
    "sourced_id",
    "first_name_folded",
    "last_name_folded",
    "created_at",
    "updated_at",
)
UPDATE_FIELDS = [
    "unique_id",
    *CandidateData.STORED_FIELDS,
    "is_active",
    "sourced_id",
    "first_name_folded",
    "last_name_folded",
    "updated_at",
]
EMPTY: dict[str, Any] = {name: "" for name in CandidateData.PLAIN_FIELDS} | {"date_of_birth": None}


def candidate_changes(*, current: dict[str, Any], data: CandidateData) -> dict[str, Any]:
    """The fields `data` would change on a stored candidate (given as a dict of its values).

    The unique ID changes when the candidate was found by sourcedId under another ID. Recording a sourcedId
    on a candidate is not a change of theirs (see candidates_upsert).
    """
    changes = {
        name: getattr(data, name)
        for name in CandidateData.PLAIN_FIELDS
        if (data.fields is None or name in data.fields) and current[name] != getattr(data, name)
    }
    written = written_after(current["values_as_written"], data)
    if written != current["values_as_written"]:
        changes["values_as_written"] = written
    if data.is_active is not None and current["is_active"] != data.is_active:
        changes["is_active"] = data.is_active
    if current["unique_id"] != data.unique_id:
        changes["unique_id"] = data.unique_id
    return changes


def register_values(*, centre: Centre, unique_ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """The centre's candidates as plain values, by unique ID: read once for a whole import (or, given
    `unique_ids`, only those: a page of an API sync)."""
    candidates = Candidate.objects.filter(centre=centre)
    if unique_ids is not None:
        candidates = candidates.filter(unique_id__in=unique_ids)
    stored = candidates.values("pk", "unique_id", "is_active", "sourced_id", *CandidateData.STORED_FIELDS)
    if unique_ids is not None:  # a page: one plain query (a server-side cursor costs PostgreSQL round trips)
        return {row["unique_id"]: row for row in stored}
    return {row["unique_id"]: row for row in stored.iterator(chunk_size=10000)}


class RegisterIndex:
    """The centre's register (register_values) looked up as an import does: by sourcedId first, then unique ID."""

    def __init__(self, existing: dict[str, dict[str, Any]]) -> None:
        self.by_unique_id = existing
        self.by_sourced_id = {row["sourced_id"]: row for row in existing.values() if row["sourced_id"]}

    def find(self, data: CandidateData) -> dict[str, Any] | None:
        if data.sourced_id:
            found = self.by_sourced_id.get(data.sourced_id)
            if found is not None:
                return found
        return self.by_unique_id.get(data.unique_id)


def register_group_names(*, centre: Centre) -> dict[int, set[str]]:
    """Each candidate's group names (casefolded), by candidate id, for the whole centre in one query."""
    names: dict[int, set[str]] = {}
    links = Candidate.groups.through.objects.filter(candidate__centre=centre)
    for candidate_id, name in links.values_list("candidate_id", "group__name").iterator(chunk_size=10000):
        names.setdefault(candidate_id, set()).add(name.casefold())
    return names


def candidates_upsert(
    *,
    centre: Centre,
    rows: list[CandidateData],
    batch_size: int = 10000,
    on_progress: Callable[[int, int, str], None] | None = None,
    scoped: bool = False,
) -> UpsertCounts:
    """Create or update many candidates by sourcedId, then unique ID (RegisterIndex), fast. The caller holds the
    transaction, and has checked that no row takes a unique ID another candidate holds.

    Works on plain values rather than model instances, reads the centre's register and group links
    once (not with long IN lists per batch) and inserts with one COPY / executemany a batch
    (examdesk.core.bulk): a 100,000-row import would otherwise spend its time in the ORM.
    When the data speaks for groups (an import with a Groups column), a candidate's groups become
    exactly the ones listed, as for every other column; without that column they stay as they are.
    `scoped` reads only the rows' own candidates instead of the whole register: for a page of at most a few
    thousand rows (an API sync), which would otherwise read a large register once per page.
    """
    counts = UpsertCounts()
    moment = timezone.now()
    listed = [data.unique_id for data in rows] if scoped else None
    register = RegisterIndex(register_values(centre=centre, unique_ids=listed))
    unchanged: list[str] = []
    links: list[Candidate] = []  # unchanged candidates that get their sourcedId recorded
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        to_create: list[tuple[Any, ...]] = []
        to_update: list[Candidate] = []
        for data in batch:
            current = register.find(data)
            if current is None:
                values = {
                    name: getattr(data, name) if data.fields is None or name in data.fields else EMPTY[name]
                    for name in CandidateData.PLAIN_FIELDS
                }
                values["values_as_written"] = data.values_as_written
                active = True if data.is_active is None else data.is_active
                first, last = folded_names(values["first_name"], values["last_name"])
                to_create.append(
                    (centre.pk, data.unique_id, *values.values(), active, data.sourced_id, first, last, moment, moment)
                )
            elif changes := candidate_changes(current=current, data=data):
                merged = {**current, **changes, "sourced_id": data.sourced_id or current["sourced_id"]}
                first, last = folded_names(merged["first_name"], merged["last_name"])
                candidate = Candidate(**merged, updated_at=moment)
                candidate.first_name_folded, candidate.last_name_folded = first, last
                to_update.append(candidate)
            else:
                unchanged.append(data.unique_id)
                if data.sourced_id and current["sourced_id"] != data.sourced_id:
                    links.append(Candidate(pk=current["pk"], sourced_id=data.sourced_id))
        insert_rows(Candidate, INSERT_FIELDS, to_create)
        if to_update:
            Candidate.objects.bulk_update(to_update, UPDATE_FIELDS, batch_size=1000)
        counts.created += len(to_create)
        counts.updated += len(to_update)
        if on_progress:
            done = start + len(batch)
            on_progress(done, len(rows), f"{done} of {len(rows)} candidates saved")
    if links:
        Candidate.objects.bulk_update(links, ["sourced_id"], batch_size=1000)
    regrouped = _sync_groups(centre=centre, rows=rows, scoped=scoped)
    moved = sum(1 for unique_id in unchanged if unique_id in regrouped)
    counts.updated += moved
    counts.unchanged = len(unchanged) - moved
    return counts


def _sync_groups(*, centre: Centre, rows: list[CandidateData], scoped: bool = False) -> set[str]:
    """Make each candidate's groups those listed (for rows that speak for groups); returns whose changed."""
    rows = [data for data in rows if data.fields is None or "groups" in data.fields]
    if not rows:
        return set()
    names = {name for data in rows for name in data.groups}
    groups = {group.name.casefold(): group.pk for group in groups_resolve(centre=centre, names=names)}
    candidates = Candidate.objects.filter(centre=centre)
    if scoped:
        candidates = candidates.filter(unique_id__in=[data.unique_id for data in rows])
    pairs = candidates.values_list("unique_id", "pk")
    ids = dict(pairs if scoped else pairs.iterator(chunk_size=10000))
    through = Candidate.groups.through
    speaking = {ids[data.unique_id] for data in rows}
    # Scoped, the ids are already the centre's: no join with the register.
    links = (
        through.objects.filter(candidate_id__in=speaking)
        if scoped
        else through.objects.filter(candidate__centre=centre)
    )
    have = {link for link in links.values_list("candidate_id", "group_id") if link[0] in speaking}
    wanted = {(ids[data.unique_id], groups[name.casefold()]) for data in rows for name in data.groups}
    insert_rows(through, ("candidate_id", "group_id"), sorted(wanted - have))
    extra = have - wanted
    for candidate_id, group_id in extra:
        through.objects.filter(candidate_id=candidate_id, group_id=group_id).delete()
    by_pk = {pk: unique_id for unique_id, pk in ids.items()}
    return {by_pk[candidate_id] for candidate_id, _ in (wanted - have) | extra}


@transaction.atomic
def vocabulary_load(*, board: Any, vocabulary: str, terms: list[tuple[str, str]]) -> int:
    """Add the terms the board does not have yet (by code); existing terms are left as the board set them."""
    have = set(VocabularyTerm.objects.filter(board=board, vocabulary=vocabulary).values_list("code", flat=True))
    new = [
        VocabularyTerm(board=board, vocabulary=vocabulary, code=code, label=label, position=position)
        for position, (code, label) in enumerate(terms)
        if code not in have
    ]
    VocabularyTerm.objects.bulk_create(new)
    return len(new)


MAPPING_NEEDS_CODE = "Choose what '{value}' means."
MAPPING_UNKNOWN_CODE = "Choose what '{value}' means from the list."


@transaction.atomic
def value_mapping_set(
    *, actor: Any, centre: Centre, field: str, value: str, code: str, request: HttpRequest | None = None
) -> ValueMapping:
    """Say once what the centre's files mean by a value no list knows ("Brit" → GB); later imports use it."""
    text = clean_text(value)[:AS_WRITTEN_MAX]
    key = value_key(text)
    if field not in ValueMapping.Field.values or not key:
        raise ApplicationError("There is no such value to map.")
    if not code:
        raise ApplicationError(MAPPING_NEEDS_CODE.format(value=text), field="code")
    choices = value_mapping_choices(centre=centre, field=field)
    if code not in choices:
        raise ApplicationError(MAPPING_UNKNOWN_CODE.format(value=text), field="code")
    mapping, _ = ValueMapping.objects.update_or_create(
        centre=centre, field=field, value_key=key, defaults={"value": text, "code": code}
    )
    audit_record(
        action=AuditEvent.Action.VALUE_MAPPED,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"{mapping.get_field_display()} '{text}' in files now means {choices[code]} ({code})",
        data={"field": field, "value": text, "code": code},
    )
    return mapping
