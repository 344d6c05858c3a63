"""No enumeration: sign-in answers the same for an account that exists, one that does not and one that is paused,
in text, status and time (a real Argon2 check runs on every path: a dummy hash when there is no account or a pause
refuses the attempt)."""

from __future__ import annotations

import random
import re
import statistics
import time

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory, override_settings

from examdesk.accounts import services
from examdesk.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ARGON2 = ["examdesk.accounts.hashers.Argon2idHasher"]
TRIES = 21
TOLERANCE = 0.10


def _request(ip: str):
    request = RequestFactory().post("/account/login/", REMOTE_ADDR=ip, HTTP_USER_AGENT="Prober")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def _pause(email: str, ip: str) -> None:
    for _ in range(3):
        services.login_attempt(request=_request(ip), email=email, password="wrong")


def _medians(cases: dict[str, tuple[str, str]]) -> dict[str, float]:
    """Median seconds of TRIES sign-ins per case, interleaved in a shuffled order so that the machine's load (other
    processes share it) falls on all alike."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    order = list(cases)
    for attempt in range(TRIES):
        random.shuffle(order)  # no case always first after a pause of the machine
        for name in order:
            email, ip = cases[name]
            address = ip or f"198.51.{attempt // 200}.{attempt % 200}"  # a fresh address: not paused
            request = _request(address)
            start = time.perf_counter()
            outcome = services.login_attempt(request=request, email=email, password="not the password")
            times[name].append(time.perf_counter() - start)
            assert outcome.user is None
    return {name: statistics.median(values) for name, values in times.items()}


@override_settings(
    PASSWORD_HASHERS=ARGON2, EXAMDESK_ACCOUNT_FAILURE_SLOWDOWN=1000, EXAMDESK_ACCOUNT_FAILURE_CEILING=2000
)
def test_known_unknown_and_paused_accounts_take_the_same_time(capsys):
    UserFactory(email="known@example.org", password=PASSWORD)
    UserFactory(email="paused@example.org", password=PASSWORD)
    _pause("paused@example.org", "203.0.113.66")
    cases = {
        "known": ("known@example.org", ""),
        "unknown": ("nobody@example.org", ""),
        "paused": ("paused@example.org", "203.0.113.66"),
    }
    _medians(cases)  # warm up: the dummy hash, the first queries
    for _ in range(2):  # a property of timing on a shared machine: measure once more before failing
        medians = _medians(cases)
        fastest, slowest = min(medians.values()), max(medians.values())
        if slowest <= fastest * (1 + TOLERANCE):
            break
    with capsys.disabled():
        print("\nsign-in medians (ms):", {name: round(value * 1000, 1) for name, value in medians.items()})
    assert slowest <= fastest * (1 + TOLERANCE), medians


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
