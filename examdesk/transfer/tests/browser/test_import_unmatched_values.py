"""Nationality as people write it, and values no list knows: warned about, kept, mapped once, never dropped."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.people.models import Candidate, ValueMapping
from examdesk.transfer.tests.browser.support import (
    centre_with_vocabularies,
    commit,
    open_import_page,
    sign_in_and_open_candidates,
    summary_counts,
    upload,
)

pytestmark = pytest.mark.browser

ROSTER = (
    "Unique ID,First name,Last name,Nationality,Ethnicity\r\n"
    "S-1,Ana,Pereira,British,WBRI\r\n"
    "S-2,Ben,Okafor,USA,Black – African\r\n"
    "S-3,Chloé,Martin,Brit,Martian\r\n"
    "S-4,Dawit,Tesfaye,brit,\r\n"
)
QUESTION = "What does “Brit” mean in the Nationality column?"


def test_unmatched_values_are_shown_with_suggestions_mapped_once_and_every_row_imports(live_server, page, tmp_path):
    centre = centre_with_vocabularies("73101")
    file = tmp_path / "roster.csv"
    file.write_bytes(ROSTER.encode("utf-8"))
    sign_in_and_open_candidates(page, live_server, centre)
    open_import_page(page)
    expect(page.get_by_role("main")).to_contain_text("the nationality (Portuguese, British, Filipino)")
    assert_accessible(page)
    upload(page, file)

    counts = summary_counts(page)
    assert (counts["New candidates"], counts["Rows with problems (left out)"]) == ("4", "0")
    assert counts["Rows with warnings (imported)"] == "2"
    expect(page.get_by_role("heading", name="Values imported empty (3)", level=2)).to_be_visible()
    table = page.get_by_role("table", name="Values that match nothing on the list")
    rows = [row.locator("td").all_inner_texts() for row in table.locator("tbody tr").all()]
    assert rows[0][:3] == ["Nationality", "Brit", "4, 5"]
    assert rows[0][3].startswith("United Kingdom")
    assert rows[1][:3] == ["Ethnicity", "Martian", "4"]
    expect(page.get_by_role("button", name="Import 4 valid rows")).to_be_visible()
    assert_accessible(page)

    # Saying nothing is refused with a clear message, first thing on the page and at the question.
    page.get_by_role("button", name="Use this for “Brit”").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    question = page.get_by_label(QUESTION)
    expect(question).to_have_attribute("aria-invalid", "true")
    expect(question).to_have_accessible_description(re.compile("Choose what “Brit” means, from the list."))
    assert_accessible(page)
    summary.get_by_role("link", name="Choose what “Brit” means, from the list.").click()
    expect(question).to_be_focused()
    assert not ValueMapping.objects.exists()

    question.select_option(label="United Kingdom")
    page.get_by_role("button", name="Use this for “Brit”").click()
    expect(page.get_by_role("heading", name="Values imported empty (1)", level=2)).to_be_visible()
    expect(page.get_by_label(QUESTION)).to_have_count(0)
    assert summary_counts(page)["Rows with warnings (imported)"] == "1"
    assert_accessible(page)

    commit(page, "Import 4 valid rows")
    assert_accessible(page)
    stored = {c.unique_id: (c.nationality.code, c.ethnicity, c.values_as_written) for c in Candidate.objects.all()}
    assert stored == {
        "S-1": ("GB", "WBRI", {}),
        "S-2": ("US", "BAFR", {}),
        "S-3": ("GB", "", {"ethnicity": "Martian"}),
        "S-4": ("GB", "", {}),
    }
    assert ValueMapping.objects.get().code == "GB"
