"""Many released entries, fast: candidates, entries and results written in bulk, as the results file does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

from examdesk.catalogue.models import Qualification, Series
from examdesk.catalogue.tests import factories as catalogue
from examdesk.centres.models import Centre
from examdesk.people.models import Candidate
from examdesk.people.services import CandidateData, candidates_upsert
from examdesk.results.models import Result
from examdesk.results.services import EntryData, entries_save, grade_row, results_record
from examdesk.results.tests.factories import scored

NAMES = [("Zoë", "Łukasiewicz"), ("Αλέξανδρος", "Παπαδόπουλος"), ("Юлия", "Ковальчук"), ("Siobhán", "O'Brien")]


def cohort(
    centre: Centre,
    count: int,
    *,
    released_at: datetime | None,
    qualification: Qualification | None = None,
    series: Series | None = None,
    first_number: int = 1,
    names: Sequence[tuple[str, str]] = NAMES,
    status: str = Result.Status.ISSUED,
) -> list[int]:
    """`count` FCE entries (by default) with issued results, candidate numbers from `first_number`, names taken
    in turn from `names`; returns the entry ids in candidate-number order."""
    qualification = qualification or catalogue.qualification(centre.board, "FCE")
    series = series or catalogue.series(centre.board)
    catalogue.release(qualification, series, released_at)
    numbers = range(first_number, first_number + count)
    rows = [
        CandidateData(unique_id=f"{qualification.code}-{n:05d}", first_name=names[i % len(names)][0],
                      last_name=names[i % len(names)][1])
        for i, n in enumerate(numbers)
    ]  # fmt: skip
    with transaction.atomic():
        candidates_upsert(centre=centre, rows=rows)
        ids = dict(Candidate.objects.filter(centre=centre).values_list("unique_id", "pk"))
        entries = entries_save(
            rows=[
                EntryData(centre.pk, ids[row.unique_id], qualification.pk, series.pk, f"{n:04d}")
                for row, n in zip(rows, numbers, strict=True)
            ]
        )
        entry_ids = [entries[(ids[row.unique_id], qualification.pk, series.pk)] for row in rows]
        middle = {c.code: int((c.min_score + c.max_score) // 2) for c in qualification.components.all()}
        graded = grade_row(qualification=qualification, scores=scored(**middle), status=status)
        results_record(rows=[(entry_id, graded) for entry_id in entry_ids])
    return entry_ids
