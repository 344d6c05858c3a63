"""The player as a student: answer every kind of item; go offline mid-section and carry on, then see every answer on
the server; close the page mid-section and resume with the same answers; a timed section across a disconnection
(only a short gap charged); a section that ends offline shows a response code that decodes in Python to the same
answers; axe on every screen (item, review, confirm, offline banner, response code)."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from examdesk.catalogue.models import Item
from examdesk.core.tests.browser_support import assert_accessible
from examdesk.core.time import now
from examdesk.player import response_code
from examdesk.player import sections as play
from examdesk.player.models import Response
from examdesk.player.tests.support import demo_attempt
from examdesk.sittings.models import AttemptSection

pytestmark = pytest.mark.browser


@pytest.fixture
def attempt(live_server):
    cache.clear()
    today = now().astimezone(ZoneInfo("Europe/London")).date()
    return demo_attempt(today - timedelta(days=1), today + timedelta(days=3), today + timedelta(days=300))


def enter(page, live_server, attempt):
    page.goto(f"{live_server.url}/code/")
    page.get_by_label("Access code").fill(attempt.grouped_code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="I heard the sound: continue").click()
    page.get_by_role("link", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading and Listening Check, Year 7")


def stored(attempt, section_position=0):
    return {
        r.item.code: r.answer
        for r in Response.objects.filter(
            attempt_section__attempt=attempt, attempt_section__section__position=section_position
        ).select_related("item")
    }


def answer_reading(page, upto=6, heading=lambda number: f"Question {number} of 6", next_button="Next"):
    """R1 single, R2 single, R3 multiple, R4 numeric, R5 short text, R6 short text (`heading`: each question's
    heading, in the player's language)."""
    steps = [
        lambda: page.get_by_label("In a corner of the playground").check(),
        lambda: page.get_by_label("She had never tried it.").check(),
        lambda: (page.get_by_label("Apple trees").check(), page.get_by_label("Beans").check()),
        lambda: page.get_by_label("How many kilograms").fill("18"),
        lambda: page.get_by_label("Which plants were taller").fill("sunflowers"),
        lambda: page.get_by_label("What is the class planning").fill("apple day"),
    ]
    for number, step in enumerate(steps[:upto], start=1):
        expect(page.get_by_role("heading", name=heading(number))).to_be_focused()
        step()
        if number < 6:
            page.get_by_role("button", name=next_button).click()


EXPECTED = {"R1": "b", "R2": "c", "R3": ["a", "c"], "R4": "18", "R5": "sunflowers", "R6": "apple day"}


def wait_for(predicate, page, timeout=15000):
    step = 250
    for _ in range(timeout // step):
        if predicate():
            return
        page.wait_for_timeout(step)
    assert predicate()


def test_answers_survive_going_offline_and_closing_the_page(live_server, page, attempt):
    enter(page, live_server, attempt)
    expect(page.get_by_role("heading", name="Reading")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start section").click()
    expect(page.get_by_text("Time left:")).to_be_visible()
    assert_accessible(page)
    answer_reading(page, upto=3)
    wait_for(lambda: len(stored(attempt)) == 3, page)

    # Offline mid-section: a calm banner; answers kept and sent when the connection returns.
    page.context.set_offline(True)
    page.get_by_label("How many kilograms").fill("18,5x")
    page.get_by_label("How many kilograms").blur()
    expect(page.get_by_text("Enter a number, for example 3.5")).to_be_visible()
    page.get_by_label("How many kilograms").fill("18")
    expect(page.get_by_role("status").filter(has_text="You are offline.")).to_have_text(
        "You are offline. Your answers are kept on this device and will be sent when the connection returns."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Which plants were taller").fill("sunflowers")
    page.wait_for_timeout(500)
    assert "R5" not in stored(attempt)
    page.context.set_offline(False)
    wait_for(lambda: len(stored(attempt)) == 5, page)
    expect(page.get_by_text("You are offline.")).to_have_count(0)
    assert stored(attempt) == {k: v for k, v in EXPECTED.items() if k != "R6"}

    # The page is killed mid-section: entering the code again resumes at the same question with the same answers.
    page.get_by_role("button", name="Next").click()
    page.get_by_label("What is the class planning").fill("apple day")
    context = page.context
    page.close()
    page = context.new_page()
    enter(page, live_server, attempt)
    expect(page.get_by_role("heading", name="Question 6 of 6")).to_be_focused()
    expect(page.get_by_label("What is the class planning")).to_have_value("apple day")
    page.get_by_role("button", name=re.compile(r"^1\W+answered$")).click()
    expect(page.get_by_label("In a corner of the playground")).to_be_checked()
    page.get_by_role("button", name=re.compile(r"^3\W+answered$")).click()
    expect(page.get_by_label("Apple trees")).to_be_checked()
    expect(page.get_by_label("Potatoes")).not_to_be_checked()
    wait_for(lambda: stored(attempt) == EXPECTED, page)

    # Review, confirm, submit: the section is done and the next one opens.
    page.get_by_role("button", name="Review answers").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_focused()
    expect(page.get_by_text("You have answered all 6 questions.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit section").click()
    expect(page.get_by_role("heading", name="Submit this section?")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, submit this section").click()
    expect(page.get_by_role("heading", name="Section sent")).to_be_visible()
    assert AttemptSection.objects.get(attempt=attempt, section__position=0).state == "done"
    page.get_by_role("button", name="Go to the next section").click()
    page.get_by_role("button", name="Start section").click()
    expect(page.get_by_role("heading", name="Question 1 of 4")).to_be_focused()
    expect(page.locator("audio")).to_have_count(1)
    page.get_by_role("button", name="Play the recording").click()
    expect(page.locator("#audio-status")).not_to_be_empty()
    assert_accessible(page)
    page.get_by_role("button", name="Review answers").click()
    expect(page.get_by_text("Not answered", exact=True)).to_have_count(4)
    page.get_by_role("button", name="Submit section").click()
    expect(page.get_by_text("You have not answered 4 questions.")).to_be_visible()
    page.get_by_role("button", name="Yes, submit this section").click()
    expect(page.get_by_role("heading", name="You have finished")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.state in ("marking", "completed")


def test_a_timed_section_across_a_disconnection_ends_offline_with_a_response_code(
    live_server, page, attempt, monkeypatch
):
    monkeypatch.setattr(play, "MAX_GAP", timedelta(seconds=2))
    monkeypatch.setattr(play, "HEARTBEAT_SECONDS", 1)
    enter(page, live_server, attempt)
    page.get_by_role("button", name="Start section").click()
    answer_reading(page, upto=2)
    wait_for(lambda: len(stored(attempt)) == 2, page)

    # Ten seconds offline: the server charges at most the two-second gap of this test's rule.
    row = AttemptSection.objects.get(attempt=attempt, section__position=0)
    page.context.set_offline(True)
    expect(page.get_by_text("You are offline.")).to_be_visible(timeout=5000)
    before = row.time_used_seconds
    page.wait_for_timeout(10000)
    page.context.set_offline(False)
    expect(page.get_by_text("You are offline.")).to_have_count(0, timeout=10000)
    page.wait_for_timeout(1500)
    row.refresh_from_db()
    assert row.time_used_seconds - before < 7

    # Nearly out of time: the page is reopened, answers offline, and the clock runs out while offline.
    AttemptSection.objects.filter(pk=row.pk).update(time_used_seconds=1200 - 12)
    context = page.context
    page.close()
    page = context.new_page()
    enter(page, live_server, attempt)
    expect(page.get_by_role("heading", name="Question 3 of 6")).to_be_focused()
    page.context.set_offline(True)
    page.get_by_label("Apple trees").check()
    page.get_by_label("Sunflowers").check()
    code_box = page.get_by_label("Response code")
    expect(code_box).to_be_visible(timeout=30000)
    expect(page.get_by_role("heading", name="Your answers are kept on this device")).to_be_focused()
    assert_accessible(page)
    code = code_box.input_value()
    decoded = response_code.decode(code)
    row.refresh_from_db()
    items = {item.pk: item.code for item in Item.objects.filter(section=row.section)}
    assert decoded.attempt_id == attempt.pk and decoded.section_id == row.section_id and decoded.token == row.token
    assert {items[k]: v for k, v in decoded.answers.items()} == {"R1": "b", "R2": "c", "R3": ["a", "d"]}
    # The code says when it was made and when the answer given offline was, both before the section's close, so
    # ingesting it takes that answer (R1 and R2 the server has already).
    from examdesk.player.sections import section_closes_at

    closes = section_closes_at(row)
    assert decoded.made_at is not None and decoded.made_at <= closes
    by_code = {items[k]: at for k, at in decoded.answered_at.items()}
    assert "R3" in by_code and by_code["R3"] <= closes
    page.get_by_role("button", name="Copy to clipboard").click()
    expect(page.get_by_text("The response code was copied.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as a file").click()
    assert download.value.suggested_filename == f"exd-{attempt.pk}-{row.section_id}.txt"
    assert response_code.decode(open(download.value.path(), encoding="utf-8").read()).answers == decoded.answers

    # The connection returns: the player keeps retrying and the section is sent.
    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="Section sent")).to_be_visible(timeout=40000)
    row.refresh_from_db()
    assert row.state == "done"
    assert stored(attempt) == {"R1": "b", "R2": "c", "R3": ["a", "d"]}
