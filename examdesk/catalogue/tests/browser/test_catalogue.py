"""Board staff manage the catalogue in the product's own pages; everyone sees the release dates on the home page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from examdesk.catalogue.models import Qualification, Release, Series
from examdesk.catalogue.tests import factories
from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, fill_date, sign_in
from examdesk.core.tests.factories import PASSWORD, BoardFactory, BoardMembershipFactory, CentreFactory, member

pytestmark = pytest.mark.browser

BAD_FILE = b"""\
qualifications:
  - code: PET
    name: B1 Preliminary
    overall: {min: 102, max: 170}
    components:
      - {code: RD, name: Reading, min: 102, max: 170}
    bands:
      - {min: 140, label: Pass, cefr: B1}
"""
GOOD_FILE = BAD_FILE + b"      - {min: 102, label: No certificate, certificate: false}\n"


def board_staff(time_zone: str = "Europe/London"):
    board = BoardFactory(time_zone=time_zone)
    BoardMembershipFactory(board=board, user__email="board@example.org", user__full_name="Bea Board")
    return board


def open_qualifications(page, live_server):
    sign_in(page, live_server, "board@example.org", PASSWORD)
    page.get_by_role("navigation", name="Board").get_by_role("link", name="Qualifications (board)").click()
    expect(page.get_by_role("heading", name="Qualifications", level=1)).to_be_visible()


def test_board_staff_add_a_qualification_after_fixing_a_scale(live_server, page):
    board_staff()
    open_qualifications(page, live_server)
    assert_accessible(page)

    page.get_by_role("link", name="Add a qualification").click()
    expect(page.get_by_role("heading", name="Add a qualification", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Code", exact=True).fill("PET")
    page.get_by_label("Name", exact=True).fill("B1 Preliminary")
    page.get_by_label("Family (optional)").fill("Cambridge English")
    page.get_by_label("Lowest overall score (min)").fill("102")
    page.get_by_label("Highest overall score (max)").fill("170")
    for n, (code, name) in enumerate([("RD", "Reading"), ("WR", "Writing")], start=1):
        page.get_by_label(f"Component {n}: code").fill(code)
        page.get_by_label(f"Component {n}: name").fill(name)
        page.get_by_label(f"Component {n}: min score").fill("102")
    page.get_by_label("Component 1: max score").fill("170")
    page.get_by_label("Component 2: max score").fill("100")  # below its min: a typing slip
    page.get_by_label("Band 1: from overall score").fill("140")
    page.get_by_label("Band 1: grade").fill("C")
    page.get_by_label("Band 1: result").fill("Pass")
    page.get_by_label("Band 1: CEFR level").fill("B1")
    page.get_by_label("Band 2: from overall score").fill("102")
    page.get_by_label("Band 2: result").fill("No certificate")
    page.get_by_label("Band 2: awards a certificate").uncheck()
    page.get_by_role("button", name="Add the qualification").click()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    message = "Component 2, max score: must be greater than the min score (102)."
    expect(summary).to_contain_text(message)
    expect(summary).to_contain_text("Nothing has been saved.")
    expect(page.get_by_label("Name", exact=True)).to_have_value("B1 Preliminary")
    expect(page.get_by_label("Component 2: name")).to_have_value("Writing")
    expect(page.get_by_label("Band 2: awards a certificate")).not_to_be_checked()
    assert_accessible(page)
    assert not Qualification.objects.filter(code="PET").exists()

    summary.get_by_role("link", name=message).click()
    wrong = page.get_by_label("Component 2: max score")
    expect(wrong).to_be_focused()
    expect(wrong).to_have_value("100")
    wrong.fill("170")
    page.get_by_role("button", name="Add the qualification").click()

    expect(page.get_by_role("heading", name="B1 Preliminary (PET)", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Qualification PET B1 Preliminary has been created.")
    bands = page.get_by_role("table", name="Grading bands of B1 Preliminary, highest first")
    expect(bands.get_by_role("row").nth(1)).to_contain_text("140 to 170")
    expect(bands.get_by_role("row").nth(2)).to_contain_text("102 to 139")
    expect(bands.get_by_role("row").nth(2)).to_contain_text("No certificate")
    assert_accessible(page)
    assert list(Qualification.objects.get(code="PET").components.values_list("code", flat=True)) == ["RD", "WR"]


def test_board_staff_load_a_file_with_a_problem_then_the_corrected_file(live_server, page):
    board_staff()
    open_qualifications(page, live_server)
    page.get_by_role("link", name="Load a qualification file").click()
    expect(page.get_by_role("heading", name="Load a qualification file", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Qualification file").set_input_files(
        files=[{"name": "pet.yaml", "mimeType": "application/yaml", "buffer": BAD_FILE}]
    )
    page.get_by_role("button", name="Load the file").click()
    expect(page.get_by_role("alert")).to_contain_text("pet.yaml: 1 problem; nothing was loaded.")
    problems = page.get_by_role("list", name="Problems in the file")
    expect(problems).to_contain_text(
        "line 8: qualifications[0] (PET).bands[0].min: the lowest band starts at 140, above the lowest overall "
        "score 102; add a band (e.g. 'No certificate') from 102."
    )
    assert_accessible(page)
    assert not Qualification.objects.exists()

    page.get_by_label("Qualification file").set_input_files(
        files=[{"name": "pet.yaml", "mimeType": "application/yaml", "buffer": GOOD_FILE}]
    )
    page.get_by_role("button", name="Load the file").click()
    expect(page.get_by_role("status")).to_have_text("pet.yaml is loaded: created PET.")
    row = page.get_by_role("table", name="Qualifications of the board").get_by_role("row").filter(has_text="PET")
    expect(row).to_contain_text("B1 Preliminary")
    assert_accessible(page)


def test_a_release_time_set_by_the_board_appears_on_the_public_home_page(live_server, page, browser):
    board = board_staff()
    factories.demo_qualifications(board)
    open_qualifications(page, live_server)
    page.get_by_role("navigation", name="Board").get_by_role("link", name="Series and release dates (board)").click()
    expect(page.get_by_role("heading", name="Series and release dates", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a series").click()
    assert_accessible(page)
    page.get_by_label("Code").fill("2099-06")
    page.get_by_label("Name").fill("June 2099")
    fill_date(page, "Start date (optional)", date(2099, 5, 4))
    page.get_by_role("button", name="Add the series").click()
    expect(page.get_by_role("status")).to_have_text("Series June 2099 (2099-06) has been created.")

    page.get_by_role("link", name="Release dates of June 2099").click()
    expect(page.get_by_role("heading", name="Release dates: June 2099", level=1)).to_be_visible()
    expect(page.get_by_text("Times are in the board's time zone: Europe/London.")).to_be_visible()
    assert_accessible(page)
    fill_date(page, "Release of B2 First (FCE), Europe/London", date(2099, 8, 13), time="08:00")
    fill_date(page, "Release of A1 Movers (YLE-MOV), Europe/London", date(2099, 8, 13), time="09:30")
    page.get_by_role("button", name="Save release times").click()
    expect(page.get_by_role("status")).to_have_text("Release times saved for FCE, YLE-MOV.")
    rows = page.get_by_role("table", name="Release times of June 2099").get_by_role("row")
    expect(rows.filter(has_text="B2 First")).to_contain_text("Upcoming 13 August 2099, 08:00 (Europe/London)")
    expect(rows.filter(has_text="A2 Key")).to_contain_text("Not set")
    assert_accessible(page)
    series = Series.objects.get(code="2099-06")
    assert Release.objects.get(series=series, qualification__code="FCE").released_at == datetime(
        2099, 8, 13, 7, 0, tzinfo=UTC
    )

    # Anyone, signed in or not, sees it on the home page.
    visitor = browser.new_page()
    visitor.goto(live_server.url)
    dates = visitor.get_by_role("table", name="Results release dates")
    fce = dates.get_by_role("row").filter(has_text="B2 First (FCE)")
    expect(fce).to_contain_text("June 2099")
    expect(fce).to_contain_text("13 August 2099, 08:00 (Europe/London)")
    expect(fce).to_contain_text("Upcoming")
    movers = dates.get_by_role("row").filter(has_text="A1 Movers (YLE-MOV)")
    expect(movers).to_contain_text("Not available online; contact your centre")
    expect(dates).not_to_contain_text("A2 Key")
    assert_accessible(visitor)
    visitor.close()


def test_centre_staff_see_release_dates_in_their_centres_zone_and_cannot_reach_the_board_pages(live_server, page):
    board = BoardFactory(time_zone="Europe/London")
    centre = CentreFactory(board=board, name="Harbour School", time_zone="America/New_York")
    member(centre, Role.CENTRE_ADMIN, email="admin@harbour.example.org")
    fce = factories.qualification(board, "FCE")
    factories.release(fce, factories.series(board), datetime(2099, 8, 13, 7, 0, tzinfo=UTC))

    sign_in(page, live_server, "admin@harbour.example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Harbour School", level=1)).to_be_visible()
    for path in ("/catalogue/", "/catalogue/series/", "/catalogue/qualifications/new/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 404, path
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Results release dates").click()
    expect(page.get_by_role("heading", name="Results release dates", level=1)).to_be_visible()
    row = page.get_by_role("table", name="Results release dates").get_by_role("row").filter(has_text="B2 First")
    expect(row).to_contain_text("13 August 2099, 08:00 (Europe/London)")
    expect(row).to_contain_text("13 August 2099, 03:00 (America/New_York)")
    assert_accessible(page)
