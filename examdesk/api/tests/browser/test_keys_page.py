"""The API keys page as a centre admin meets it: create a key (shown once), a bad form's error summary, revoke."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible, fill_date, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.core.time import now

EXPIRES_DATE = now().date() + timedelta(days=400)
pytestmark = pytest.mark.browser


def test_create_a_key_see_it_once_and_revoke_it(live_server, page):
    centre = CentreFactory(number="51001", name="North School")
    member(centre, email="admin@north.example.org")
    sign_in(page, live_server, "admin@north.example.org", PASSWORD)
    page.goto(f"{live_server.url}/centres/51001/api-keys/")
    expect(page.get_by_role("heading", name="API keys of North School", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name").fill("")
    fill_date(page, "Expires on", date(2000, 1, 1))
    page.get_by_role("button", name="Create the key").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter a name for the key.")).to_be_visible()
    expect(summary.get_by_role("link", name="The expiry date must be in the future.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name").fill("School MIS")
    page.get_by_role("group", name="Candidates and groups").get_by_label("Read and write").check()
    page.get_by_role("group", name="Entries and results").get_by_label("Read", exact=True).check()
    fill_date(page, "Expires on", EXPIRES_DATE)
    page.get_by_role("button", name="Create the key").click()
    expect(page.get_by_role("heading", name="Copy the key now: it is shown only once")).to_be_visible()
    token = page.get_by_label("The key").input_value()
    assert token.startswith("exd.")
    assert_accessible(page)

    page.goto(f"{live_server.url}/centres/51001/api-keys/")
    expect(page.get_by_role("main")).not_to_contain_text(token)
    row = page.get_by_role("row").filter(has_text="School MIS")
    expect(row).to_contain_text("Active")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke the key School MIS").click()
    expect(page.get_by_role("row").filter(has_text="School MIS")).to_contain_text("Revoked")
    assert_accessible(page)
