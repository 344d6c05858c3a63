"""Centres as a person meets them: the centre switcher, and another centre's pages answering 404."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, MembershipFactory, member

pytestmark = pytest.mark.browser


def test_a_person_with_roles_at_two_centres_switches_with_the_header_switcher(live_server, page):
    east = CentreFactory(number="50001", name="East Grammar")
    west = CentreFactory(number="50002", name="West Academy")
    person = member(east, Role.CENTRE_ADMIN, email="rui.costa@example.org", full_name="Rui Costa")
    MembershipFactory(user=person, centre=west, role=Role.VIEWER)

    sign_in(page, live_server, "rui.costa@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="East Grammar", level=1)).to_be_visible()
    switcher = page.get_by_label("Centre")
    expect(switcher).to_have_value("50001")
    expect(page.get_by_role("navigation", name="East Grammar").get_by_role("link")).to_have_text(
        ["Overview", "Candidates", "Results", "Sittings", "Reports", "Results access", "Staff", "Audit log", "API keys"]
    )
    assert_accessible(page)

    switcher.select_option(label="50002 West Academy")
    page.get_by_role("button", name="Switch centre").click()

    expect(page.get_by_role("heading", name="West Academy", level=1)).to_be_visible()
    expect(page.get_by_label("Centre")).to_have_value("50002")
    # A viewer at West Academy: the overview, candidates and results (to read), no staff or audit pages.
    expect(page.get_by_role("navigation", name="West Academy").get_by_role("link")).to_have_text(
        ["Overview", "Candidates", "Results", "Sittings", "Reports"]
    )
    assert_accessible(page)

    # The choice is remembered: the start page opens the centre chosen last.
    page.get_by_role("link", name="Examdesk", exact=True).click()
    expect(page.get_by_role("heading", name="West Academy", level=1)).to_be_visible()


def test_another_centres_pages_answer_the_friendly_not_found_page(live_server, page):
    own = CentreFactory(number="50011", name="Own Centre")
    CentreFactory(number="50012", name="Someone Else's Centre")
    member(own, Role.CENTRE_ADMIN, email="admin@own.example.org")

    sign_in(page, live_server, "admin@own.example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Own Centre", level=1)).to_be_visible()

    for path in ["/centres/50012/", "/centres/50012/staff/", "/centres/50012/audit/", "/centres/99999/"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(page.get_by_role("main")).not_to_contain_text("Someone Else's Centre")
        expect(page.get_by_role("main")).to_contain_text("it belongs to a centre you do not have a role at")

    assert_accessible(page)
    page.get_by_role("link", name="Go to your start page").click()
    expect(page.get_by_role("heading", name="Own Centre", level=1)).to_be_visible()
