"""Candidates signing in by ID number (printed on their letter) follow the staff rules: a stranger with 12 addresses
× 10 browsers cannot stop the candidate on a browser where they signed in before."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from examdesk.accounts import devices
from examdesk.accounts.tests.test_known_devices import stranger_grid
from examdesk.core.tests.factories import PASSWORD
from examdesk.results.tests.online.helpers import registered, registrant

pytestmark = pytest.mark.django_db
SIGN_IN = "/results/sign-in/"


def test_a_stranger_with_12_addresses_and_10_browsers_cannot_stop_the_candidate_on_a_known_device():
    person = registrant()
    registered(person, email="ana@example.org")
    candidate = Client(REMOTE_ADDR="198.51.100.3", HTTP_USER_AGENT="Ana's phone")
    assert candidate.post(SIGN_IN, {"identifier": person.id_number, "password": PASSWORD}).status_code == 302
    assert devices.COOKIE_NAME in candidate.cookies
    candidate.post("/account/logout/")

    wrong = {"identifier": person.id_number, "password": "guess"}
    statuses = stranger_grid(lambda client: client.post(SIGN_IN, wrong))
    assert statuses.count(200) < 12 * settings.EXAMDESK_LOCKOUT_FAILURES and statuses.count(429) > 100

    # A browser the account has never been used in waits, and is told why.
    newcomer = Client(REMOTE_ADDR="192.0.2.77")
    refused = newcomer.post(SIGN_IN, {"identifier": person.id_number, "password": PASSWORD})
    assert refused.status_code == 429
    assert "from browsers where it has not been used before is paused until" in refused.content.decode()
    # Results day: the candidate's phone (same address as one of the stranger's) signs in, by ID number or e-mail.
    assert candidate.post(SIGN_IN, {"identifier": person.id_number, "password": PASSWORD}).status_code == 302
    candidate.post("/account/logout/")
    assert candidate.post(SIGN_IN, {"identifier": "ana@example.org", "password": PASSWORD}).status_code == 302
