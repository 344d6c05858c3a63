"""The overview: what needs attention, and the grade chart of each released qualification (with its table)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import html

from examdesk.catalogue.tests.factories import qualification, series
from examdesk.centres.models import Role
from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.tests.factories import entry_with_result
from examdesk.transfer.models import ImportBatch

pytestmark = pytest.mark.django_db

HIGH = {"RD": 200, "UE": 200, "WR": 200, "LI": 200, "SP": 200}


def _tables(page: str) -> dict[str, list[list[str]]]:
    tree = html.fromstring(page)
    return {
        " ".join(t.xpath("string(caption)").split()): [
            [" ".join(c.text_content().split()) for c in r] for r in t.xpath(".//tbody/tr")
        ]
        for t in tree.xpath("//table")
    }


def test_a_new_centre_says_there_is_nothing_to_do_and_no_results_yet(client):
    centre = CentreFactory(number="81001")
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    page = client.get("/centres/81001/").content.decode()
    assert "Nothing needs your attention now" in page
    assert "No released results yet" in page and "<svg" not in page


def test_released_results_are_drawn_per_qualification_and_unreleased_ones_are_not(client):
    centre = CentreFactory(number="81002", time_zone="Europe/London")
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    june = series(centre.board, "2026-06", "June 2026")
    past = datetime.now(UTC) - timedelta(days=3)
    for number in range(1, 4):
        entry_with_result(centre=centre, series=june, released_at=past, candidate_number=f"000{number}")
    entry_with_result(centre=centre, series=june, released_at=past, candidate_number="0004", scores=HIGH)
    soon = datetime.now(UTC) + timedelta(days=5)
    entry_with_result(
        candidate=CandidateFactory(centre=centre),
        series=june,
        qualification=qualification(centre.board, "KET"),
        released_at=soon,
        candidate_number="0005",
        scores={"RW": 140, "LI": 130, "SP": 135},
    )
    page = client.get("/centres/81002/").content.decode()
    tables = _tables(page)
    caption = next(name for name in tables if name.startswith("B2 First, June 2026: candidates per grade"))
    assert caption.endswith("(4 candidates)")
    assert tables[caption] == [["A", "1"], ["C", "3"]]  # best grade first, as the bands are ordered
    assert page.count('role="img"') == 1  # KET is not released: no chart, and its grades are nowhere
    assert not [name for name in tables if name.startswith("A2 Key")]
    assert "Next: A2 Key, June 2026, on " in page and "(1 entry)." in page
    assert "1 release coming" in " ".join(html.fromstring(page).xpath("string(//ul[@class='attention'])").split())


def test_an_import_left_with_problems_is_listed_for_whoever_manages_candidates(client):
    centre = CentreFactory(number="81003")
    officer = member(centre, Role.EXAMS_OFFICER)
    ImportBatch.objects.create(
        centre=centre, owner=officer, file_name="y7.csv", status=ImportBatch.Status.READY, summary={"rejected": 2}
    )
    client.force_login(officer)
    page = client.get("/centres/81003/").content.decode()
    assert "import with problems" in page and "See recent imports" in page
    teacher = member(centre, Role.VIEWER, email="viewer@example.org")
    client.force_login(teacher)
    assert "import with problems" not in client.get("/centres/81003/").content.decode()


def test_the_board_sees_the_same_across_its_centres_and_no_one_else_does(client):
    one = CentreFactory(number="81004")
    two = CentreFactory(number="81005", board=one.board)
    june = series(one.board, "2026-06", "June 2026")
    past = datetime.now(UTC) - timedelta(days=3)
    entry_with_result(centre=one, series=june, released_at=past, candidate_number="0001")
    entry_with_result(centre=two, series=june, released_at=past, candidate_number="0001", scores=HIGH)
    staff = BoardMembershipFactory(board=one.board).user
    client.force_login(staff)
    page = client.get("/centres/board/overview/").content.decode()
    assert "Across the board's 2 centres." in page
    caption = next(name for name in _tables(page) if name.startswith("B2 First, June 2026"))
    assert _tables(page)[caption] == [["A", "1"], ["C", "1"]]
    client.force_login(member(one, Role.CENTRE_ADMIN))
    assert client.get("/centres/board/overview/").status_code == 404
