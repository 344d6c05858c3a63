"""Board staff manage centres in the product's own pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.centres.models import Centre, Invitation, Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, BoardMembershipFactory, CentreFactory

pytestmark = pytest.mark.browser


def test_board_staff_list_centres_and_add_one_after_fixing_a_bad_number(live_server, page, mailbox):
    CentreFactory(number="60001", name="Valley School")
    CentreFactory(number="60002", name="Summit College")
    BoardMembershipFactory(user__email="board@example.org", user__full_name="Bea Board")

    sign_in(page, live_server, "board@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Centres", level=1)).to_be_visible()
    table = page.get_by_role("table", name="All centres of the board")
    expect(table.get_by_role("row").filter(has_text="60001")).to_contain_text("Valley School")
    expect(table.get_by_role("row").filter(has_text="60002")).to_contain_text("Summit College")
    assert_accessible(page)

    page.get_by_role("link", name="Add a centre").click()
    expect(page.get_by_role("heading", name="Add a centre")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Centre number").fill("60-3")
    page.get_by_label("Name", exact=True).fill("Coastal Institute")
    page.get_by_label("Kind of centre").select_option(label="Exam centre")
    page.get_by_label("Country").select_option(label="Portugal")
    # The time zone list follows the country: Portugal's three zones, not the world's six hundred.
    zones = page.get_by_label("Time zone")
    expect(zones.locator("option")).to_have_count(4)  # "Choose a time zone" and the three
    zones.select_option("Europe/Lisbon")
    page.get_by_label("Candidates' language").select_option(label="Português")
    page.get_by_label("Invite the first centre admin (optional)").fill("head@coastal.example.org")
    page.get_by_role("button", name="Add the centre").click()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text("Use 3 to 10 capital letters or digits")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Coastal Institute")
    assert_accessible(page)
    summary.get_by_role("link", name="Use 3 to 10 capital letters or digits").click()
    number = page.get_by_label("Centre number")
    expect(number).to_be_focused()

    number.fill("60003")
    page.get_by_role("button", name="Add the centre").click()

    expect(page.get_by_role("heading", name="Centres", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Centre 60003 Coastal Institute has been created. "
        "An invitation to be its centre admin has been sent to head@coastal.example.org."
    )
    row = page.get_by_role("table", name="All centres of the board").get_by_role("row").filter(has_text="60003")
    expect(row).to_contain_text("Coastal Institute")
    expect(row).to_contain_text("Portugal (PT)")
    expect(row).to_contain_text("Europe/Lisbon")
    centre = Centre.objects.get(number="60003")
    assert centre.time_zone == "Europe/Lisbon"
    assert centre.language == "pt-pt"  # its candidates' documents and e-mails
    invitation = Invitation.objects.get(centre=centre)
    assert (invitation.email, invitation.role) == ("head@coastal.example.org", Role.CENTRE_ADMIN)
    assert "invitations/" in mailbox.link_in_newest("head@coastal.example.org", containing="/centres/invitations/")


def test_a_taken_centre_number_is_refused_with_a_clear_error(live_server, page):
    CentreFactory(number="60011", name="Valley School")
    BoardMembershipFactory(user__email="board@example.org")

    sign_in(page, live_server, "board@example.org", PASSWORD)
    page.get_by_role("link", name="Add a centre").click()
    page.get_by_label("Centre number").fill("60011")
    page.get_by_label("Name", exact=True).fill("Another Valley")
    page.get_by_label("Country").select_option(label="United Kingdom")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")  # the country's only zone
    page.get_by_role("button", name="Add the centre").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Centre number 60011 is already in use.")
    summary.get_by_role("link", name="Centre number 60011 is already in use.").click()
    expect(page.get_by_label("Centre number")).to_be_focused()
    assert_accessible(page)
    assert Centre.objects.filter(number="60011").count() == 1
