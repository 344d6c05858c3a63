"""The results search page: report criteria, validation, sorting, pages, the clear answers, constant queries."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from examdesk.catalogue.tests.factories import qualification, series
from examdesk.core.tests.factories import BoardMembershipFactory, UserFactory
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.centre.selectors import NOT_ONLINE_FOR_PREPARATION
from examdesk.results.gate import NOT_ONLINE_MESSAGE
from examdesk.results.tests.centre.portal import AT, BEFORE, portal, table_rows
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return portal()


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _numbers(html):
    return [row["Candidate number"] for row in table_rows(html)]


def test_number_range_single_number_and_names_without_accents(client, cohort):
    client.force_login(cohort.officer())
    url = f"/centres/{cohort.centre.number}/results/"
    with time_machine.travel(AT, tick=False):
        assert _numbers(_get(client, url, number_from="0002", number_to="0004")) == ["0002", "0003", "0004"]
        assert _numbers(_get(client, url, number_from="0003")) == ["0003"]
        assert _numbers(_get(client, url, number_to="0003")) == ["0003"]
        assert _numbers(_get(client, url, number_from="0003", number_to="0003")) == ["0003"]
        assert _numbers(_get(client, url, last_name="muller")) == ["0002"]
        assert _numbers(_get(client, url, first_name="CHLO", last_name="ll")) == ["0002"]
        assert _numbers(_get(client, url, last_name="lukas")) == ["0001"]
        assert _numbers(_get(client, url, preparation_centre=cohort.prep.pk)) == ["0001", "0002", "0005"]
        assert _numbers(_get(client, url, grade="A")) == ["0001"]
        assert _numbers(_get(client, url, status="released")) == ["0001", "0002", "0003", "0004", "0005"]


@pytest.mark.parametrize("typed", ["42", "00042", "12a4", "０００１"])
def test_candidate_numbers_are_four_digits_with_a_clear_message(client, cohort, typed):
    client.force_login(cohort.officer())
    html = _get(client, f"/centres/{cohort.centre.number}/results/", number_from=typed)
    assert "There is a problem" in html
    assert 'href="#id_number_from">Enter the From candidate number as 4 digits, like 0042.' in html
    assert 'aria-invalid="true"' in html
    assert table_rows(html) == []


def test_sorting_by_column_headers_with_aria_sort(client, cohort):
    client.force_login(cohort.officer())
    url = f"/centres/{cohort.centre.number}/results/"
    with time_machine.travel(AT, tick=False):
        html = _get(client, url)
        assert '<th scope="col" aria-sort="ascending"><a href="?sort=-number">Candidate number</a>' in html
        assert '<a href="?sort=-score">Score</a>' in html  # the best first, on the first click
        by_score = _get(client, url, sort="-score")
        assert [row["Score"] for row in table_rows(by_score)] == ["202", "194", "190", "170", "150"]
        assert 'aria-sort="descending"><a href="?sort=score">Score</a>' in by_score
        assert _numbers(_get(client, url, sort="name")) == ["0005", "0001", "0003", "0002", "0004"]
        assert _numbers(_get(client, url, sort="-number")) == ["0005", "0004", "0003", "0002", "0001"]
        # An unknown sort is the default order, not an error.
        assert _numbers(_get(client, url, sort="candidate__date_of_birth")) == ["0001", "0002", "0003", "0004", "0005"]
        # Sort links keep the criteria.
        ranged = _get(client, url, number_from="0002", number_to="0004")
        assert '<a href="?number_from=0002&amp;number_to=0004&amp;sort=-number">Candidate number</a>' in ranged


def test_before_release_the_score_sort_reveals_nothing(client, cohort):
    client.force_login(cohort.officer())
    with time_machine.travel(BEFORE, tick=False):
        html = _get(client, f"/centres/{cohort.centre.number}/results/", sort="-score")
    assert _numbers(html) == ["0001", "0002", "0003", "0004", "0005"]
    assert {row["Score"] for row in table_rows(html)} == {"–"}


def test_pages_of_fifty_keep_the_criteria(client, cohort):
    june = cohort.entries["0001"].series
    for number in range(10, 70):
        entry_with_result(centre=cohort.centre, series=june, released_at=AT, candidate_number=f"{number:04d}")
    client.force_login(cohort.officer())
    url = f"/centres/{cohort.centre.number}/results/"
    with time_machine.travel(AT, tick=False):
        first = _get(client, url, number_from="0010", number_to="0099", sort="-number")
        assert len(table_rows(first)) == 50 and "60 entries" in first
        assert 'href="?number_from=0010&amp;number_to=0099&amp;sort=-number&amp;page=2">Next page</a>' in first
        second = _get(client, url, number_from="0010", number_to="0099", sort="-number", page=2)
    assert _numbers(second) == [f"{n:04d}" for n in range(19, 9, -1)]
    # The bulk actions post the criteria back as hidden fields with the form's names.
    assert '<input type="hidden" name="number_from" value="0010">' in second
    assert '<input type="hidden" name="sort" value="-number">' in second


def test_no_match_says_what_was_searched_for(client, cohort):
    client.force_login(cohort.officer())
    june = cohort.entries["0001"].series
    html = _get(
        client,
        f"/centres/{cohort.centre.number}/results/",
        series=june.pk,
        number_from="0100",
        number_to="0200",
        last_name="Zed",
    )
    assert "No entries match series June 2026, candidate numbers 0100 to 0200, last name containing “Zed”." in html


def test_a_search_whose_results_are_all_unreleased_says_when_they_are_released(client, cohort):
    client.force_login(cohort.officer())
    with time_machine.travel(BEFORE, tick=False):
        html = _get(client, f"/centres/{cohort.centre.number}/results/")
    assert "Results for B2 First in June 2026 are released on 13 August 2026, 08:00 (Europe/London)." in html
    assert table_rows(html)[0]["Result"] == "Available 13 August 2026, 08:00 (Europe/London)"
    with time_machine.travel(AT, tick=False):
        assert "are released on" not in _get(client, f"/centres/{cohort.centre.number}/results/")


def test_not_online_qualification_is_answered_for_exam_and_preparation_centres(client, cohort):
    movers = qualification(cohort.centre.board, "YLE-MOV")
    entry = entry_with_result(
        candidate=CandidateFactory(centre=cohort.centre),
        qualification=movers,
        series=cohort.entries["0001"].series,
        released_at=AT,
        candidate_number="0009",
        scores={"LI": 5, "RW": 4, "SP": 5},
    )
    entry.preparation_centre = cohort.prep
    entry.save()
    client.force_login(cohort.officer())
    with time_machine.travel(AT, tick=False):
        html = _get(client, f"/centres/{cohort.centre.number}/results/", qualification=movers.pk)
        assert NOT_ONLINE_MESSAGE in html
        assert table_rows(html)[0]["Result"] == "Not available online: contact the centre"
        assert "Shields" not in html
        client.force_login(cohort.prep_viewer())
        prep_html = _get(client, f"/centres/{cohort.prep.number}/results/", qualification=movers.pk)
    assert NOT_ONLINE_FOR_PREPARATION in prep_html
    assert "Results for this qualification are not available online; contact the exam centre." in prep_html
    assert table_rows(prep_html) == []


def test_preparation_centre_searching_before_release_sees_the_release_date_only(client, cohort):
    client.force_login(cohort.prep_viewer())
    fce = cohort.entries["0001"].qualification
    with time_machine.travel(BEFORE, tick=False):
        html = _get(client, f"/centres/{cohort.prep.number}/results/", qualification=fce.pk)
    assert "No entries match qualification B2 First." in html
    assert "Results for B2 First in June 2026 are released on 13 August 2026, 08:00 (Europe/London)." in html
    assert "Chloé" not in html and "0002" not in html


def test_board_preview_is_marked_and_gives_no_release_notice(client, cohort):
    staff = UserFactory()
    BoardMembershipFactory(user=staff, board=cohort.centre.board)
    client.force_login(staff)
    with time_machine.travel(BEFORE, tick=False):
        html = _get(client, f"/centres/{cohort.centre.number}/results/")
    assert "Board preview" in html and "are released on" not in html
    assert table_rows(html)[0]["Score"] == "202"


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_page_costs_the_same_queries_whatever_the_number_of_entries(client, cohort, django_assert_max_num_queries):
    """5 entries or 65 (two pages, of two qualifications, half at another preparation centre): the same count."""
    officer = cohort.officer()
    client.force_login(officer)
    url = f"/centres/{cohort.centre.number}/results/?sort=-score&last_name=e&status=released"
    with time_machine.travel(AT, tick=False):
        client.get(url)  # the first page after signing in also checks for two-step sign-in, once per few minutes
        few = _queries(client, url)
        june = cohort.entries["0001"].series
        ket = qualification(cohort.centre.board, "KET")
        for number in range(100, 160):
            entry = entry_with_result(
                candidate=CandidateFactory(centre=cohort.centre, last_name=f"Teller{number}"),
                series=june,
                released_at=AT,
                qualification=ket if number % 2 else None,
                candidate_number=f"{number:04d}",
                scores={"RW": 140, "LI": 130, "SP": 135} if number % 2 else None,
            )
            entry.preparation_centre = cohort.other_prep if number % 3 else cohort.prep
            entry.save()
        many = _queries(client, url)
        assert many == few
        with django_assert_max_num_queries(few):
            client.get(url + "&page=2")
        other_series = series(cohort.centre.board, "2026-11", "November 2026")
        html = _get(client, f"/centres/{cohort.centre.number}/results/", series=other_series.pk)
    # A series of the board without entries here is not offered, and asking for it is an error, not a leak.
    assert ">November 2026</option>" not in html
    assert "Choose a series from the list." in html
