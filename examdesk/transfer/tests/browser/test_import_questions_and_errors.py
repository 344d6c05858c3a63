"""What the import asks and what it refuses: dates that read two ways, and files it cannot use."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.people.models import Candidate
from examdesk.transfer.models import ImportBatch
from examdesk.transfer.tests.browser.support import (
    centre_with_vocabularies,
    commit,
    detail,
    open_import_page,
    sign_in_and_open_candidates,
    summary_counts,
    upload,
)

pytestmark = pytest.mark.browser

IMPORT_BUTTON = re.compile(r"^Import\b")

AMBIGUOUS = (
    "Unique ID,First name,Last name,Date of birth\r\n"
    "S-1,Ana,Pereira,03/04/2012\r\n"
    "S-2,Ben,Okafor,05/06/2011\r\n"
    "S-3,Chloé,Martin,11/12/2012\r\n"
    "S-4,Dawit,Tesfaye,\r\n"
)


def test_dates_that_read_both_ways_are_asked_about_and_read_as_the_person_answers(live_server, page, tmp_path):
    centre = centre_with_vocabularies("73001")
    file = tmp_path / "us-export.csv"
    file.write_bytes(AMBIGUOUS.encode("utf-8"))
    sign_in_and_open_candidates(page, live_server, centre)
    open_import_page(page)
    upload(page, file)

    question = page.get_by_role("group", name="The dates of birth in this file can be read two ways")
    expect(question).to_be_visible()
    expect(question).to_contain_text("for example 03/04/2012, 05/06/2011, 11/12/2012")
    # Nothing can be imported until the question is answered; the file can still be dropped.
    expect(page.get_by_role("button", name=IMPORT_BUTTON)).to_have_count(0)
    expect(page.get_by_role("button", name="Do not import: I will fix the file first")).to_be_visible()
    assert summary_counts(page)["Rows read"] == "4"
    assert_accessible(page)

    # Asking again without an answer says what is missing, first thing on the page and at the question.
    page.get_by_role("button", name="Check the file again").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    expect(question).to_have_accessible_description("Error: Choose how the dates are written.")
    day_first = question.get_by_role("radio", name="Day first (03/04/2012 is 3 April 2012)")
    expect(day_first).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    summary.get_by_role("link", name="Choose how the dates are written.").click()
    expect(day_first).to_be_focused()

    question.get_by_role("radio", name="Month first (03/04/2012 is March 4, 2012)").check()
    page.get_by_role("button", name="Check the file again").click()
    expect(page.get_by_role("heading", name="What the file would do", level=2)).to_be_visible()
    expect(page.get_by_role("group", name="The dates of birth in this file can be read two ways")).to_have_count(0)
    assert (summary_counts(page)["New candidates"], summary_counts(page)["Rows with problems (left out)"]) == ("4", "0")
    assert not Candidate.objects.exists()

    commit(page, "Import 4 valid rows")
    page.get_by_role("link", name="See your candidates").click()
    page.get_by_role("link", name="Pereira, Ana").click()
    expect(detail(page, "Date of birth")).to_have_text("4 March 2012")
    born = dict(Candidate.objects.filter(centre=centre).values_list("unique_id", "date_of_birth"))
    assert born == {"S-1": date(2012, 3, 4), "S-2": date(2011, 5, 6), "S-3": date(2012, 11, 12), "S-4": None}


def test_the_import_page_says_what_is_wrong_with_a_missing_unreadable_or_incomplete_file(live_server, page, tmp_path):
    centre = centre_with_vocabularies("73002")
    sign_in_and_open_candidates(page, live_server, centre)
    open_import_page(page)

    # No file chosen.
    page.get_by_role("button", name="Check the file").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Choose the file to import.")
    expect(link).to_have_attribute("href", "#id_file")
    expect(page.get_by_label("Candidate file")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    link.click()
    expect(page.get_by_label("Candidate file")).to_be_focused()
    assert not ImportBatch.objects.exists()

    # A PDF that someone renamed to .xlsx: the content decides, and the message says what to do.
    pdf = tmp_path / "candidates.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    upload(page, pdf, check_job_page=True)
    expect(page.locator(".lead")).to_have_text("Status: Could not be read")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This file is a PDF document, not a spreadsheet.")
    expect(alert).to_contain_text("Excel Workbook (.xlsx)")
    expect(page.get_by_role("button", name=IMPORT_BUTTON)).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Upload another file").click()
    expect(page.get_by_role("heading", name="Import candidates from a spreadsheet", level=1)).to_be_visible()

    # A file without a "Last name" column: the preview names what is missing and imports nothing.
    partial = tmp_path / "names.csv"
    partial.write_bytes(b"Unique ID;First name;Class\r\n1001;Ana;7A\r\n1002;Ben;7B\r\n")
    upload(page, partial)
    problem = page.get_by_role("alert")
    expect(problem.get_by_role("heading", name="This file cannot be imported as it is")).to_be_visible()
    expect(problem).to_contain_text("The file has no column for: Last name.")
    expect(page.get_by_role("button", name=IMPORT_BUTTON)).to_have_count(0)
    expect(page.get_by_role("button", name="Do not import: I will fix the file first")).to_be_visible()
    assert_accessible(page)
    assert not Candidate.objects.exists()
