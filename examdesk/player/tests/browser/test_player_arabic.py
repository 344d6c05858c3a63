"""An Arabic-speaking student takes a section in the player, right to left, in Arabic, by the same steps as in
English: the way in (code, sound check, start), the questions, the check of answers and the submission."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.core.time import now
from examdesk.player.tests.browser.test_player import EXPECTED, answer_reading, stored, wait_for
from examdesk.player.tests.support import demo_attempt
from examdesk.sittings.models import AttemptSection

pytestmark = pytest.mark.browser


def page_words(msgid: str) -> str:
    """A message of the pages (Django's catalogue), in Arabic."""
    with translation.override("ar"):
        return translation.gettext(msgid)


def player_words(msgid: str, **values: object) -> str:
    """A message of the player's script (the JavaScript catalogue), in Arabic, with its values filled in."""
    catalogue = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "ar" / "LC_MESSAGES" / "djangojs.po"))
    entry = catalogue.find(msgid)
    assert entry is not None and entry.msgstr, msgid
    return entry.msgstr % values if values else entry.msgstr


@pytest.fixture
def attempt(live_server):
    today = now().astimezone(ZoneInfo("Europe/London")).date()
    return demo_attempt(today - timedelta(days=1), today + timedelta(days=3), today + timedelta(days=300))


def test_an_arabic_student_takes_a_section_right_to_left(live_server, new_context, attempt):
    page = new_context(locale="ar").new_page()  # Accept-Language: ar
    page.goto(f"{live_server.url}/code/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    assert_accessible(page)
    page.get_by_label(page_words("Access code")).fill(attempt.grouped_code)
    page.get_by_role("button", name=page_words("Continue")).click()
    expect(html).to_have_attribute("dir", "rtl")
    assert_accessible(page)
    page.get_by_role("link", name=page_words("I heard the sound: continue")).click()
    assert_accessible(page)
    page.get_by_role("link", name=page_words("Start")).click()

    # The player itself: right to left, its own words in Arabic (the assessment's content is the board's).
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading and Listening Check, Year 7")
    expect(html).to_have_attribute("dir", "rtl")
    assert page.locator("#player").evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.get_by_role("button", name=player_words("Start section")).click()
    first = player_words("Question %(number)s of %(count)s", number=1, count=6)
    expect(page.get_by_role("heading", name=first)).to_be_focused()
    assert_accessible(page)
    answer_reading(
        page,
        heading=lambda number: player_words("Question %(number)s of %(count)s", number=number, count=6),
        next_button=player_words("Next"),
    )
    wait_for(lambda: stored(attempt) == EXPECTED, page)  # every answer arrived, as in English
    page.get_by_role("button", name=player_words("Review answers")).click()
    expect(page.get_by_role("heading", name=player_words("Check your answers"))).to_be_focused()
    assert_accessible(page)
    page.get_by_role("button", name=player_words("Submit section")).click()
    assert_accessible(page)
    page.get_by_role("button", name=player_words("Yes, submit this section")).click()
    expect(page.get_by_role("heading", name=player_words("Section sent"))).to_be_visible()
    assert_accessible(page)
    assert AttemptSection.objects.get(attempt=attempt, section__position=0).state == "done"
