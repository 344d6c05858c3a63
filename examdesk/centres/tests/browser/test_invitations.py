"""A centre admin invites staff: people with an account keep their password, new people join by link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member

pytestmark = pytest.mark.browser


def _open_invite_form(page, centre_name):
    page.get_by_role("navigation", name=centre_name).get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", name=f"Staff at {centre_name}")).to_be_visible()
    page.get_by_role("link", name="Invite a person").click()
    expect(page.get_by_role("heading", name=f"Invite a person to {centre_name}")).to_be_visible()


def test_inviting_a_person_who_already_has_an_account(live_server, page, new_context, mailbox):
    north = CentreFactory(number="40001", name="North Campus")
    south = CentreFactory(number="40002", name="South Campus")
    member(north, Role.CENTRE_ADMIN, email="admin@north.example.org")
    member(south, Role.TEACHER, email="sam.okafor@example.org", full_name="Sam Okafor")

    sign_in(page, live_server, "admin@north.example.org", PASSWORD)
    _open_invite_form(page, "North Campus")
    assert_accessible(page)

    page.get_by_label("E-mail address").fill("Sam.Okafor@example.org")
    page.get_by_label("Role").select_option(label="Exams officer")
    page.get_by_role("button", name="Send the invitation").click()

    expect(page.get_by_role("heading", name="Staff at North Campus")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "sam.okafor@example.org already has an Examdesk account. They now have the role here and "
        "can sign in with the password they already use; we have told them so."
    )
    row = page.get_by_role("row").filter(has_text="sam.okafor@example.org")
    expect(row).to_contain_text("Exams officer")
    assert_accessible(page)

    body = mailbox.body(mailbox.newest_to("sam.okafor@example.org"))
    assert "Sign in with the password you already use: there is no new password." in body

    # Sam signs in with the password they already have, and can switch to the new centre.
    sam = new_context().new_page()
    sign_in(sam, live_server, "sam.okafor@example.org", PASSWORD)
    expect(sam.get_by_role("heading", name="North Campus", level=1)).to_be_visible()
    sam.get_by_label("Centre").select_option(label="40002 South Campus")
    sam.get_by_role("button", name="Switch centre").click()
    expect(sam.get_by_role("heading", name="South Campus", level=1)).to_be_visible()
    sam.get_by_label("Centre").select_option(label="40001 North Campus")
    sam.get_by_role("button", name="Switch centre").click()
    expect(sam.get_by_role("heading", name="North Campus", level=1)).to_be_visible()
    expect(sam.get_by_role("main")).to_contain_text("Centre number40001")


def test_inviting_a_new_person_who_joins_from_the_emailed_link(live_server, page, new_context, mailbox):
    centre = CentreFactory(number="40011", name="Harbour College")
    member(centre, Role.CENTRE_ADMIN, email="admin@harbour.example.org")

    sign_in(page, live_server, "admin@harbour.example.org", PASSWORD)
    _open_invite_form(page, "Harbour College")
    page.get_by_label("E-mail address").fill("lena.novak@example.org")
    page.get_by_label("Role").select_option(label="Teacher")
    page.get_by_role("button", name="Send the invitation").click()

    expect(page.get_by_role("status")).to_have_text(
        "Invitation sent to lena.novak@example.org. The link works for 7 days."
    )
    waiting = page.get_by_role("table", name="Invitations waiting for an answer")
    expect(waiting.get_by_role("row").filter(has_text="lena.novak@example.org")).to_contain_text("Teacher")
    assert_accessible(page)

    link = mailbox.link_in_newest("lena.novak@example.org", containing="/centres/invitations/")
    assert link.startswith(live_server.url)

    lena = new_context().new_page()
    lena.goto(link)
    expect(lena.get_by_role("heading", name="Join Harbour College on Examdesk")).to_be_visible()
    expect(lena.get_by_role("main")).to_contain_text("You have been invited as Teacher.")
    assert_accessible(lena)

    lena.get_by_label("Your full name").fill("Lena Novak")
    lena.get_by_label("Choose a password").fill("a quiet harbour at dawn")
    lena.get_by_label("Type the password again").fill("a quiet harbour at dusk")
    lena.get_by_role("button", name="Create my account").click()

    summary = lena.get_by_role("alert")
    expect(summary).to_contain_text("The two passwords are not the same.")
    assert_accessible(lena)
    summary.get_by_role("link", name="The two passwords are not the same.").click()
    expect(lena.get_by_label("Type the password again")).to_be_focused()

    lena.get_by_label("Choose a password").fill("a quiet harbour at dawn")
    lena.get_by_label("Type the password again").fill("a quiet harbour at dawn")
    lena.get_by_role("button", name="Create my account").click()

    expect(lena.get_by_role("heading", name="Harbour College", level=1)).to_be_visible()
    expect(lena.get_by_role("status")).to_have_text("Welcome to Harbour College. Your account is ready.")
    expect(lena.get_by_role("navigation", name="Your account")).to_contain_text("Lena Novak")
    assert_accessible(lena)

    # The link has done its work: it does not open the Join page again.
    lena.goto(link)
    expect(lena.get_by_role("heading", name="This invitation does not work")).to_be_visible()
    assert_accessible(lena)

    # Lena's account works with the password she chose.
    lena.get_by_role("button", name="Sign out").click()
    sign_in(lena, live_server, "lena.novak@example.org", "a quiet harbour at dawn")
    expect(lena.get_by_role("heading", name="Harbour College", level=1)).to_be_visible()


def test_the_invite_form_explains_bad_input_and_links_to_the_field(live_server, page, mailbox):
    centre = CentreFactory(number="40021", name="Meadow School")
    member(centre, Role.CENTRE_ADMIN, email="admin@meadow.example.org")

    sign_in(page, live_server, "admin@meadow.example.org", PASSWORD)
    _open_invite_form(page, "Meadow School")

    page.get_by_role("button", name="Send the invitation").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    assert_accessible(page)
    summary.get_by_role("link", name="Enter the e-mail address of the person to invite.").click()
    email = page.get_by_label("E-mail address")
    expect(email).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")

    email.fill("lena.novak@example")
    page.get_by_role("button", name="Send the invitation").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter an e-mail address in the right format, like name@example.org.")
    expect(page.locator(".form-group--error")).to_contain_text("Error: Enter an e-mail address in the right format")
    expect(page.get_by_label("E-mail address")).to_have_value("lena.novak@example")
    assert_accessible(page)
    summary.get_by_role("link", name="Enter an e-mail address in the right format").click()
    expect(page.get_by_label("E-mail address")).to_be_focused()

    assert mailbox.count() == 0
