"""Known devices (examdesk.accounts.lockout): a stranger with many addresses and browsers cannot stop the owner on
a browser where they signed in before; a known device has its own small counter; the messages say what applies."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from examdesk.accounts import devices, lockout
from examdesk.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/account/login/"
OWNER_ADDRESS = "198.51.100.0"  # the owner's school network: also one of the stranger's addresses


def _text(response) -> str:
    return response.content.decode()


def _known_device(email: str) -> Client:
    owner = Client(REMOTE_ADDR=OWNER_ADDRESS, HTTP_USER_AGENT="Owner's laptop")
    assert owner.post(LOGIN, {"email": email, "password": PASSWORD}).status_code == 302
    assert devices.COOKIE_NAME in owner.cookies
    owner.post("/account/logout/")
    return owner


def stranger_grid(post, *, addresses: int = 12, browsers: int = 10) -> list[int]:
    """Every address × browser tries a wrong password (a new User-Agent and no cookies each time)."""
    statuses = []
    for address in range(addresses):
        for browser in range(browsers):
            stranger = Client(REMOTE_ADDR=f"198.51.100.{address}", HTTP_USER_AGENT=f"Bot {address}/{browser}")
            statuses.append(post(stranger).status_code)
    return statuses


def test_a_stranger_with_12_addresses_and_10_browsers_cannot_stop_the_owner_on_a_known_device():
    user = UserFactory(email="ana@example.org")
    owner = _known_device(user.email)
    wrong = {"email": "ana@example.org", "password": "guess"}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        statuses = stranger_grid(lambda client: client.post(LOGIN, wrong))
        # Per address, not per browser string: 12 addresses got a few real checks each, then were paused.
        assert statuses.count(200) < 12 * settings.EXAMDESK_LOCKOUT_FAILURES
        assert statuses.count(429) > 100
        # A new browser at the owner's own address, with the right password, waits: it is not known …
        newcomer = Client(REMOTE_ADDR=OWNER_ADDRESS, HTTP_USER_AGENT="Owner's phone")
        assert newcomer.post(LOGIN, {"email": user.email, "password": PASSWORD}).status_code == 429
        # … but the owner's laptop, at the same address, signs in at once.
        response = owner.post(LOGIN, {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        owner.post("/account/logout/")

        # The stranger keeps going for days, past NIST's 100 consecutive failures: unknown browsers wait longer
        # and longer, never the known device.
        throttle = lockout.sign_in_throttle()
        while throttle.account.failures(throttle._generation(user.email), user.email) < 100:
            clock.shift(timedelta(days=1, minutes=1))
            stranger_grid(lambda client: client.post(LOGIN, wrong), addresses=12, browsers=1)
        until = throttle.account_paused_until(user.email)
        assert until is not None and until - timezone.now() > timedelta(hours=23)
        assert owner.post(LOGIN, {"email": user.email, "password": PASSWORD}).status_code == 302


def test_a_known_device_has_its_own_small_counter_and_says_so():
    user = UserFactory(email="ana@example.org")
    owner = _known_device(user.email)
    wrong = {"email": user.email, "password": "wrong"}
    first = owner.post(LOGIN, wrong)
    assert "After 4 more failed attempts, sign-in to this account in this browser is paused" in _text(first)
    for _ in range(3):
        owner.post(LOGIN, wrong)
    paused = owner.post(LOGIN, wrong)
    assert paused.status_code == 429
    assert "Too many failed attempts in this browser." in _text(paused)
    assert "network address" not in _text(paused)
    # The owner's pause is theirs alone: a newcomer at the same address is not paused by it.
    newcomer = Client(REMOTE_ADDR=OWNER_ADDRESS, HTTP_USER_AGENT="Owner's phone")
    assert newcomer.post(LOGIN, {"email": user.email, "password": PASSWORD}).status_code == 302


def test_an_unknown_browser_is_told_what_applies_to_it():
    UserFactory(email="ana@example.org")
    browser = Client(REMOTE_ADDR="203.0.113.9")
    first = browser.post(LOGIN, {"email": "ana@example.org", "password": "wrong"})
    assert "sign-in to this account from this network address is paused for 1 minute" in _text(first)
    assert "except in browsers where it has been used before" in _text(first)
    assert "this device" not in _text(first)
    browser.post(LOGIN, {"email": "ana@example.org", "password": "wrong"})
    paused = browser.post(LOGIN, {"email": "ana@example.org", "password": "wrong"})
    assert paused.status_code == 429
    assert "Sign-in to this account from this network address is paused until" in _text(paused)


def test_the_device_cookie_is_rotated_on_each_sign_in_and_forged_ones_do_not_count():
    user = UserFactory(email="ana@example.org")
    owner = _known_device(user.email)
    before = owner.cookies[devices.COOKIE_NAME].value
    assert owner.post(LOGIN, {"email": user.email, "password": PASSWORD}).status_code == 302
    assert owner.cookies[devices.COOKIE_NAME].value != before
    forger = Client(REMOTE_ADDR="203.0.113.50")
    forger.cookies[devices.COOKIE_NAME] = before[:-3] + "abc"
    for _ in range(3):
        response = forger.post(LOGIN, {"email": user.email, "password": "guess"})
    assert response.status_code == 429 and "network address" in _text(response)
