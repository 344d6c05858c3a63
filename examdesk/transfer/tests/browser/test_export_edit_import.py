"""Export → edit → import: the way to update many candidates at once (seed 003)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.people.models import Candidate, Group
from examdesk.people.tests.factories import CandidateFactory
from examdesk.transfer.tests.browser.support import (
    centre_with_vocabularies,
    commit,
    detail,
    open_import_page,
    save_download,
    sign_in_and_open_candidates,
    summary_counts,
    upload,
)

pytestmark = pytest.mark.browser


def test_an_exported_workbook_edited_and_imported_back_updates_just_the_changed_candidate(live_server, page, tmp_path):
    centre = centre_with_vocabularies("72001")
    seven_a = Group.objects.create(centre=centre, name="7A")
    people = [
        CandidateFactory(centre=centre, unique_id="00042", first_name="Jon", last_name="Baptiste",
                         date_of_birth=date(2012, 4, 3), gender="M", nationality="FR", ethnicity="BAFR",
                         sen_status="K", email="jon@example.org"),
        CandidateFactory(centre=centre, unique_id="00043", first_name="Ana", last_name="Pereira",
                         date_of_birth=date(2011, 9, 30), upn="B801200005001"),
        CandidateFactory(centre=centre, unique_id="A-7", first_name="Zoë", last_name="Ødegård"),
    ]  # fmt: skip
    for candidate in people:
        candidate.groups.add(seven_a)

    sign_in_and_open_candidates(page, live_server, centre)
    page.get_by_role("link", name="Export", exact=True).click()
    expect(page.get_by_role("heading", name="Export candidates", level=1)).to_be_visible()
    expect(page.get_by_role("radio", name="Excel workbook (.xlsx)")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Export").click()

    expect(page.get_by_role("heading", name="Export of active candidates (XLSX)", level=1)).to_be_visible()
    expect(page.locator(".job-status")).to_have_text("Finished – Export ready")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download candidates-72001-").click()
    exported = save_download(download_info.value, tmp_path)
    assert exported.name.startswith("candidates-72001-") and exported.suffix == ".xlsx"

    workbook = openpyxl.load_workbook(exported)
    sheet = workbook["Candidates"]
    headers = [cell.value for cell in sheet[1]]
    column = {name: headers.index(name) + 1 for name in headers}
    ids = [sheet.cell(row=row, column=column["Unique ID"]).value for row in range(2, sheet.max_row + 1)]
    assert ids == ["00042", "00043", "A-7"]  # by last name; IDs as text, zeros kept
    jon = ids.index("00042") + 2
    assert sheet.cell(row=jon, column=column["Date of birth"]).is_date
    # Jon's school record now uses his full first name, and he has moved from 7A to 7B.
    sheet.cell(row=jon, column=column["First name"], value="Jonathan")
    sheet.cell(row=jon, column=column["Groups"], value="7B")
    edited = tmp_path / "edited" / "candidates-edited.xlsx"
    edited.parent.mkdir()
    workbook.save(edited)

    page.goto(f"{live_server.url}/centres/72001/candidates/")
    open_import_page(page)
    upload(page, edited)
    counts = summary_counts(page)
    assert counts["Rows read"] == "3"
    assert (counts["New candidates"], counts["Candidates updated"], counts["Unchanged"]) == ("0", "1", "2")
    assert counts["Rows with problems (left out)"] == "0"
    # Every ID is already at the centre: no warning about new candidates.
    expect(page.get_by_role("main")).not_to_contain_text("not at your centre yet")
    commit(page, "Import 3 valid rows")
    expect(page.get_by_role("status")).to_have_text("Imported: 0 new, 1 updated, 2 unchanged.")

    page.get_by_role("link", name="See your candidates").click()
    page.get_by_role("link", name="Baptiste, Jonathan").click()
    expect(page.get_by_role("heading", name="Jonathan Baptiste", level=1)).to_be_visible()
    expect(detail(page, "First name")).to_have_text("Jonathan")
    # The Groups cell is the candidate's groups, as every other cell is that field: he moved from 7A to 7B.
    expect(detail(page, "Groups")).to_have_text("7B")
    expect(detail(page, "Date of birth")).to_have_text("3 April 2012")  # what was not edited stays as it was
    expect(detail(page, "Ethnicity")).to_have_text("Black – African")
    assert_accessible(page)

    jon_now = Candidate.objects.get(centre=centre, unique_id="00042")
    assert (jon_now.first_name, jon_now.email, jon_now.sen_status) == ("Jonathan", "jon@example.org", "K")
    assert {group.name for group in jon_now.groups.all()} == {"7B"}
    assert Candidate.objects.get(centre=centre, unique_id="00043").first_name == "Ana"
