"""Password reset through the e-mail the embedded default writes as a `.eml` file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member

pytestmark = pytest.mark.browser

NEW_PASSWORD = "tulips under a copper kettle"


def _ask_for_a_link(page, live_server, email):
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()


def test_reset_by_the_emailed_link_which_works_once(live_server, page, mailbox, settings):
    centre = CentreFactory(name="Lakeside Academy")
    member(centre, email="ana.pereira@example.org")

    page.goto(f"{live_server.url}/account/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("E-mail address").fill("Ana.Pereira@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    expect(page.get_by_role("main")).to_contain_text(f"The link works once, for {minutes} minutes.")
    assert_accessible(page)

    assert mailbox.count() == 1
    link = mailbox.link_in_newest("ana.pereira@example.org", containing="/account/reset/")
    assert link.startswith(live_server.url)

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)

    # Too short first: a clear error, tied to the field.
    page.get_by_label("New password", exact=True).fill("short one")
    page.get_by_label("New password confirmation").fill("short one")
    page.get_by_role("button", name="Save the new password").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text(
        f"This password is too short. It must contain at least {settings.EXAMDESK_PASSWORD_MIN_LENGTH} characters."
    )
    assert_accessible(page)
    summary.get_by_role("link", name="This password is too short").first.click()
    expect(page.get_by_label("New password confirmation")).to_be_focused()

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    assert_accessible(page)

    # The old password no longer works; the new one does.
    sign_in(page, live_server, "ana.pereira@example.org", PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("The e-mail address or the password is not right.")
    sign_in(page, live_server, "ana.pereira@example.org", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Lakeside Academy", level=1)).to_be_visible()

    # The same link a second time is refused.
    page.goto(link)
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("The link has been used already, or it has expired.")
    expect(page.get_by_label("New password", exact=True)).to_have_count(0)
    assert_accessible(page)


def test_an_unknown_address_gets_the_same_answer_and_no_email(live_server, page, mailbox):
    centre = CentreFactory()
    member(centre, email="ana.pereira@example.org")

    _ask_for_a_link(page, live_server, "nobody@example.org")
    unknown_answer = page.get_by_role("main").inner_text()
    assert_accessible(page)
    assert mailbox.count() == 0

    _ask_for_a_link(page, live_server, "ana.pereira@example.org")
    known_answer = page.get_by_role("main").inner_text()
    assert mailbox.count() == 1

    assert known_answer.replace("ana.pereira@example.org", "nobody@example.org") == unknown_answer


def test_the_reset_form_explains_an_address_in_the_wrong_format(live_server, page, mailbox):
    page.goto(f"{live_server.url}/account/password-reset/")
    page.get_by_label("E-mail address").fill("ana.pereira at example.org")
    page.get_by_role("button", name="Send the link").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter an e-mail address in the right format, like name@example.org.")
    summary.get_by_role("link", name="Enter an e-mail address in the right format").click()
    expect(page.get_by_label("E-mail address")).to_be_focused()
    expect(page.get_by_label("E-mail address")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert mailbox.count() == 0
