"""The public verification page: the same answer for every kind of wrong input, rate-limited and audited."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from examdesk.audit.models import AuditEvent
from examdesk.catalogue.tests import factories as catalogue
from examdesk.results import keys
from examdesk.results.models import Result
from examdesk.results.tests.factories import entry_with_result
from examdesk.results.tests.online.helpers import registrant, well_formed_unknown_id
from examdesk.results.verification.services import LOOKUPS, LOOKUPS_ADDRESS, NOT_VERIFIED

pytestmark = pytest.mark.django_db

PAST = datetime(2026, 1, 1, tzinfo=UTC)
FUTURE = datetime(2099, 1, 1, tzinfo=UTC)


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _summary(response) -> str:
    """The error summary alone: what the page says about the lookup."""
    match = re.search(r'<div class="error-summary".*?</div>', _text(response))
    return match.group(0) if match else ""


def _verify(client, id_number, code):
    return client.post("/verify/", {"id_number": id_number, "code": code})


def test_a_match_shows_the_result_summary_and_is_audited():
    person = registrant(released_at=PAST)
    candidate = person.entry.candidate
    response = _verify(Client(), keys.group(person.id_number), person.entry.verification_code.lower().replace("-", " "))
    page = _text(response)
    assert response.status_code == 200 and "Result verified" in page
    for text in (
        f"{candidate.first_name} {candidate.last_name}",
        "B2 First",
        "June 2026",
        person.entry.centre.name,
        "190",
        "Pass at Grade C",
        "B2",
        person.entry.verification_code,
        "Statement issued",
    ):
        assert text in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.VERIFICATION)
    assert event.data["matched"] is True and event.centre_number == person.entry.centre.number


def _other_candidates_code():
    other = registrant(released_at=PAST, candidate_number="0002")
    return other.entry.verification_code


@pytest.mark.parametrize(
    "case",
    [
        "wrong code",
        "wrong id",
        "unknown id",
        "someone else's code",
        "malformed",
        "not released",
        "pending",
        "withheld",
        "not online",
        "no release date",
    ],
)
def test_every_kind_of_wrong_input_gets_the_same_answer(case):
    released_at = {"not released": FUTURE, "no release date": None}.get(case, PAST)
    status = {"pending": Result.Status.PENDING, "withheld": Result.Status.WITHHELD}.get(case, Result.Status.ISSUED)
    person = registrant(released_at=released_at, status=status)
    id_number, code = person.id_number, person.entry.verification_code
    if case == "not online":
        movers = catalogue.qualification(person.entry.centre.board, "YLE-MOV")
        code = entry_with_result(
            candidate=person.entry.candidate,
            qualification=movers,
            released_at=PAST,
            scores={"LI": 4, "RW": 5, "SP": 3},
        ).verification_code
    elif case == "wrong code":
        code = "ABCD-EFGH-JKLM"
    elif case == "wrong id":
        id_number = person.id_number[::-1]
    elif case == "unknown id":
        id_number = well_formed_unknown_id(person.id_number)
    elif case == "someone else's code":
        code = _other_candidates_code()
    elif case == "malformed":
        code = "12"

    response = _verify(Client(), id_number, code)
    assert response.status_code == 200
    assert NOT_VERIFIED in _summary(response)
    assert "Result verified" not in _text(response) and "190" not in _summary(response)
    event = AuditEvent.objects.get(action=AuditEvent.Action.VERIFICATION)
    assert event.data["matched"] is False


def test_the_answers_for_an_unknown_id_number_and_a_wrong_code_are_identical():
    person = registrant(released_at=PAST)
    unknown_id = _verify(Client(), well_formed_unknown_id(person.id_number), person.entry.verification_code)
    wrong_code = _verify(Client(), person.id_number, "ABCD-EFGH-JKLM")
    assert _summary(unknown_id) == _summary(wrong_code) != ""


def test_the_qr_link_fills_in_the_code_but_not_the_id_number():
    person = registrant(released_at=PAST)
    page = _text(Client().get(f"/verify/?code={person.entry.verification_code}"))
    assert f'value="{person.entry.verification_code}"' in page
    assert 'name="id_number"' in page and f'value="{person.id_number}"' not in page


def test_lookups_are_limited_per_browser_not_per_browser_string():
    person = registrant(released_at=PAST)
    device = Client(HTTP_USER_AGENT="Browser A")
    device.get("/verify/")  # the first visit gives the browser its id
    for _ in range(LOOKUPS.attempts):
        assert _verify(device, person.id_number, "ABCD-EFGH-JKLM").status_code == 200
    refused = _verify(device, person.id_number, person.entry.verification_code)
    assert refused.status_code == 429
    assert re.search(
        r"Too many lookups in this browser. Try again after \d{2}:\d{2} on .+ \(Europe/London\)", _text(refused)
    )
    assert "Result verified" not in _text(refused)
    assert int(refused["Retry-After"]) > 0
    assert device.get("/verify/").status_code == 429

    # Changing the browser string does not help; another browser at the same address is not affected, and after ten
    # minutes this one may look up again.
    device.defaults["HTTP_USER_AGENT"] = "Browser A2"
    assert _verify(device, person.id_number, person.entry.verification_code).status_code == 429
    assert (
        _verify(Client(HTTP_USER_AGENT="Browser B"), person.id_number, person.entry.verification_code).status_code
        == 200
    )
    with time_machine.travel(timedelta(minutes=10, seconds=2)):
        again = _verify(device, person.id_number, person.entry.verification_code)
        assert again.status_code == 200 and "Result verified" in _text(again)


def test_a_client_dropping_its_cookie_meets_the_address_ceiling():
    person = registrant(released_at=PAST)
    for _ in range(LOOKUPS_ADDRESS.attempts):
        assert _verify(Client(REMOTE_ADDR="198.51.100.60"), person.id_number, "ABCD-EFGH-JKLM").status_code == 200
    refused = _verify(Client(REMOTE_ADDR="198.51.100.60"), person.id_number, person.entry.verification_code)
    assert refused.status_code == 429 and "from this network address" in _text(refused)
    elsewhere = _verify(Client(REMOTE_ADDR="198.51.100.61"), person.id_number, person.entry.verification_code)
    assert elsewhere.status_code == 200


def test_empty_fields_say_which_is_missing():
    response = Client().post("/verify/", {"id_number": "", "code": ""})
    summary = _summary(response)
    assert "Enter the candidate ID number." in summary and "Enter the verification code." in summary
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VERIFICATION).exists()
