"""The console's pages: a viewer sees the live states but may not pause; a teacher pauses and resumes; another
centre's sitting is not found; the player's rest-break API refuses a student without the arrangement; the candidate's
arrangements screen checks its values before saving."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.core.time import now
from examdesk.people.models import CandidateArrangements
from examdesk.player.models import Pause
from examdesk.player.selectors import SESSION_KEY
from examdesk.player.tests.support import demo_attempt
from examdesk.sittings.services import attempt_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt():
    today = now().astimezone(ZoneInfo("Europe/London")).date()
    made = demo_attempt(today - timedelta(days=1), today + timedelta(days=3), today + timedelta(days=300))
    return attempt_start(attempt=made)


def _console(attempt):
    return f"/centres/{attempt.sitting.centre.number}/sittings/{attempt.sitting_id}/console/"


def test_a_viewer_sees_the_console_but_may_not_pause(client, attempt):
    client.force_login(member(attempt.sitting.centre, Role.VIEWER))
    page = client.get(_console(attempt))
    assert page.status_code == 200 and "Ana Lima" in page.content.decode()
    assert "Pause all students" not in page.content.decode()
    assert client.get(_console(attempt) + "live/").status_code == 200
    assert client.post(f"{_console(attempt)}attempts/{attempt.pk}/pause/").status_code == 403
    assert not Pause.objects.exists()


def test_a_teacher_pauses_and_resumes_and_another_centre_finds_nothing(client, attempt):
    client.force_login(member(attempt.sitting.centre, Role.TEACHER))
    assert client.post(f"{_console(attempt)}attempts/{attempt.pk}/pause/").status_code == 302
    assert Pause.objects.get().ended_at is None
    assert "Paused" in client.get(_console(attempt) + "live/").content.decode()
    client.post(f"{_console(attempt)}attempts/{attempt.pk}/resume/")
    assert Pause.objects.get().ended_at is not None
    other = CentreFactory()
    client.force_login(member(other, Role.CENTRE_ADMIN))
    assert client.get(_console(attempt)).status_code == 404


def test_the_rest_break_api_needs_the_arrangement(client, attempt):
    session = client.session
    session[SESSION_KEY] = attempt.pk
    session.save()
    refused = client.post("/code/player/api/rest-break/", content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"] == "Rest breaks are not among your access arrangements. Ask your invigilator."
    CandidateArrangements.objects.create(candidate=attempt.candidate, rest_breaks=True)
    assert client.post("/code/player/api/rest-break/").json() == {"paused": "rest_break"}
    assert client.get("/code/player/api/state/").json()["paused"] == "rest_break"
    assert client.post("/code/player/api/presence/").json() == {"paused": "rest_break"}
    assert client.post("/code/player/api/rest-break/end/").json() == {"paused": None}


def test_the_arrangements_screen_checks_its_values(client, attempt):
    centre = attempt.sitting.centre
    client.force_login(member(centre, Role.CENTRE_ADMIN))
    url = f"/centres/{centre.number}/candidates/{attempt.candidate_id}/arrangements/"
    bad = client.post(
        url,
        {
            "extra_time_percent": "30",
            "extra_time_minutes": "999",
            "text_size": "100",
            "overlay": "none",
            "contrast": "standard",
        },
    )
    assert bad.status_code == 200 and not CandidateArrangements.objects.exists()
    text = bad.content.decode()
    assert "Select a valid choice." in text and "less than or equal to 240" in text
    good = client.post(
        url,
        {
            "extra_time_percent": "25",
            "extra_time_minutes": "5",
            "reader": "on",
            "text_size": "200",
            "overlay": "blue",
            "contrast": "standard",
        },
    )
    assert good.status_code == 302
    saved = CandidateArrangements.objects.get(candidate=attempt.candidate)
    assert (saved.extra_time_percent, saved.extra_time_minutes, saved.reader, saved.text_size) == (25, 5, True, 200)
    # A viewer may not change them.
    client.force_login(member(centre, Role.VIEWER))
    assert client.get(url).status_code == 403
