"""The invigilator's console, an invigilator and a student in two browsers: the student's live state; pause (the
student's clock stops on the server and on screen, no answer lost), resume; time added raises the student's limit;
access arrangements for this sitting alone; an irregularity with a note (and its error); each action on the
attempt's page and in the audit log; a student who goes offline is shown as offline within 30 seconds. axe on
every page."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, member
from examdesk.core.time import now
from examdesk.player import sections as play
from examdesk.player.tests.browser.test_player import enter, stored, wait_for
from examdesk.player.tests.support import demo_attempt
from examdesk.sittings.models import AttemptSection

pytestmark = pytest.mark.browser


@pytest.fixture
def attempt(live_server):
    today = now().astimezone(ZoneInfo("Europe/London")).date()
    return demo_attempt(today - timedelta(days=1), today + timedelta(days=3), today + timedelta(days=300))


def row_of(attempt):
    return AttemptSection.objects.select_related("section", "attempt").get(attempt=attempt, section__position=0)


def clock(page):
    return page.locator("#timer-value").inner_text()


def test_pause_resume_add_time_irregularity_and_offline(live_server, page, browser, attempt, monkeypatch):
    monkeypatch.setattr(play, "HEARTBEAT_SECONDS", 2)  # the student's clock shows the added time within seconds
    centre = attempt.sitting.centre
    member(centre, Role.CENTRE_ADMIN, email="invigilator@school.example.org", full_name="Mr Reed")
    staff_context = browser.new_context()
    staff = staff_context.new_page()
    sign_in(staff, live_server, "invigilator@school.example.org", PASSWORD)
    staff.goto(f"{live_server.url}/centres/{centre.number}/sittings/{attempt.sitting_id}/")
    staff.get_by_role("link", name="Invigilator's console").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Invigilator's console: Year 7")
    ana = staff.locator("tr", has_text="Ana Lima")
    expect(ana).to_contain_text("Not started")
    assert_accessible(staff)

    # The student starts: the console follows without a reload.
    enter(page, live_server, attempt)
    page.get_by_role("button", name="Start section").click()
    page.get_by_label("In a corner of the playground").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("She had never tried it.").check()
    expect(ana).to_contain_text("In section 1 (Reading)", timeout=15000)
    expect(ana).to_contain_text("2 of 6", timeout=15000)
    expect(ana).to_contain_text("Connected")

    # Pause: the student sees the calm screen; the clock stops on the server and on the screen; no answer lost.
    staff.get_by_role("button", name="Pause Ana Lima").click()
    expect(staff.get_by_text("Ana Lima is paused: their clock has stopped.")).to_be_visible()
    expect(page.get_by_role("heading", name="Paused by your invigilator")).to_be_visible(timeout=20000)
    assert_accessible(page)
    wait_for(lambda: stored(attempt) == {"R1": "b", "R2": "c"}, page)
    used, ticked = row_of(attempt).time_used_seconds, row_of(attempt).last_tick_at
    wait_for(lambda: row_of(attempt).last_tick_at > ticked + timedelta(seconds=3), page)  # heartbeats came
    assert row_of(attempt).time_used_seconds == used
    expect(ana).to_contain_text("Paused", timeout=10000)
    expect(ana).to_contain_text("(stopped)")
    assert_accessible(staff)

    # Resume: the student is back at the question they were on, with their answer.
    staff.get_by_role("button", name="Resume Ana Lima").click()
    expect(page.get_by_role("heading", name="Question 2 of 6")).to_be_visible(timeout=20000)
    expect(page.get_by_label("She had never tried it.")).to_be_checked()

    # Add time, on the student's page in the console: the server's limit grows and the student's clock with it.
    staff.get_by_role("link", name="Ana Lima").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Ana Lima")
    assert_accessible(staff)
    staff.get_by_role("button", name="Add time").click()
    expect(staff.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(staff)
    staff.get_by_label("Minutes to add").fill("10")
    staff.get_by_label("Why").fill("The fire alarm went off")
    staff.get_by_role("button", name="Add time").click()
    expect(staff.get_by_text("10 minutes added for Ana Lima.")).to_be_visible()
    assert play.limit_seconds(row_of(attempt)) == 30 * 60
    expect(page.locator("#timer-value")).to_have_text(re.compile(r"^2\d:\d\d$"), timeout=15000)

    # Access arrangements for this sitting only: 100 % extra time, then back to the candidate's own (none).
    staff.get_by_role("group", name="Extra time").get_by_label("100 %").check()
    staff.get_by_role("button", name="Save for this sitting").click()
    expect(staff.get_by_text("Access arrangements for this sitting saved: 100 % extra time.")).to_be_visible()
    assert play.limit_seconds(row_of(attempt)) == 40 * 60 + 10 * 60
    expect(staff.locator("dd", has_text="100 % extra time (for this sitting)")).to_be_visible()
    staff.get_by_role("button", name="Use the candidate's own arrangements").click()
    expect(staff.get_by_text("This sitting now uses the candidate's own access arrangements.")).to_be_visible()
    assert play.limit_seconds(row_of(attempt)) == 30 * 60

    # An irregularity needs a note.
    staff.get_by_role("button", name="Record the irregularity").click()
    expect(staff.get_by_role("alert")).to_contain_text("There is a problem")
    staff.get_by_label("What happened").fill("A loud noise outside the room")
    staff.get_by_role("button", name="Record the irregularity").click()
    history = staff.locator(".console-history")
    expect(history).to_contain_text("Paused by the invigilator")
    expect(history).to_contain_text("Resumed")
    expect(history).to_contain_text("10 minutes added to Reading: The fire alarm went off")
    expect(history).to_contain_text("Irregularity: A loud noise outside the room")
    assert_accessible(staff)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        AuditEvent.Action.ATTEMPT_PAUSED,
        AuditEvent.Action.ATTEMPT_RESUMED,
        AuditEvent.Action.ATTEMPT_TIME_ADDED,
        AuditEvent.Action.ATTEMPT_IRREGULARITY,
    } <= actions

    # Pause all and resume all.
    staff.get_by_role("link", name="Back to the invigilator's console").click()
    staff.get_by_role("button", name="Pause all students").click()
    expect(staff.get_by_text("Paused 1 students.")).to_be_visible()
    expect(page.get_by_role("heading", name="Paused by your invigilator")).to_be_visible(timeout=20000)
    staff.get_by_role("button", name="Resume all students").click()
    expect(page.get_by_role("heading", name="Question 2 of 6")).to_be_visible(timeout=20000)

    # The student's connection goes: the console says so within 30 seconds.
    page.context.set_offline(True)
    expect(staff.locator("tr", has_text="Ana Lima")).to_contain_text("Offline since", timeout=30000)
    assert_accessible(staff)
    page.context.set_offline(False)
    expect(staff.locator("tr", has_text="Ana Lima")).to_contain_text("Connected", timeout=30000)
    staff_context.close()
