"""selection_from_post: what the bulk actions of the results page (statements, e-mails, links) read."""

from __future__ import annotations

import pytest
import time_machine
from django.http import QueryDict

from examdesk.core.errors import ApplicationError
from examdesk.results.centre.forms import selection_from_post
from examdesk.results.centre.search import Criteria, Viewer
from examdesk.results.tests.centre.portal import AT, BEFORE, portal

pytestmark = pytest.mark.django_db


def _post(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        data.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return data


@pytest.fixture
def cohort():
    return portal()


def test_search_scope_gives_the_criteria_and_no_ids(cohort):
    june = cohort.entries["0001"].series
    criteria, ids = selection_from_post(
        _post(scope="search", series=june.pk, number_from="0002", last_name="Mül", sort="-score"), Viewer(cohort.centre)
    )
    assert ids is None
    assert criteria == Criteria(series_id=june.pk, number_from="0002", last_name="Mül", sort="-score")


def test_ticked_ids_are_intersected_with_the_search_in_its_order(cohort):
    e = cohort.entries
    foreign = portal().entries["0001"]
    post = _post(
        scope="ticked",
        number_from="0001",
        number_to="0003",
        sort="-number",
        entry=[e["0001"].pk, e["0003"].pk, e["0004"].pk, foreign.pk, e["0001"].pk, "x", "-1"],
    )
    with time_machine.travel(AT, tick=False):
        criteria, ids = selection_from_post(post, Viewer(cohort.centre))
    assert criteria.sort == "-number"
    assert ids == [e["0003"].pk, e["0001"].pk]  # 0004 is outside the range, the foreign one another centre's


def test_nothing_ticked_is_an_empty_list(cohort):
    assert selection_from_post(_post(scope="ticked"), Viewer(cohort.centre)) == (Criteria(), [])


def test_a_preparation_centre_selects_nothing_before_release(cohort):
    post = _post(scope="ticked", entry=[e.pk for e in cohort.entries.values()])
    with time_machine.travel(BEFORE, tick=False):
        assert selection_from_post(post, Viewer(cohort.prep))[1] == []
    with time_machine.travel(AT, tick=False):
        assert selection_from_post(post, Viewer(cohort.other_prep))[1] == [cohort.entries["0003"].pk]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"scope": "search", "number_to": "7"}, "Enter the To candidate number as 4 digits, like 0042."),
        ({"scope": "search", "series": "999999"}, "Choose a series from the list."),
        ({"scope": "everything"}, "Choose the ticked results or every result of the search."),
        ({}, "Choose the ticked results or every result of the search."),
    ],
)
def test_bad_criteria_or_scope_raise_a_clear_error(cohort, fields, message):
    with pytest.raises(ApplicationError) as raised:
        selection_from_post(_post(**fields), Viewer(cohort.centre))
    assert raised.value.message == message


def test_a_preparation_centre_cannot_filter_by_preparation_centre(cohort):
    criteria, _ = selection_from_post(
        _post(scope="search", preparation_centre=cohort.other_prep.pk), Viewer(cohort.prep)
    )
    assert criteria.preparation_centre_id is None
