"""Signing in and out, as a person does it in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member

pytestmark = pytest.mark.browser


def test_sign_in_with_the_email_in_another_case_and_with_spaces_around_it(live_server, page):
    centre = CentreFactory(name="Riverside College")
    member(centre, Role.EXAMS_OFFICER, email="ana.pereira@example.org", full_name="Ana Pereira")

    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Examdesk", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in to Examdesk")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("E-mail address").fill("  Ana.Pereira@EXAMPLE.org ")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Riverside College", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Ana Pereira")
    assert_accessible(page)


def test_a_wrong_password_shows_the_error_summary(live_server, page):
    centre = CentreFactory()
    member(centre, email="ana.pereira@example.org")

    sign_in(page, live_server, "ana.pereira@example.org", "Correct horse battery staple")

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text("The e-mail address or the password is not right. Passwords are case-sensitive.")
    expect(summary).to_contain_text(
        "After 2 more failed attempts, sign-in to this account from this network address is paused for 1 minute, "
        "except in browsers where it has been used before."
    )
    expect(summary).not_to_contain_text("starts or ends with a space")
    expect(summary).to_be_focused()
    expect(page.get_by_label("E-mail address")).to_have_value("ana.pereira@example.org")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    assert_accessible(page)


def test_a_password_typed_with_a_trailing_space_gets_a_hint(live_server, page):
    centre = CentreFactory()
    member(centre, email="ana.pereira@example.org")

    sign_in(page, live_server, "ana.pereira@example.org", PASSWORD + " ")

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The e-mail address or the password is not right.")
    expect(summary).to_contain_text(
        "The password you typed starts or ends with a space. Spaces count as part of a password"
    )
    assert_accessible(page)

    # Without the space, the same password works: it was never trimmed.
    sign_in(page, live_server, "ana.pereira@example.org", PASSWORD)
    expect(page.get_by_role("heading", name=centre.name, level=1)).to_be_visible()


def test_sign_out_from_the_header_works_on_every_page(live_server, page):
    centre = CentreFactory(number="20001")
    member(centre, Role.CENTRE_ADMIN, email="admin@example.org")
    pages = [
        "/centres/20001/",
        "/centres/20001/staff/",
        "/centres/20001/staff/invite/",
        "/centres/20001/audit/",
        "/jobs/",
        "/account/password/",
    ]

    for path in pages:
        sign_in(page, live_server, "admin@example.org", PASSWORD)
        expect(page.get_by_role("heading", name=centre.name, level=1)).to_be_visible()
        page.goto(live_server.url + path)
        assert_accessible(page)

        page.get_by_role("navigation", name="Your account").get_by_role("button", name="Sign out").click()

        expect(page.get_by_role("heading", name="Sign in to Examdesk")).to_be_visible()
        expect(page.get_by_role("status")).to_have_text("You have signed out.")
        # The session has ended: the page now asks to sign in first.
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name="Sign in to Examdesk")).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
