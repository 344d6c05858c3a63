"""The release gate on the candidate's channels and the public one: the home page, the result page, the statement
PDF and the verification page, at release − 1 s, at the release second and at release + 1 s (time_machine)."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.test import Client
from pypdf import PdfReader

from examdesk.audit.models import AuditEvent
from examdesk.audit.outbox import outbox_drain_all
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.tests.online.helpers import Registrant, registered, registrant

RELEASE = datetime(2026, 8, 13, 7, 0, tzinfo=UTC)  # 08:00 in London (BST)
BEFORE, AT, AFTER = RELEASE - timedelta(seconds=1), RELEASE, RELEASE + timedelta(seconds=1)
MOMENTS = [(BEFORE, False), (AT, True), (AFTER, True)]

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


@pytest.fixture
def person() -> Registrant:
    centre = CentreFactory(time_zone="Europe/London", name="Hillside School")
    candidate = CandidateFactory(centre=centre, first_name="Zoë", last_name="Łukasiewicz")
    return registrant(candidate=candidate, released_at=RELEASE, candidate_number="0042")


@pytest.fixture
def browser(person) -> Client:
    client = Client()
    client.force_login(registered(person))
    return client


@pytest.mark.parametrize(("moment", "visible"), MOMENTS)
def test_home_page(browser, person, moment, visible):
    with time_machine.travel(moment, tick=False):
        page = _text(browser.get("/results/"))
    assert ("See your result" in page) is visible
    assert ("Results available on 13 August 2026, 08:00 (Europe/London)" in page) is not visible


@pytest.mark.parametrize(("moment", "visible"), MOMENTS)
def test_result_page(browser, person, moment, visible):
    with time_machine.travel(moment, tick=False):
        response = browser.get(f"/results/entries/{person.entry.pk}/")
    page = _text(response)
    assert response.status_code == 200  # their own entry: the page exists and says when
    assert ("Overall score" in page) is visible
    assert ("Pass at Grade C" in page) is visible
    assert ("Download your statement" in page) is visible
    assert (person.entry.verification_code in page) is visible
    assert ("Results available on 13 August 2026, 08:00 (Europe/London)" in page) is not visible


@pytest.mark.parametrize(("moment", "visible"), MOMENTS)
def test_statement_pdf(browser, person, moment, visible):
    with time_machine.travel(moment, tick=False):
        response = browser.get(f"/results/entries/{person.entry.pk}/statement.pdf")
    outbox_drain_all()  # the download's event reaches the log through the outbox
    downloads = AuditEvent.objects.filter(action=AuditEvent.Action.STATEMENT_DOWNLOADED)
    if not visible:
        assert response.status_code == 404
        assert not downloads.exists()
        return
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="0042-Lukasiewicz-Zoe.pdf"')
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == "0042-Łukasiewicz-Zoë.pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Zoë" in text and "Łukasiewicz" in text
    assert person.entry.verification_code in text
    event = downloads.get()
    assert event.data["entry"] == person.entry.pk and event.centre_number == person.entry.centre.number


@pytest.mark.parametrize(("moment", "visible"), MOMENTS)
def test_verification_page(person, moment, visible):
    with time_machine.travel(moment, tick=False):
        response = Client().post("/verify/", {"id_number": person.id_number, "code": person.entry.verification_code})
    page = _text(response)
    assert ("Result verified" in page) is visible
    assert ("We could not verify a result with these details." in page) is not visible
    event = AuditEvent.objects.get(action=AuditEvent.Action.VERIFICATION)
    assert event.data["matched"] is visible
