"""Writes for entries and results. Only these functions create entries, revisions and registrations."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from examdesk.accounts.generated_logins import is_login_email
from examdesk.catalogue.grading import ComponentScore, GradingError, grade
from examdesk.catalogue.models import Qualification, Series
from examdesk.catalogue.services import release_for
from examdesk.centres.models import Centre
from examdesk.core.bulk import insert_rows
from examdesk.core.errors import ApplicationError
from examdesk.people.models import Candidate
from examdesk.results import keys
from examdesk.results.models import Entry, OnlineRegistration, Result, ResultsFile

NUMBER_TAKEN = "Candidate number {number} is already used by another candidate at centre {centre} in {series}."


def registration_for(*, candidate: Candidate) -> OnlineRegistration:
    """The candidate's Results Online registration, created with a fresh ID number when missing."""
    existing = OnlineRegistration.objects.filter(candidate=candidate).first()
    if existing is not None:
        return existing
    for _ in range(10):
        try:
            with transaction.atomic():
                return OnlineRegistration.objects.create(candidate=candidate, id_number=keys.new_id_number())
        except IntegrityError:
            existing = OnlineRegistration.objects.filter(candidate=candidate).first()
            if existing is not None:
                return existing
    raise ApplicationError("Could not find a free ID number; try again.")


def login_withdrawn(*, registration: OnlineRegistration) -> bool:
    """The registration's account is a generated login the centre has withdrawn (switched from All to None, or
    deselected): it is no way in now, so the registration counts as unused and a registration letter can be given
    at once. Giving access back restores the login, unless the candidate has registered with the letter meanwhile.
    Which logins are withdrawn is the access app's rule (settings.EXAMDESK_LOGIN_REFUSAL)."""
    user = registration.user if registration.user_id is not None else None
    if user is None or registration.registered_at is not None or not is_login_email(user.email):
        return False
    return bool(import_string(settings.EXAMDESK_LOGIN_REFUSAL)(user=user))


def _new_verification_code() -> str:
    while True:
        code = keys.new_verification_code()
        if not Entry.objects.filter(verification_code=code).exists():
            return code


@transaction.atomic
def entry_for(
    *,
    centre: Centre,
    candidate: Candidate,
    qualification: Qualification,
    series: Series,
    candidate_number: str,
    preparation_centre: Centre | None = None,
) -> Entry:
    """The candidate's entry for the qualification in the series, created when missing.

    One candidate number means one candidate in a centre's series; it may cover several qualifications.
    """
    clash = (
        Entry.objects.filter(centre=centre, series=series, candidate_number=candidate_number)
        .exclude(candidate=candidate)
        .exists()
    )
    if clash:
        raise ApplicationError(NUMBER_TAKEN.format(number=candidate_number, centre=centre.number, series=series.name))
    entry = Entry.objects.filter(candidate=candidate, qualification=qualification, series=series).first()
    if entry is None:
        entry = Entry.objects.create(
            centre=centre,
            candidate=candidate,
            qualification=qualification,
            series=series,
            release=release_for(qualification=qualification, series=series),
            candidate_number=candidate_number,
            preparation_centre=preparation_centre,
            verification_code=_new_verification_code(),
        )
        registration_for(candidate=candidate)
    elif entry.candidate_number != candidate_number or (
        preparation_centre is not None and entry.preparation_centre_id != preparation_centre.pk
    ):
        entry.candidate_number = candidate_number
        if preparation_centre is not None:
            entry.preparation_centre = preparation_centre
        entry.save(update_fields=["candidate_number", "preparation_centre"])
    return entry


@dataclass(frozen=True)
class GradedRow:
    """What a results-file row says, graded and checked: the fields of a result revision."""

    status: str
    component_scores: dict[str, dict[str, str | None]]
    overall_score: Decimal | None
    grade: str
    label: str
    cefr_level: str
    awards_certificate: bool

    def fields(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "component_scores": self.component_scores,
            "overall_score": self.overall_score,
            "grade": self.grade,
            "label": self.label,
            "cefr_level": self.cefr_level,
            "awards_certificate": self.awards_certificate,
        }


def grade_row(
    *,
    qualification: Qualification,
    scores: Mapping[str, ComponentScore],
    status: str = Result.Status.ISSUED,
    overall_given: Decimal | None = None,
    grade_given: str | None = None,
    components: list[Any] | None = None,
    bands: list[Any] | None = None,
) -> GradedRow:
    """Compute the overall score, grade and CEFR level; a given overall or grade must agree, or GradingError."""
    components = list(qualification.components.all()) if components is None else components
    bands = list(qualification.bands.all()) if bands is None else bands
    stored = {component.code: scores[component.code].as_json() for component in components if component.code in scores}
    if status != Result.Status.ISSUED and not any(v.state == "scored" for v in scores.values()):
        return GradedRow(status, stored, None, "", "", "", False)
    graded = grade(
        aggregation=qualification.aggregation,
        rounding=qualification.rounding,
        decimals=qualification.decimals,
        components=components,
        bands=bands,
        scores=scores,
    )
    if overall_given is not None and overall_given != graded.overall_score:
        raise GradingError(
            f"The overall score {overall_given:g} does not match {graded.overall_score:g}, "
            f"computed from the component scores by the {qualification.get_aggregation_display().lower()}."
        )
    if grade_given is not None and grade_given.strip().upper() not in {graded.grade.upper(), graded.label.upper()}:
        raise GradingError(
            f"The grade {grade_given!r} does not match {graded.grade or graded.label!r}, "
            f"the grade for an overall score of {graded.overall_score:g}."
        )
    return GradedRow(
        status=status,
        component_scores=stored,
        overall_score=graded.overall_score,
        grade=graded.grade,
        label=graded.label,
        cefr_level=graded.cefr_level,
        awards_certificate=graded.awards_certificate,
    )


@transaction.atomic
def result_record(*, entry: Entry, row: GradedRow, results_file: ResultsFile | None = None) -> tuple[Result, bool]:
    """Make `row` the entry's current result. Returns (result, changed): the same values change nothing,
    different values make a new revision and keep the old one as history."""
    current = Result.objects.select_for_update().filter(entry=entry, is_current=True).first()
    if current is not None and current.same_as(row.fields()):
        return current, False
    revision = 1
    if current is not None:
        revision = current.revision + 1
        current.is_current = False
        current.save(update_fields=["is_current"])
    result = Result.objects.create(
        entry=entry, revision=revision, is_current=True, results_file=results_file, **row.fields()
    )
    return result, True


# Many entries and results at once: the board's results file. The same rules as entry_for and result_record,
# with a handful of queries for a whole file instead of several per row. The caller holds the transaction.

IN_CHUNK = 500  # values per IN (...) list: well inside every database's limit on query parameters


def _chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _unused(count: int, make: Callable[[], str], model: type[models.Model], field: str) -> list[str]:
    """`count` fresh random values of a unique column, checked against the stored ones a chunk at a time."""
    found: list[str] = []
    seen: set[str] = set()
    while len(found) < count:
        wanted: list[str] = []
        for _ in range(count - len(found)):
            value = make()
            if value not in seen:  # two draws of the same value in one file would clash with each other
                seen.add(value)
                wanted.append(value)
        for chunk in _chunks(wanted):
            taken = set(model._default_manager.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
            found.extend(value for value in chunk if value not in taken)
    return found


@dataclass(frozen=True)
class EntryData:
    centre_id: int
    candidate_id: int
    qualification_id: int
    series_id: int
    candidate_number: str
    preparation_centre_id: int | None = None


ENTRY_KEYS = (
    "pk", "centre_id", "series_id", "qualification_id", "candidate_id", "candidate_number", "preparation_centre_id"
)  # fmt: skip
ENTRY_FIELDS = (
    "centre_id",
    "candidate_id",
    "qualification_id",
    "series_id",
    "release_id",
    "candidate_number",
    "preparation_centre_id",
    "verification_code",
    "created_at",
)


def entries_save(*, rows: Sequence[EntryData]) -> dict[tuple[int, int, int], int]:
    """entry_for for many entries: creates the missing ones (with their release row, verification code and the
    candidate's Results Online registration) and updates the candidate number and preparation centre of the
    others. Returns {(candidate id, qualification id, series id): entry id} for every row."""
    if not rows:
        return {}
    centre_ids = sorted({row.centre_id for row in rows})
    series_ids = sorted({row.series_id for row in rows})
    stored = [
        values
        for chunk in _chunks(centre_ids)
        for values in Entry.objects.filter(centre_id__in=chunk, series_id__in=series_ids).values_list(*ENTRY_KEYS)
    ]
    holders: dict[tuple[int, int, str], set[int]] = {}
    existing: dict[tuple[int, int, int], tuple[int, str, int | None]] = {}
    pk: int
    preparation_id: int | None
    for values in stored:
        pk, centre_id, series_id, qualification_id, candidate_id, number, preparation_id = values
        holders.setdefault((centre_id, series_id, number), set()).add(candidate_id)
        existing[(candidate_id, qualification_id, series_id)] = (pk, number, preparation_id)
    to_create: list[EntryData] = []
    to_update: list[Entry] = []
    for row in rows:
        others = holders.setdefault((row.centre_id, row.series_id, row.candidate_number), set()) - {row.candidate_id}
        if others:
            centre = Centre.objects.get(pk=row.centre_id)
            series = Series.objects.get(pk=row.series_id)
            raise ApplicationError(
                NUMBER_TAKEN.format(number=row.candidate_number, centre=centre.number, series=series.name)
            )
        holders[(row.centre_id, row.series_id, row.candidate_number)].add(row.candidate_id)
        found = existing.get((row.candidate_id, row.qualification_id, row.series_id))
        if found is None:
            to_create.append(row)
            continue
        pk, number, preparation_id = found
        preparation_changes = row.preparation_centre_id is not None and row.preparation_centre_id != preparation_id
        if number != row.candidate_number or preparation_changes:
            to_update.append(
                Entry(
                    pk=pk,
                    candidate_number=row.candidate_number,
                    preparation_centre_id=row.preparation_centre_id if preparation_changes else preparation_id,
                )
            )
    if to_update:
        Entry.objects.bulk_update(to_update, ["candidate_number", "preparation_centre_id"], batch_size=500)
    if to_create:
        _entries_create(to_create)
    ids: dict[tuple[int, int, int], int] = {}
    wanted = {(row.candidate_id, row.qualification_id, row.series_id) for row in rows}
    for chunk in _chunks(centre_ids):
        found_ids = Entry.objects.filter(centre_id__in=chunk, series_id__in=series_ids).values_list(
            "pk", "candidate_id", "qualification_id", "series_id"
        )
        for pk, candidate_id, qualification_id, series_id in found_ids:
            if (candidate_id, qualification_id, series_id) in wanted:
                ids[(candidate_id, qualification_id, series_id)] = pk
    return ids


def _entries_create(rows: list[EntryData]) -> None:
    pairs = sorted({(row.qualification_id, row.series_id) for row in rows})
    qualifications = Qualification.objects.in_bulk({q for q, _ in pairs})
    series = Series.objects.in_bulk({s for _, s in pairs})
    releases = {(q, s): release_for(qualification=qualifications[q], series=series[s]).pk for q, s in pairs}
    codes = _unused(len(rows), keys.new_verification_code, Entry, "verification_code")
    moment = timezone.now()
    insert_rows(
        Entry,
        ENTRY_FIELDS,
        [
            (
                row.centre_id,
                row.candidate_id,
                row.qualification_id,
                row.series_id,
                releases[(row.qualification_id, row.series_id)],
                row.candidate_number,
                row.preparation_centre_id,
                code,
                moment,
            )
            for row, code in zip(rows, codes, strict=True)
        ],
    )
    candidates = sorted({row.candidate_id for row in rows})
    registered: set[int] = set()
    for chunk in _chunks(candidates):
        registered.update(
            OnlineRegistration.objects.filter(candidate_id__in=chunk).values_list("candidate_id", flat=True)
        )
    unregistered = [candidate for candidate in candidates if candidate not in registered]
    numbers = _unused(len(unregistered), keys.new_id_number, OnlineRegistration, "id_number")
    insert_rows(
        OnlineRegistration,
        ("candidate_id", "id_number", "secret_version", "created_at"),
        [(candidate, number, 1, moment) for candidate, number in zip(unregistered, numbers, strict=True)],
    )


@dataclass
class RecordCounts:
    created: int = 0  # entries that had no result: revision 1
    revised: int = 0  # a changed result: a new revision, the old one kept as history
    unchanged: int = 0


RESULT_VALUES = ("status", "component_scores", "overall_score", "grade", "label", "cefr_level", "awards_certificate")
RESULT_FIELDS = ("entry_id", "revision", "is_current", *RESULT_VALUES, "results_file_id", "created_at")


def results_record(*, rows: Sequence[tuple[int, GradedRow]], results_file: ResultsFile | None = None) -> RecordCounts:
    """result_record for many entries, given as (entry id, graded row), each entry once."""
    entry_ids = [entry_id for entry_id, _ in rows]
    if len(set(entry_ids)) != len(entry_ids):
        raise ValueError("Each entry may appear once.")
    current: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(entry_ids):
        for stored in Result.objects.filter(entry_id__in=chunk, is_current=True).values(
            "pk", "entry_id", "revision", *RESULT_VALUES
        ):
            current[stored["entry_id"]] = stored
    counts = RecordCounts()
    retired: list[int] = []
    new: list[tuple[Any, ...]] = []
    moment = timezone.now()
    file_id = None
    if results_file is not None:  # stored as the database keeps a UUID (SQLite: 32 hex digits)
        connection = connections[router.db_for_write(Result)]
        file_id = Result._meta.get_field("results_file").target_field.get_db_prep_save(results_file.pk, connection)
    for entry_id, row in rows:
        fields = row.fields()
        stored = current.get(entry_id)
        if stored is not None and all(stored[name] == value for name, value in fields.items()):
            counts.unchanged += 1
            continue
        revision = 1
        if stored is None:
            counts.created += 1
        else:
            counts.revised += 1
            retired.append(stored["pk"])
            revision = stored["revision"] + 1
        new.append((entry_id, revision, True, *fields.values(), file_id, moment))  # insert_rows prepares the JSON
    for chunk in _chunks(retired):
        Result.objects.filter(pk__in=chunk).update(is_current=False)
    insert_rows(Result, RESULT_FIELDS, new)
    return counts


# Preparation centres: an exam centre shares an entry's results with the preparation centre that taught the
# candidate by linking the entry to it (here, one by one or in bulk, or through the results file's column).

NOT_AN_EXAM_CENTRE = "Only an exam centre links its entries to preparation centres."
NOT_LINKED = "{centre} is not one of your centre's preparation centres. Ask the board to link it to your centre."


@transaction.atomic
def entries_preparation_centre_set(
    *,
    actor: Any,
    centre: Centre,
    entry_ids: Sequence[int],
    preparation_centre: Centre | None,
    request: Any = None,
) -> int:
    """Link `centre`'s entries `entry_ids` to `preparation_centre` (None: unlink them). Returns how many changed.

    Only the exam centre's own entries change (other ids are ignored), and only to a preparation centre linked to
    it (centres.Centre.exam_centres); anything else is an ApplicationError. The change is audited.
    """
    from examdesk.audit.models import AuditEvent
    from examdesk.audit.services import audit_record

    if centre.kind != Centre.Kind.EXAM:
        raise ApplicationError(NOT_AN_EXAM_CENTRE)
    if preparation_centre is not None and (
        preparation_centre.kind != Centre.Kind.PREPARATION
        or not preparation_centre.exam_centres.filter(pk=centre.pk).exists()
    ):
        raise ApplicationError(NOT_LINKED.format(centre=f"{preparation_centre.number} {preparation_centre.name}"))
    changed: list[int] = []
    for chunk in _chunks(sorted(set(entry_ids))):
        ids = list(
            Entry.objects.filter(centre=centre, pk__in=chunk)
            .exclude(preparation_centre=preparation_centre)
            .values_list("pk", flat=True)
        )
        Entry.objects.filter(pk__in=ids).update(preparation_centre=preparation_centre)
        changed.extend(ids)
    if changed:
        plural = "entry" if len(changed) == 1 else "entries"
        if preparation_centre is None:
            summary = f"{len(changed)} {plural} unlinked from their preparation centre"
        else:
            summary = (
                f"{len(changed)} {plural} linked to preparation centre "
                f"{preparation_centre.number} {preparation_centre.name}"
            )
        audit_record(
            action=AuditEvent.Action.CANDIDATE_UPDATED,
            request=request,
            actor=actor,
            centre=centre,
            summary=summary,
            data={
                "preparation_centre": preparation_centre.number if preparation_centre else None,
                "count": len(changed),
                "entries": changed[:100],
            },
        )
    return len(changed)
