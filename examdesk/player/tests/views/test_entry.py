from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.cache import cache

from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.player.selectors import SESSION_KEY
from examdesk.sittings import services
from examdesk.sittings.models import Attempt
from examdesk.sittings.tests.fixtures import credits, product

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def attempt():
    with time_machine.travel(NOW, tick=False):
        centre = CentreFactory()
        made = product(centre)
        credits(centre, made, 5, date(2027, 12, 31))
        sitting = services.sitting_create(
            actor=None,
            centre=centre,
            product=made,
            name="Year 8",
            opens_on=date(2027, 3, 1),
            closes_on=date(2027, 3, 5),
            candidates=[CandidateFactory(centre=centre, first_name="Ana", last_name="Lima")],
        )
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
