"""Three defects a student met in the player, each fixed: the word "null" above every question without audio; the
clock scrolling away on a phone; the reading passage keeping the author's hard line breaks."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.core.time import now
from examdesk.player.tests.browser.test_player import enter
from examdesk.player.tests.support import demo_attempt

pytestmark = pytest.mark.browser


@pytest.fixture
def attempt(live_server):
    today = now().astimezone(ZoneInfo("Europe/London")).date()
    return demo_attempt(today - timedelta(days=1), today + timedelta(days=3), today + timedelta(days=300))


def test_a_question_without_audio_shows_no_null(live_server, page, attempt):
    enter(page, live_server, attempt)
    page.get_by_role("button", name="Start section").click()
    expect(page.get_by_role("heading", name="Question 1 of 6")).to_be_focused()
    assert "null" not in page.locator("#player").inner_text()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Question 2 of 6")).to_be_focused()
    assert "null" not in page.locator("#player").inner_text()


def test_on_a_phone_the_clock_stays_in_view_while_the_question_scrolls(live_server, page, attempt):
    page.set_viewport_size({"width": 320, "height": 568})
    enter(page, live_server, attempt)
    page.get_by_role("button", name="Start section").click()
    expect(page.get_by_text("Time left:")).to_be_visible()
    page.get_by_role("button", name="Next", exact=True).scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 200  # the page did scroll
    box = page.locator(".player-timer").bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 568
    assert_accessible(page)


def test_the_reading_passage_flows_as_paragraphs(live_server, page, attempt):
    page.set_viewport_size({"width": 900, "height": 800})
    enter(page, live_server, attempt)
    page.get_by_role("button", name="Start section").click()
    passage = page.locator(".player-instructions")
    expect(passage).to_be_visible()
    text = passage.inner_text()
    assert "They planted twelve apple trees" in text
    assert "planted\ntwelve" not in text
    expect(passage.locator("p")).to_have_count(3)
    expect(passage.locator("p").nth(1)).to_have_text("The school garden")
