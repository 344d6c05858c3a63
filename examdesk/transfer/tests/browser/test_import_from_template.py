"""From the empty template to candidates in the register, as a school admin does it in the browser.

Download the Excel template, fill it the way a person would (a date in a real date cell, IDs with leading zeros
typed into the template's text-formatted ID column, one mistyped UPN, one ID used twice), upload it, read the
problems the preview lists, decide not to import, fix the file, upload it again, import it, download the report,
and find the new candidates in the list.
"""

from __future__ import annotations

import re
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.people.models import Candidate
from examdesk.transfer.models import ImportBatch
from examdesk.transfer.tests.browser.support import (
    centre_with_vocabularies,
    commit,
    open_import_page,
    problem_rows,
    save_download,
    sign_in_and_open_candidates,
    summary_counts,
    upload,
)

pytestmark = pytest.mark.browser

TEXT = "@"  # the number format of a text cell
GOOD_UPN = "B801200005001"
MISTYPED_UPN = "B801200005010"  # one digit changed: the check letter no longer fits
OTHER_UPN = "A801200005010"


def _fill(sheet, row: int, values: dict[str, object], headers: dict[str, int]) -> None:
    for header, value in values.items():
        cell = sheet.cell(row=row, column=headers[header], value=value)
        if header == "Unique ID":
            cell.number_format = TEXT  # as the template formats the column: what is typed stays text
        elif isinstance(value, date):
            cell.number_format = "dd/mm/yyyy"  # a British Excel shows the date its own way; the cell is a date


def test_a_filled_template_is_checked_fixed_imported_and_its_candidates_found(live_server, page, tmp_path):
    centre = centre_with_vocabularies("71001")
    sign_in_and_open_candidates(page, live_server, centre)
    expect(page.get_by_role("heading", name="0 candidates", level=2)).to_be_visible()
    assert_accessible(page)
    open_import_page(page)
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel template (.xlsx)").click()
    assert download_info.value.suggested_filename == "candidate-template.xlsx"
    workbook = openpyxl.load_workbook(save_download(download_info.value, tmp_path))
    assert workbook.sheetnames == ["Candidates", "Guidance", "Lists"]
    sheet = workbook["Candidates"]
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    assert list(headers)[:4] == ["Unique ID", "First name", "Last name", "Date of birth"]

    rows = [
        {"Unique ID": "00123", "First name": "Ana", "Last name": "Pereira", "Date of birth": date(2012, 4, 3),
         "Gender": "F", "Nationality": "PT", "Ethnicity": "WOTH", "SEN status": "N", "UPN": GOOD_UPN,
         "Groups": "7A"},
        {"Unique ID": "00124", "First name": "Ben", "Last name": "Okafor", "Date of birth": date(2011, 12, 30),
         "Gender": "M", "UPN": MISTYPED_UPN, "Groups": "7A"},
        {"Unique ID": "00125", "First name": "Chloé", "Last name": "Martin", "Date of birth": date(2012, 1, 15),
         "Groups": "7B"},
        {"Unique ID": "00125", "First name": "Dawit", "Last name": "Tesfaye", "Date of birth": date(2012, 2, 1),
         "Groups": "7B"},
        {"Unique ID": "00126", "First name": "Zoë", "Last name": "Nguyễn", "E-mail address": "zoe@example.org"},
    ]  # fmt: skip
    for number, values in enumerate(rows, start=2):
        _fill(sheet, number, values, headers)
    first_try = tmp_path / "first-try" / "year7.xlsx"
    first_try.parent.mkdir()
    workbook.save(first_try)

    upload(page, first_try, check_job_page=True)
    counts = summary_counts(page)
    assert counts["Rows read"] == "5"
    assert (counts["New candidates"], counts["Rows with problems (left out)"]) == ("3", "2")
    assert counts["File"] == "XLSX"
    expect(page.get_by_role("heading", name="Problems to fix (2)", level=2)).to_be_visible()
    problems = problem_rows(page)
    assert [(p["Row"], p["Column"], p["Value"]) for p in problems] == [
        ("4", "Unique ID", "00125"),
        ("5", "Unique ID", "00125"),
    ]
    for duplicate in problems:
        assert duplicate["Problem"] == "The unique ID 00125 is on more than one row of this file (rows 4, 5)."
        assert "one row per candidate" in duplicate["How to fix it"]
    # A mistyped UPN does not leave Ben out: it is a warning, imported empty and kept as written.
    expect(page.get_by_role("heading", name="Values imported empty (1)", level=2)).to_be_visible()
    warned = page.get_by_role("table", name="Values that match nothing on the list or cannot be read")
    expect(warned.get_by_role("row").filter(has_text=MISTYPED_UPN)).to_contain_text("the pupil's record")
    expect(page.get_by_role("main")).to_contain_text("this file are not at your centre yet (00123, 00124, 00126)")
    expect(page.get_by_role("button", name="Import 3 valid rows and leave out 2")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Do not import: I will fix the file first").click()
    expect(page.get_by_role("heading", name="Import candidates from a spreadsheet", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Nothing was imported. Fix the file and upload it again when you are ready."
    )
    recent = page.get_by_role("table", name="Recent imports at this centre")
    expect(recent.get_by_role("row").filter(has_text="year7.xlsx")).to_contain_text("Not imported")
    assert not Candidate.objects.exists()

    # The person fixes the UPN and gives Dawit his own ID, in the same workbook, and uploads it again.
    sheet.cell(row=3, column=headers["UPN"], value=OTHER_UPN)
    sheet.cell(row=5, column=headers["Unique ID"], value="00127").number_format = TEXT
    fixed = tmp_path / "year7.xlsx"
    workbook.save(fixed)

    upload(page, fixed)
    counts = summary_counts(page)
    assert (counts["New candidates"], counts["Rows with problems (left out)"]) == ("5", "0")
    expect(page.get_by_role("table", name="Problems found in the file, by row")).to_have_count(0)
    commit(page, "Import 5 valid rows")
    expect(page.get_by_role("status")).to_have_text("Imported: 5 new, 0 updated, 0 unchanged.")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the import report (.xlsx)").click()
    report = openpyxl.load_workbook(save_download(download_info.value, tmp_path))
    assert report.sheetnames == ["Summary", "Problems"]
    said = {label: value for label, value, *_ in report["Summary"].iter_rows(values_only=True)}
    assert said["Rows read"] == 5 and said["New candidates"] == 5
    assert said["Rows with problems (not imported)"] == 0
    problems_sheet = list(report["Problems"].iter_rows(values_only=True))
    assert problems_sheet[0][:5] == ("Row", "Kind", "Problems", "Unique ID", "First name")
    assert problems_sheet[1:] == [], "no row of the fixed file has a problem"

    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert ImportBatch.objects.filter(status=ImportBatch.Status.COMMITTED).count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="See your candidates").click()
    expect(page.get_by_role("heading", name="5 candidates", level=2)).to_be_visible()
    page.get_by_label("Search (optional)").fill("pereira")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="1 candidate", level=2)).to_be_visible()
    row = page.get_by_role("table", name="Candidates, by last name").get_by_role("row").nth(1)
    expect(row).to_contain_text("Pereira, Ana")
    expect(row).to_contain_text("00123")
    expect(row).to_contain_text("3 Apr 2012")
    expect(row).to_contain_text("7A")

    # Found by the ID as typed, leading zeros and all.
    page.get_by_label("Search (optional)").fill("00127")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="1 candidate", level=2)).to_be_visible()
    page.get_by_role("link", name="Tesfaye, Dawit").click()
    expect(page.get_by_role("heading", name="Dawit Tesfaye", level=1)).to_be_visible()
    assert_accessible(page)

    ana = Candidate.objects.get(centre=centre, unique_id="00123")
    assert (ana.date_of_birth, ana.gender, ana.nationality.code, ana.ethnicity, ana.sen_status, ana.upn) == (
        date(2012, 4, 3), "F", "PT", "WOTH", "N", GOOD_UPN,
    )  # fmt: skip
    assert Candidate.objects.get(centre=centre, unique_id="00124").upn == OTHER_UPN
    assert Candidate.objects.get(centre=centre, unique_id="00126").last_name == "Nguyễn"
