"""Writes for entries and results. Only these functions create entries, revisions and registrations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from examdesk.catalogue.grading import ComponentScore, GradingError, grade
from examdesk.catalogue.models import Qualification, Series
from examdesk.catalogue.services import release_for
from examdesk.centres.models import Centre
from examdesk.core.errors import ApplicationError
from examdesk.people.models import Candidate
from examdesk.results import online
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
                return OnlineRegistration.objects.create(candidate=candidate, id_number=online.new_id_number())
        except IntegrityError:
            existing = OnlineRegistration.objects.filter(candidate=candidate).first()
            if existing is not None:
                return existing
    raise ApplicationError("Could not find a free ID number; try again.")


def _new_verification_code() -> str:
    while True:
        code = online.new_verification_code()
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
