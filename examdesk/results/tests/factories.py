"""Results test data: an entry with a graded result, built through the services as the import does."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from examdesk.catalogue.grading import ComponentScore, ComponentState
from examdesk.catalogue.models import Qualification, Series
from examdesk.catalogue.tests import factories as catalogue
from examdesk.centres.models import Centre
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.models import Candidate
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.models import Entry, Result
from examdesk.results.services import entry_for, grade_row, result_record


def scored(**scores: int | str) -> dict[str, ComponentScore]:
    """scored(RD=185, UE="absent", WR="exempt") → component scores."""
    out = {}
    for code, value in scores.items():
        if value in ("absent", "exempt"):
            out[code] = ComponentScore(ComponentState(str(value)))
        else:
            out[code] = ComponentScore(ComponentState.SCORED, Decimal(str(value)))
    return out


FCE_SCORES = {"RD": 185, "UE": 190, "WR": 178, "LI": 201, "SP": 196}


def entry_with_result(
    *,
    centre: Centre | None = None,
    candidate: Candidate | None = None,
    qualification: Qualification | None = None,
    series: Series | None = None,
    released_at: datetime | None = None,
    candidate_number: str = "0001",
    scores: dict[str, int | str] | None = None,
    status: str = Result.Status.ISSUED,
) -> Entry:
    """An FCE entry (by default) with an issued result, its release set to `released_at` (None: not scheduled)."""
    centre = centre or (candidate.centre if candidate else CentreFactory())
    candidate = candidate or CandidateFactory(centre=centre)
    qualification = qualification or catalogue.qualification(centre.board, "FCE")
    series = series or catalogue.series(centre.board)
    catalogue.release(qualification, series, released_at)
    entry = entry_for(
        centre=centre,
        candidate=candidate,
        qualification=qualification,
        series=series,
        candidate_number=candidate_number,
    )
    row = grade_row(
        qualification=qualification, scores=scored(**(FCE_SCORES if scores is None else scores)), status=status
    )
    result_record(entry=entry, row=row)
    return entry


def new_revision(entry: Entry, *, score: int = 150, status: str = Result.Status.ISSUED) -> Result:
    """A corrected FCE result for `entry` (every component `score`): its next revision, through the services."""
    row = grade_row(
        qualification=entry.qualification,
        scores=scored(**dict.fromkeys(FCE_SCORES, score)),
        status=status,
    )
    result, changed = result_record(entry=entry, row=row)
    assert changed, "the new figures must make a new revision"
    return result
