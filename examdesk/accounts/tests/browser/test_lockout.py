"""Sign-in pauses: three failures in an unknown browser pause unknown browsers at that address, never a browser the
person has signed in with before; the messages say what applies; a centre admin can lift the pause."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member

pytestmark = pytest.mark.browser

PAUSED = re.compile(
    r"Sign-in to this account from this network address is paused until "
    r"\d{2}:\d{2} on \d{1,2} [A-Z][a-z]+ \d{4} \(Europe/London\), except in browsers where it has been used before"
)
WRONG = "Correct Horse Battery Staple"


def test_failures_in_an_unknown_browser_pause_it_not_the_owner_s_laptop_and_a_centre_admin_lifts_the_pause(
    live_server, page, new_context
):
    centre = CentreFactory(number="30001", name="Hillside School")
    member(centre, Role.TEACHER, email="teacher@example.org", full_name="Tom Teacher")
    member(centre, Role.CENTRE_ADMIN, email="admin@example.org", full_name="Ada Admin")

    # The teacher's laptop has signed in before: it is a known device from then on.
    laptop = new_context(user_agent="Mozilla/5.0 (X11; Linux x86_64) Examdesk-test/laptop").new_page()
    sign_in(laptop, live_server, "teacher@example.org", PASSWORD)
    expect(laptop.get_by_role("heading", name="Hillside School", level=1)).to_be_visible()
    laptop.get_by_role("button", name="Sign out").click()

    # Someone in another browser, at the same address, types a wrong password three times.
    sign_in(page, live_server, "teacher@example.org", WRONG)
    expect(page.get_by_role("alert")).to_contain_text("After 2 more failed attempts")
    expect(page.get_by_role("alert")).not_to_contain_text("device")
    sign_in(page, live_server, "teacher@example.org", WRONG)
    expect(page.get_by_role("alert")).to_contain_text("After 1 more failed attempt,")
    sign_in(page, live_server, "teacher@example.org", WRONG)
    expect(page.get_by_role("alert")).to_contain_text(PAUSED)
    expect(page.get_by_role("alert")).to_contain_text("ask your centre admin to lift the pause")
    assert_accessible(page)

    # In that browser even the right password is refused while the pause lasts.
    sign_in(page, live_server, "teacher@example.org", PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text(PAUSED)
    expect(page.get_by_role("heading", name="Sign in to Examdesk")).to_be_visible()

    # The teacher's laptop, at the same address, signs in as usual.
    sign_in(laptop, live_server, "teacher@example.org", PASSWORD)
    expect(laptop.get_by_role("heading", name="Hillside School", level=1)).to_be_visible()

    # The centre admin sees the pause on the Staff page and lifts it.
    office = new_context(user_agent="Mozilla/5.0 (X11; Linux x86_64) Examdesk-test/office").new_page()
    sign_in(office, live_server, "admin@example.org", PASSWORD)
    office.get_by_role("navigation", name="Hillside School").get_by_role("link", name="Staff").click()
    expect(office.get_by_role("heading", name="Staff at Hillside School")).to_be_visible()
    row = office.get_by_role("row").filter(has_text="teacher@example.org")
    expect(row).to_contain_text("Paused")
    expect(row).to_contain_text(re.compile(r"in 1 place until .+ \(Europe/London\)"))
    admin_row = office.get_by_role("row").filter(has_text="admin@example.org")
    expect(admin_row).to_contain_text("Can sign in")
    assert_accessible(office)

    row.get_by_role("button", name="Unlock teacher@example.org").click()
    expect(office.get_by_role("status")).to_have_text(
        "Sign-in locks lifted for teacher@example.org. They can sign in again now."
    )
    row = office.get_by_role("row").filter(has_text="teacher@example.org")
    expect(row).to_contain_text("Can sign in")
    expect(row.get_by_role("button", name="Unlock teacher@example.org")).to_have_count(0)
    assert_accessible(office)

    # Back in the first browser, the right password now works.
    sign_in(page, live_server, "teacher@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Hillside School", level=1)).to_be_visible()


def test_a_known_browser_is_told_its_own_pause(live_server, page):
    centre = CentreFactory(number="30002", name="Lakeside School")
    member(centre, Role.TEACHER, email="teacher@example.org", full_name="Tom Teacher")
    sign_in(page, live_server, "teacher@example.org", PASSWORD)
    page.get_by_role("button", name="Sign out").click()
    for _ in range(5):
        sign_in(page, live_server, "teacher@example.org", WRONG)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Too many failed attempts in this browser.")
    expect(alert).to_contain_text(re.compile(r"Sign-in to this account in this browser is paused until .+"))
    assert_accessible(page)
