from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client

from examdesk.centres.models import Role
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.player.selectors import SESSION_KEY
from examdesk.player.services import WRONG_CODES_ADDRESS
from examdesk.sittings.models import Attempt
from examdesk.sittings.tests.fixtures import credits, product, sitting_for

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def attempt():
    with time_machine.travel(NOW, tick=False):
        centre = CentreFactory()
        made = product(centre)
        credits(centre, made, 5, date(2027, 12, 31))
        sitting = sitting_for(centre, made, [CandidateFactory(centre=centre, first_name="Ana", last_name="Lima")])
        yield sitting.attempts.get()


def test_a_valid_code_typed_loosely_starts_the_attempt(client, attempt):
    typed = " " + attempt.grouped_code.lower().replace("-", " ") + " "
    with time_machine.travel(NOW, tick=False):
        response = client.post("/code/", {"code": typed})
        assert response.status_code == 302 and response["Location"] == "/code/check/"
        page = client.get("/code/check/").content.decode()
    assert "Hello, Ana Lima" in page and "Reading Age 7" in page and "Play the sound check" in page
    assert client.session[SESSION_KEY] == attempt.pk
    assert "_auth_user_id" not in client.session
    attempt.refresh_from_db()
    assert attempt.state == "in_progress" and attempt.started_at == NOW


def test_reasons_for_codes_that_cannot_be_used(client, attempt):
    code = attempt.code
    with time_machine.travel(datetime(2027, 2, 27, 9, 0, tzinfo=UTC), tick=False):
        page = client.post("/code/", {"code": code}).content.decode()
        assert "This assessment is not open yet. It opens on 1 March 2027, 00:00 (Europe/London)." in page
    with time_machine.travel(datetime(2027, 3, 7, 9, 0, tzinfo=UTC), tick=False):
        assert (
            "This assessment closed on 6 March 2027, 00:00 (Europe/London)"
            in client.post("/code/", {"code": code}).content.decode()
        )
    with time_machine.travel(NOW, tick=False):
        assert (
            "We do not recognise this access code" in client.post("/code/", {"code": "AAAA-AAAA-AA"}).content.decode()
        )
        Attempt.objects.filter(pk=attempt.pk).update(state="completed")
        assert "already completed" in client.post("/code/", {"code": code}).content.decode()
        Attempt.objects.filter(pk=attempt.pk).update(state="in_progress")
        attempt.sitting.product.__class__.objects.filter(pk=attempt.sitting.product_id).update(other_platform=True)
        assert "has not moved to this platform yet" in client.post("/code/", {"code": code}).content.decode()


def test_guessing_is_throttled(client, attempt):
    with time_machine.travel(NOW, tick=False):
        for _ in range(9):
            assert client.post("/code/", {"code": "AAAA-AAAA-AA"}).status_code == 200
        paused = client.post("/code/", {"code": "AAAA-AAAA-AC"})
        assert paused.status_code == 429 and int(paused["Retry-After"]) == 600
        # Even the right code waits until the pause ends.
        assert client.post("/code/", {"code": attempt.code}).status_code == 429
    with time_machine.travel(datetime(2027, 3, 2, 9, 11, tzinfo=UTC), tick=False):
        assert client.post("/code/", {"code": attempt.code}).status_code == 302


def test_a_signed_in_teacher_is_offered_sign_out_first(client, attempt):
    teacher = member(attempt.sitting.centre, Role.TEACHER, full_name="Mr Teach")
    client.force_login(teacher)
    page = client.get("/code/").content.decode()
    assert "Sign out Mr Teach and continue" in page and 'name="code"' not in page
    assert client.post("/code/", {"code": attempt.code}).status_code == 200
    attempt.refresh_from_db()
    assert attempt.state == "not_started"
    response = client.post("/code/sign-out/", follow=True)
    assert "Mr Teach has been signed out" in response.content.decode()
    assert 'name="code"' in response.content.decode()


def test_tone_is_a_wav(client):
    response = client.get("/code/sound-check.wav")
    assert response.status_code == 200 and response.content[:4] == b"RIFF" and response["Content-Type"] == "audio/wav"


def test_staff_sign_in_page_links_to_the_code_page(client):
    assert 'href="/code/">Have a student access code?</a>' in client.get("/account/login/").content.decode()


@pytest.fixture
def classroom():
    with time_machine.travel(NOW, tick=False):
        centre = CentreFactory()
        made = product(centre)
        credits(centre, made, 40, date(2027, 12, 31))
        pupils = [CandidateFactory(centre=centre, first_name=f"Pupil{n}", last_name="Lima") for n in range(35)]
        sitting = sitting_for(centre, made, pupils)
        yield list(sitting.attempts.all())


def test_a_school_of_35_behind_one_address_with_one_mistyping_pupil_all_get_in(classroom):
    school = "203.0.113.80"
    with time_machine.travel(NOW, tick=False):
        pupils = [Client(REMOTE_ADDR=school, HTTP_USER_AGENT="School laptop") for _ in classroom]
        for pupil in pupils:
            pupil.get("/code/")  # each browser gets its id on its first visit
        # One pupil mistypes again and again: only that browser is paused …
        clumsy = pupils[0]
        statuses = [clumsy.post("/code/", {"code": "AAAA-AAAA-AA"}).status_code for _ in range(15)]
        assert statuses[:9] == [200] * 9 and set(statuses[9:]) == {429}
        paused = clumsy.post("/code/", {"code": "AAAA-AAAA-AA"})
        assert "Too many codes were not recognised in this browser" in paused.content.decode()
        # … and a new browser string does not lift it.
        clumsy.defaults["HTTP_USER_AGENT"] = "Something else"
        assert clumsy.post("/code/", {"code": classroom[0].code}).status_code == 429
        # Every other pupil, at the same address and with the same browser string, gets in at once.
        for pupil, attempt in zip(pupils[1:], classroom[1:], strict=True):
            assert pupil.post("/code/", {"code": attempt.grouped_code}).status_code == 302
    with time_machine.travel(datetime(2027, 3, 2, 9, 11, tzinfo=UTC), tick=False):
        assert clumsy.post("/code/", {"code": classroom[0].code}).status_code == 302


def test_a_guesser_dropping_cookies_meets_the_address_ceiling(attempt):
    with time_machine.travel(NOW, tick=False):
        for _ in range(WRONG_CODES_ADDRESS.attempts - 1):
            Client(REMOTE_ADDR="198.51.100.90", HTTP_USER_AGENT="x").post("/code/", {"code": "AAAA-AAAA-AA"})
        last = Client(REMOTE_ADDR="198.51.100.90").post("/code/", {"code": "AAAA-AAAA-AA"})
        assert last.status_code == 429 and "from this network address" in last.content.decode()
        assert Client(REMOTE_ADDR="198.51.100.90").post("/code/", {"code": attempt.code}).status_code == 429
        assert Client(REMOTE_ADDR="198.51.100.91").post("/code/", {"code": attempt.code}).status_code == 302


def test_a_staff_sign_in_in_another_tab_offers_to_sign_them_out_not_a_bare_403(attempt):
    teacher = member(attempt.sitting.centre, Role.TEACHER, full_name="Mr Teach")
    browser = Client(enforce_csrf_checks=True)
    with time_machine.travel(NOW, tick=False):
        page = browser.get("/code/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        # Another tab: the teacher signs in (a new CSRF token for the browser).
        login_page = browser.get("/account/login/").content.decode()
        login_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
        signed_in = browser.post(
            "/account/login/", {"email": teacher.email, "password": PASSWORD, "csrfmiddlewaretoken": login_token}
        )
        assert signed_in.status_code == 302
        # Back in the first tab, the pupil types the code with the old token.
        stale = browser.post("/code/", {"code": attempt.code, "csrfmiddlewaretoken": token})
        text = stale.content.decode()
        assert stale.status_code == 403
        assert "Someone signed in on this browser" in text and "Sign out Mr Teach and continue" in text
        assert "CSRF verification failed" not in text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
        after = browser.post("/account/logout/", {"next": "/code/", "csrfmiddlewaretoken": token}, follow=True)
        assert 'name="code"' in after.content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', after.content.decode()).group(1)
        assert browser.post("/code/", {"code": attempt.code, "csrfmiddlewaretoken": token}).status_code == 302
