"""No enumeration: sign-in answers the same for an account that exists, one that does not and one that is paused,
in text, status and work: one real Argon2 check on every path (a dummy hash when there is no account; while paused
the check runs and its answer is unused) and the same statements, so the time is the same too (its medians are
measured by bench/sign_in_enumeration.py, not asserted here)."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from examdesk.accounts import services
from examdesk.accounts.hashers import Argon2idHasher
from examdesk.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ARGON2 = ["examdesk.accounts.hashers.Argon2idHasher"]


def _request(ip: str):
    request = RequestFactory().post("/account/login/", REMOTE_ADDR=ip, HTTP_USER_AGENT="Prober")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def _pause(email: str, ip: str) -> None:
    for _ in range(3):
        services.login_attempt(request=_request(ip), email=email, password="wrong")


def _work(email: str, ip: str) -> tuple[int, list[str]]:
    """What one failed sign-in costs: the password hashes it verifies and the statements it sends to the database
    (with their values taken out). The time a sign-in takes is that work; bench/sign_in_enumeration.py measures it."""
    verified = []
    real_verify = Argon2idHasher.verify

    def counting(self, password, encoded):
        verified.append(encoded)
        return real_verify(self, password, encoded)

    with mock.patch.object(Argon2idHasher, "verify", counting), CaptureQueriesContext(connection) as queries:
        outcome = services.login_attempt(request=_request(ip), email=email, password="not the password")
    assert outcome.user is None
    return len(verified), [re.sub(r"'[^']*'|\bNULL\b|\b\d+\b", "?", query["sql"]) for query in queries.captured_queries]


@override_settings(
    PASSWORD_HASHERS=ARGON2, EXAMDESK_ACCOUNT_FAILURE_SLOWDOWN=1000, EXAMDESK_ACCOUNT_FAILURE_CEILING=2000
)
def test_known_unknown_and_paused_accounts_do_the_same_work():
    """The same work, so the same time: one real Argon2id check and the same statements on every path (a dummy hash
    for an unknown account; while paused the check runs and its answer is not used). Timing itself is measured
    where it belongs, in bench/sign_in_enumeration.py, never asserted in a test."""
    UserFactory(email="known@example.org", password=PASSWORD)
    UserFactory(email="paused@example.org", password=PASSWORD)
    _pause("paused@example.org", "203.0.113.66")
    _work("nobody@example.org", "198.51.100.9")  # the dummy hash is made once per process, before measuring
    work = {
        "known": _work("known@example.org", "198.51.100.1"),
        "unknown": _work("nobody@example.org", "198.51.100.2"),
        "paused": _work("paused@example.org", "203.0.113.66"),
    }
    assert {name: hashes for name, (hashes, _) in work.items()} == {"known": 1, "unknown": 1, "paused": 1}
    assert work["known"][1] == work["unknown"][1] == work["paused"][1]


def _page(response, email: str) -> str:
    """The page without the typed address and the (per-response masked) CSRF token."""
    text = response.content.decode().replace(email, "EMAIL")
    text = re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1TOKEN", text)
    return re.sub(r'("X-CSRFToken": ")[^"]+', r"\1TOKEN", text)


def test_known_unknown_and_paused_accounts_get_the_same_page_and_status():
    UserFactory(email="known@example.org")
    answers = {}
    for email in ("known@example.org", "nobody@example.org"):
        fresh = Client(REMOTE_ADDR="203.0.113.1")
        first = fresh.post("/account/login/", {"email": email, "password": "wrong"})
        fresh.post("/account/login/", {"email": email, "password": "wrong"})
        paused = fresh.post("/account/login/", {"email": email, "password": "wrong"})
        refused = fresh.post("/account/login/", {"email": email, "password": PASSWORD})
        answers[email] = [(r.status_code, _page(r, email)) for r in (first, paused, refused)]
    assert answers["known@example.org"] == answers["nobody@example.org"]
    assert [status for status, _ in answers["nobody@example.org"]] == [200, 429, 429]


def test_reset_requests_answer_the_same_for_known_unknown_and_capped_accounts():
    UserFactory(email="known@example.org")
    pages = {}
    for email in ("known@example.org", "nobody@example.org"):
        browser = Client(REMOTE_ADDR="203.0.113.2")
        for _ in range(5):  # past the cap of 3 an hour
            sent = browser.post("/account/password-reset/", {"email": email}, follow=True)
            pages.setdefault(email, []).append((sent.status_code, _page(sent, email)))
    assert pages["known@example.org"] == pages["nobody@example.org"]
    assert len(set(pages["known@example.org"])) == 1
