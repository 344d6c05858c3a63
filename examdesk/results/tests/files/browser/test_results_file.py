"""Board staff import the results file in the browser: upload, read the problem on the preview, import the good
rows, download the problem report. A centre admin cannot reach the pages at all."""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, BoardMembershipFactory, member
from examdesk.results.models import Entry, Result
from examdesk.results.tests.files.support import csv_bytes, fce_row, setting

pytestmark = pytest.mark.browser

BOARD = "board@results.example.org"
ADMIN = "admin@orchard.example.org"


def summary_counts(page) -> dict[str, str]:
    summary = page.locator("dl.summary")
    return dict(zip(summary.locator("dt").all_inner_texts(), summary.locator("dd").all_inner_texts(), strict=True))


def test_board_staff_import_a_results_file_with_one_bad_row(live_server, page, tmp_path):
    s = setting()
    BoardMembershipFactory(board=s.board, user__email=BOARD)
    member(s.centre, Role.CENTRE_ADMIN, email=ADMIN)
    file = tmp_path / "june-2026.csv"
    file.write_bytes(csv_bytes([fce_row(), fce_row("0002", "S-2", RD=300), fce_row("0003", "S-3", SP="absent")]))

    sign_in(page, live_server, BOARD, PASSWORD)
    page.goto(f"{live_server.url}/board/results-files/")
    expect(page.get_by_role("heading", name="Results files", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Results file", exact=True).set_input_files(file)
    page.get_by_role("button", name="Check the file").click()
    # The file's own page shows the check, then the preview in place: no job page, no Continue.

    expect(page.get_by_role("heading", name="Results file june-2026.csv", level=1)).to_be_visible()
    counts = summary_counts(page)
    assert (counts["Rows read"], counts["New results"], counts["Rows with problems (left out)"]) == ("3", "2", "1")
    table = page.get_by_role("table", name="Problems found in the file, by row")
    problem = table.locator("tbody tr")
    expect(problem).to_have_count(1)
    expect(problem.locator("td").first).to_have_text("3")  # the row number as the spreadsheet shows it
    expect(problem).to_contain_text("300 is outside the scale of Reading (RD), 140 to 210.")
    assert not Entry.objects.exists()
    assert_accessible(page)

    page.get_by_role("button", name="Import 2 good rows and leave out 1").click()

    expect(page.get_by_role("status")).to_have_text(
        re.compile(r"Imported: 2 new results, 0 changed, 0 unchanged, 1 row left out\.")
    )
    counts = summary_counts(page)
    assert (counts["New candidates"], counts["New entries"], counts["New results"]) == ("2", "2", "2")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the problem report (.xlsx)").click()
    report = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(report)
    sheet = openpyxl.load_workbook(report)["Problems"]
    assert sheet.cell(2, 1).value == 3 and "outside the scale" in sheet.cell(2, 2).value
    assert sorted(Entry.objects.values_list("candidate__unique_id", flat=True)) == ["S-1", "S-3"]
    assert Result.objects.get(entry__candidate__unique_id="S-3").component_scores["SP"]["state"] == "absent"

    page.goto(f"{live_server.url}/board/results-files/")
    row = page.get_by_role("table", name="Results files uploaded, newest first").get_by_role("row").nth(1)
    expect(row).to_contain_text("june-2026.csv")
    expect(row).to_contain_text("Imported")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, ADMIN, PASSWORD)
    response = page.goto(f"{live_server.url}/board/results-files/")
    assert response is not None and response.status == 404
    assert_accessible(page)
