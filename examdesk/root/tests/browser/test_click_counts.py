"""Clicks of two everyday tasks, counted as a person makes them (choosing a file counts as one click).

Before the design-system change, on main: the nine-row candidate import took 7 clicks (Candidates, Import from a
spreadsheet, choose the file, Check the file, Continue on the checking job's page, Import 9 valid rows, Continue on
the importing job's page) and finding a candidate's result and printing the statement took 5 (Results, Search,
tick the result, Statements for the ticked results, Download on the job's page).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, member
from examdesk.people.models import Candidate
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.tests.factories import entry_with_result
from examdesk.transfer.tests.browser.support import ADMIN, centre_with_vocabularies

pytestmark = pytest.mark.browser

NINE_ROWS = "Unique ID,First name,Last name,Date of birth\r\n" + "".join(
    f"N-{n},Name{n},Family{n},2012-01-1{n}\r\n" for n in range(1, 10)
)


class Clicks:
    """Does what a person does with the mouse, and counts it."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator, action: str = "click", *args) -> None:
        self.count += 1
        getattr(locator, action)(*args)


def test_a_nine_row_import_takes_five_clicks(live_server, page, tmp_path):
    centre = centre_with_vocabularies("79001")
    file = tmp_path / "nine.csv"
    file.write_text(NINE_ROWS)
    sign_in(page, live_server, ADMIN, PASSWORD)
    click = Clicks()
    click(page.get_by_role("navigation", name=centre.name).get_by_role("link", name="Candidates"))
    click(page.get_by_role("link", name="Import from a spreadsheet"))
    click(page.get_by_label("Candidate file"), "set_input_files", file)
    click(page.get_by_role("button", name="Check the file"))
    # The preview is on the import's own page: no job page, no Continue.
    expect(page.get_by_role("heading", name="What the file would do", level=2)).to_be_visible()
    assert_accessible(page)
    click(page.get_by_role("button", name="Import 9 valid rows"))
    expect(page.get_by_role("status")).to_have_text("Imported: 9 new, 0 updated, 0 unchanged.")
    assert_accessible(page)
    assert Candidate.objects.filter(centre=centre).count() == 9
    assert click.count == 5  # 7 before


def test_finding_a_result_and_printing_its_statement_takes_four_clicks(live_server, page):
    centre = centre_with_vocabularies("79002")
    member(centre, Role.EXAMS_OFFICER, email="officer@orchard.example.org")
    released = datetime.now(UTC) - timedelta(days=3)
    for n in range(1, 6):
        candidate = CandidateFactory(centre=centre, last_name=f"Other{n}")
        entry_with_result(candidate=candidate, candidate_number=f"000{n}", released_at=released)
    zoe = CandidateFactory(centre=centre, first_name="Zoë", last_name="Müller")
    entry_with_result(candidate=zoe, candidate_number="0042", released_at=released)
    sign_in(page, live_server, "officer@orchard.example.org", PASSWORD)
    click = Clicks()
    click(page.get_by_role("navigation", name=centre.name).get_by_role("link", name="Results", exact=True))
    # The list narrows as the name is typed: no Search button to press.
    page.get_by_label("Last name").fill("muller")
    expect(page.get_by_role("heading", name="1 entry", level=2)).to_be_visible()
    assert_accessible(page)
    click(page.get_by_label(re.compile("^Select 0042")), "check")
    click(page.get_by_role("button", name="Statements for the ticked results (PDF)"))
    with page.expect_download() as download:
        click(page.get_by_role("link", name=re.compile("^Download ")).first)
    assert download.value.suggested_filename.endswith(".pdf")
    assert click.count == 4  # 5 before
