"""Two-step sign-in in the browser: a centre admin is asked to set it up at their first sign-in, scans the QR code
(the test reads the key shown beside it and computes the code with django-otp's TOTP function), saves the recovery
codes, signs in with a code, is told clearly when a code is wrong, uses a recovery code once, has the browser
remembered for 30 days, and another centre admin resets it from the Staff page. axe on every page."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member

pytestmark = pytest.mark.browser


def _code(key: bytes, drift: int = 0) -> str:
    return f"{totp(key, step=30, t0=0, digits=6, drift=drift):06d}"


def _key_on_page(page) -> bytes:
    text = page.locator("#secret-key").inner_text()
    raw = re.sub(r"\s+", "", text)
    return base64.b32decode(raw + "=" * (-len(raw) % 8))


def _sign_out(page) -> None:
    page.get_by_role("navigation", name="Your account").get_by_role("button", name="Sign out").click()


def test_enrol_sign_in_with_a_code_recovery_code_remembered_browser_and_reset(
    live_server, page, browser, settings, transactional_db
):
    settings.EXAMDESK_MFA_REQUIRED_ROLES = ["board_staff", "centre_admin"]
    centre = CentreFactory(name="Riverside College")
    ana = member(centre, Role.CENTRE_ADMIN, email="ana@example.org", full_name="Ana Pereira")
    admin = member(centre, Role.CENTRE_ADMIN, email="head@example.org", full_name="Hal Head")

    # First sign-in: the role needs two-step sign-in, so Ana is asked to set it up.
    sign_in(page, live_server, ana.email, PASSWORD)
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to add Examdesk to your authenticator app")).to_be_visible()
    assert page.get_by_role("img").first.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert_accessible(page)
    key = _key_on_page(page)
    page.get_by_label("Code from your authenticator app").fill("999999" if _code(key) != "999999" else "888888")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("link", name=re.compile("The code is not right"))).to_be_visible()
    assert_accessible(page)
    page.wait_for_timeout(1100)  # django-otp pauses a second after a wrong code
    page.get_by_label("Code from your authenticator app").fill(_code(key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert_accessible(page)
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", name="Riverside College", level=1)).to_be_visible()
    _sign_out(page)

    # Signing in again: the code is asked after the password; a wrong one says so clearly.
    sign_in(page, live_server, ana.email, PASSWORD)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code", exact=True).fill("000000" if _code(key, 1) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name=re.compile("The code is not right. Enter the 6-digit code"))).to_be_visible()
    assert_accessible(page)
    page.wait_for_timeout(1100)
    page.get_by_label("Code", exact=True).fill(_code(key, 1))  # the next code: the set-up's may not be used twice
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Riverside College", level=1)).to_be_visible()
    _sign_out(page)

    # A recovery code works once.
    sign_in(page, live_server, ana.email, PASSWORD)
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_text("You signed in with a recovery code: it will not work again. 9 codes are left")
    ).to_be_visible()
    assert_accessible(page)
    _sign_out(page)
    sign_in(page, live_server, ana.email, PASSWORD)
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name=re.compile("The code is not right"))).to_be_visible()

    # Remember this browser: the next sign-in asks no code.
    page.wait_for_timeout(1100)
    TOTPDevice.objects.filter(user=ana).update(last_t=-1)  # the test's clock does not move on 30 seconds
    page.get_by_label("Code", exact=True).fill(_code(key))
    page.get_by_label("Remember this browser for 30 days").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Riverside College", level=1)).to_be_visible()
    _sign_out(page)
    sign_in(page, live_server, ana.email, PASSWORD)
    expect(page.get_by_role("heading", name="Riverside College", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Two-step sign-in").click()
    expect(page.get_by_text("Recovery codes left")).to_be_visible()
    assert_accessible(page)
    _sign_out(page)

    # Ana lost her phone: another centre admin resets her two-step sign-in from the Staff page.
    head_device = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    other = browser.new_context()
    head = other.new_page()
    sign_in(head, live_server, admin.email, PASSWORD)
    head.get_by_label("Code", exact=True).fill(_code(head_device.bin_key))
    head.get_by_role("button", name="Continue").click()
    head.goto(f"{live_server.url}/centres/{centre.number}/staff/")
    row = head.get_by_role("row").filter(has_text=ana.email)
    expect(row.get_by_text("On", exact=True)).to_be_visible()
    assert_accessible(head)
    head.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"Reset two-step sign-in of {ana.email}").click()
    expect(head.get_by_text(f"Two-step sign-in of {ana.email} is reset")).to_be_visible()
    expect(head.get_by_role("row").filter(has_text=ana.email).get_by_text("Off", exact=True)).to_be_visible()
    assert_accessible(head)
    other.close()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECOND_FACTOR_RESET, actor_email=admin.email).exists()

    # Her remembered browser is asked again: she sets up her new phone.
    sign_in(page, live_server, ana.email, PASSWORD)
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
