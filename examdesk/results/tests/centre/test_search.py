"""The results search: tenancy, the release gate in SQL, number ranges, names without accents, safe sorting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from examdesk.catalogue.tests.factories import qualification, series
from examdesk.centres.models import Centre
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.centre.search import Criteria, Status, Viewer, describe, search
from examdesk.results.models import Result
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.django_db

RELEASE = datetime(2026, 8, 13, 7, 0, tzinfo=UTC)
BEFORE, AFTER = RELEASE - timedelta(seconds=1), RELEASE


@pytest.fixture
def cohort():
    centre = CentreFactory()
    prep = CentreFactory(kind=Centre.Kind.PREPARATION, board=centre.board)
    other_prep = CentreFactory(kind=Centre.Kind.PREPARATION, board=centre.board)
    june = series(centre.board)
    names = [("Zoë", "Łukasiewicz", 200), ("Chloé", "Müller", 185), ("Kwame", "Mensah", 170), ("Ana", "Peréz", 150)]
    entries = []
    for number, (first, last, score) in enumerate(names, start=1):
        entry = entry_with_result(
            candidate=CandidateFactory(centre=centre, first_name=first, last_name=last),
            series=june,
            released_at=RELEASE,
            candidate_number=f"{number:04d}",
            scores={"RD": score, "UE": score, "WR": score, "LI": score, "SP": score},
        )
        entry.preparation_centre = prep if number <= 2 else other_prep
        entry.save()
        entries.append(entry)
    return centre, prep, other_prep, entries


def _numbers(viewer, criteria, now):
    return [e.candidate_number for e in search(viewer, criteria, now=now)]


def test_number_range_single_number_and_either_box(cohort):
    centre, *_ = cohort
    viewer = Viewer(centre)
    assert _numbers(viewer, Criteria(number_from="0002", number_to="0003"), AFTER) == ["0002", "0003"]
    assert _numbers(viewer, Criteria(number_from="0003", number_to="0002"), AFTER) == ["0002", "0003"]
    assert _numbers(viewer, Criteria(number_from="0004"), AFTER) == ["0004"]
    assert _numbers(viewer, Criteria(number_to="0001"), AFTER) == ["0001"]


def test_names_match_in_part_without_case_or_accents(cohort):
    centre, *_ = cohort
    viewer = Viewer(centre)
    assert _numbers(viewer, Criteria(last_name="lukas"), AFTER) == ["0001"]
    assert _numbers(viewer, Criteria(last_name="MULLER"), AFTER) == ["0002"]
    assert _numbers(viewer, Criteria(first_name="chloe", last_name="ller"), AFTER) == ["0002"]
    assert _numbers(viewer, Criteria(last_name="perez"), AFTER) == ["0004"]


def test_preparation_centres_see_only_their_entries_and_only_after_release(cohort):
    _, prep, other_prep, _ = cohort
    assert _numbers(Viewer(prep), Criteria(), BEFORE) == []
    assert _numbers(Viewer(prep), Criteria(), AFTER) == ["0001", "0002"]
    assert _numbers(Viewer(other_prep), Criteria(), AFTER) == ["0003", "0004"]
    # Even a preview flag does not open a preparation centre's view before release.
    assert _numbers(Viewer(prep, preview=True), Criteria(), BEFORE) == []


def test_grade_status_and_score_sort_never_reveal_unreleased_results(cohort):
    centre, *_ = cohort
    viewer = Viewer(centre)
    assert _numbers(viewer, Criteria(grade="A"), BEFORE) == []
    assert _numbers(viewer, Criteria(grade="A"), AFTER) == ["0001"]
    assert _numbers(viewer, Criteria(status=Status.RELEASED), BEFORE) == []
    assert _numbers(viewer, Criteria(status=Status.NOT_RELEASED), BEFORE) == ["0001", "0002", "0003", "0004"]
    assert _numbers(viewer, Criteria(status=Status.NOT_RELEASED), AFTER) == []
    # Before release the score sort is the number order: nothing about the scores leaks through the order.
    assert _numbers(viewer, Criteria(sort="-score"), BEFORE) == ["0001", "0002", "0003", "0004"]
    assert _numbers(viewer, Criteria(sort="score"), AFTER) == ["0004", "0003", "0002", "0001"]
    assert _numbers(Viewer(centre, preview=True), Criteria(grade="A"), BEFORE) == ["0001"]


def test_pending_withheld_and_not_online(cohort):
    centre, *_ = cohort
    june = series(centre.board)
    entry_with_result(
        centre=centre,
        series=june,
        released_at=RELEASE,
        status=Result.Status.PENDING,
        scores={},
        qualification=qualification(centre.board, "KET"),
        candidate_number="0005",
    )
    entry_with_result(
        centre=centre,
        series=june,
        released_at=RELEASE,
        qualification=qualification(centre.board, "YLE-MOV"),
        scores={"LI": 5, "RW": 5, "SP": 5},
        candidate_number="0006",
    )
    viewer = Viewer(centre)
    assert _numbers(viewer, Criteria(status=Status.PENDING), BEFORE) == []
    assert _numbers(viewer, Criteria(status=Status.PENDING), AFTER) == ["0005"]
    assert _numbers(viewer, Criteria(status=Status.NOT_ONLINE), AFTER) == ["0006"]
    assert _numbers(viewer, Criteria(status=Status.RELEASED), AFTER) == ["0001", "0002", "0003", "0004"]


def test_other_centres_entries_never_match(cohort):
    centre, *_ = cohort
    assert _numbers(Viewer(CentreFactory(board=centre.board)), Criteria(), AFTER) == []


def test_describe_says_what_was_searched_for():
    text = describe(Criteria(number_from="0100", number_to="0200", last_name="mül"))
    assert text == "candidate numbers 0100 to 0200, last name containing “mül”"
    assert describe(Criteria()) == "all entries"
