"""Access arrangements, as centre staff set them and as the student meets them: extra time set on the candidate's
arrangements screen changes the server's limit; a rest break stops the server's clock; text at 400 % in a 320 CSS
px viewport scrolls only downwards and hides nothing; the reader speaks the question and its options (speech
synthesis stubbed to record what it is asked to say) where the assessment allows it; each colour overlay and
contrast theme passes axe; the whole section by keyboard alone."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, member
from examdesk.core.time import now
from examdesk.people.arrangements import candidate_arrangements_set, form_initial
from examdesk.player import sections as play
from examdesk.player.models import Pause
from examdesk.player.tests.browser.test_player import EXPECTED, enter, stored, wait_for
from examdesk.player.tests.support import demo_attempt
from examdesk.sittings.models import AttemptSection

pytestmark = pytest.mark.browser

RECORD_SPEECH = """
window.__spoken = [];
class StubUtterance { constructor(text) { this.text = text; } }
window.SpeechSynthesisUtterance = StubUtterance;
Object.defineProperty(window, "speechSynthesis", {
  value: { speak: (utterance) => window.__spoken.push(utterance.text), cancel: () => {} },
});
"""


@pytest.fixture
def attempt(live_server):
    today = now().astimezone(ZoneInfo("Europe/London")).date()
    return demo_attempt(today - timedelta(days=1), today + timedelta(days=3), today + timedelta(days=300))


def arrange(attempt, **values):
    candidate_arrangements_set(actor=None, candidate=attempt.candidate, values={**form_initial(None), **values})


def row_of(attempt, position=0):
    return AttemptSection.objects.select_related("section", "attempt").get(attempt=attempt, section__position=position)


def test_extra_time_set_by_staff_changes_the_servers_limit(live_server, page, attempt):
    centre = attempt.sitting.centre
    member(centre, Role.CENTRE_ADMIN, email="senco@school.example.org")
    sign_in(page, live_server, "senco@school.example.org", PASSWORD)
    page.goto(f"{live_server.url}/centres/{centre.number}/candidates/{attempt.candidate_id}/")
    page.get_by_role("link", name="Access arrangements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Access arrangements of Ana Lima")
    assert_accessible(page)
    page.get_by_label("Extra minutes for each timed section").fill("")
    page.get_by_role("button", name="Save access arrangements").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)
    page.get_by_label("50 %").check()
    page.get_by_label("Extra minutes for each timed section").fill("0")
    page.get_by_label("Supervised rest breaks").check()
    page.get_by_role("button", name="Save access arrangements").click()
    expect(page.get_by_text("Access arrangements saved: 50 % extra time, rest breaks.")).to_be_visible()
    expect(page.locator("dd", has_text="50 % extra time, rest breaks")).to_be_visible()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CANDIDATE_ARRANGEMENTS).count() == 1
    page.get_by_role("button", name="Sign out").click()

    enter(page, live_server, attempt)
    expect(page.get_by_text("You have 30 minutes for this section.")).to_be_visible()
    page.get_by_role("button", name="Start section").click()
    expect(page.locator("#timer-value")).to_have_text("30:00")
    assert play.limit_seconds(row_of(attempt)) == 30 * 60
    assert play.time_left(row_of(attempt)) > 29 * 60


def test_a_rest_break_stops_the_servers_clock(live_server, page, attempt):
    arrange(attempt, rest_breaks=True)
    enter(page, live_server, attempt)
    page.get_by_role("button", name="Start section").click()
    page.get_by_label("In a corner of the playground").check()
    wait_for(lambda: stored(attempt) == {"R1": "b"}, page)
    page.get_by_role("button", name="Take a rest break").click()
    expect(page.get_by_role("heading", name="Rest break")).to_be_focused()
    assert_accessible(page)
    pause = Pause.objects.get(attempt=attempt)
    used, ticked = row_of(attempt).time_used_seconds, row_of(attempt).last_tick_at
    # The player keeps in touch during the break; the server counts none of it.
    wait_for(lambda: row_of(attempt).last_tick_at > ticked + timedelta(seconds=5), page)
    assert row_of(attempt).time_used_seconds == used
    page.get_by_role("button", name="Carry on").click()
    expect(page.get_by_role("heading", name="Question 1 of 6")).to_be_visible()
    expect(page.get_by_label("In a corner of the playground")).to_be_checked()
    pause.refresh_from_db()
    assert pause.ended_at is not None
    # Checked after the break: the time the server counted leaves out the break.
    page.get_by_role("button", name="Next").click()
    page.get_by_label("She had never tried it.").check()
    wait_for(lambda: "R2" in stored(attempt), page)
    row = row_of(attempt)
    break_seconds = (pause.ended_at - pause.started_at).total_seconds()
    assert break_seconds > 5
    assert row.time_used_seconds - used < break_seconds
    assert play.time_left(row) > 20 * 60 - (row.last_tick_at - row.started_at).total_seconds() + break_seconds - 1
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count(AuditEvent.Action.ATTEMPT_REST_BREAK) == 2


def _fits(page):
    """Nothing scrolls sideways, and every visible thing in the player lies within the viewport's width."""
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    outside = page.evaluate(
        """(width) => [...document.querySelectorAll('.player-page *')]
             .filter((node) => node.getClientRects().length && !node.closest('.visually-hidden'))
             .map((node) => [node, node.getBoundingClientRect()])
             .filter(([, box]) => box.width > 0 && (box.left < -1 || box.right > width + 1))
             .map(([node]) => node.outerHTML.slice(0, 80))""",
        width,
    )
    assert outside == []


def test_text_at_400_percent_in_a_320px_viewport_reflows_with_nothing_cut_off(live_server, page, attempt):
    page.set_viewport_size({"width": 1280, "height": 900})
    enter(page, live_server, attempt)
    page.set_viewport_size({"width": 320, "height": 640})
    page.get_by_role("button", name="Display settings").click()
    page.get_by_label("400 %").check()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "64px"
    page.get_by_role("button", name="Close display settings").click()
    page.get_by_role("button", name="Start section").click()
    expect(page.get_by_role("heading", name="Question 1 of 6")).to_be_focused()
    _fits(page)
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_role("button", name="Next", exact=True).click()
    _fits(page)  # the multiple choice
    page.get_by_role("button", name="Next", exact=True).click()
    _fits(page)  # a numeric answer
    page.get_by_role("button", name="Review answers").first.click()
    _fits(page)
    assert_accessible(page)
    # The choice is remembered for the attempt.
    page.reload()
    expect(page.get_by_role("heading", name="Question 4 of 6")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "64px"


def test_the_reader_speaks_where_reading_aloud_is_allowed(live_server, page, attempt):
    arrange(attempt, reader=True)
    page.add_init_script(RECORD_SPEECH)
    enter(page, live_server, attempt)
    page.get_by_role("button", name="Start section").click()
    # Reading aloud is not allowed in the test of reading.
    expect(page.get_by_text("Reading aloud is not allowed in this section.")).to_be_visible()
    expect(page.get_by_role("button", name="Read aloud")).to_have_count(0)
    page.get_by_role("button", name="Review answers").click()
    page.get_by_role("button", name="Submit section").click()
    page.get_by_role("button", name="Yes, submit this section").click()
    page.get_by_role("button", name="Go to the next section").click()
    page.get_by_role("button", name="Start section").click()
    expect(page.get_by_role("heading", name="Question 1 of 4")).to_be_focused()
    item = row_of(attempt, 1).section.items.order_by("position").first()
    page.get_by_role("button", name="Read aloud").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken == [item.prompt] + [
        f"Option {number}: {option['text']}" for number, option in enumerate(item.options, start=1)
    ]
    assert_accessible(page)


def test_every_overlay_and_contrast_theme_passes_axe(live_server, page, attempt):
    arrange(attempt, overlay="cream", line_reader=True)
    enter(page, live_server, attempt)
    page.get_by_role("button", name="Start section").click()
    expect(page.get_by_role("heading", name="Question 1 of 6")).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.overlay") == "cream"
    expect(page.locator(".line-reader")).to_have_count(1)
    page.get_by_role("button", name="Display settings").click()
    assert_accessible(page)
    for overlay in ("Cream", "Yellow", "Blue", "Green", "Pink"):
        page.get_by_label(overlay, exact=True).check()
        assert_accessible(page)
    page.get_by_label("No overlay").check()
    for theme in ("White on black", "Yellow on black"):
        page.get_by_label(theme).check()
        assert_accessible(page)
        page.get_by_role("button", name="Close display settings").click()
        page.get_by_role("button", name="Review answers").click()
        assert_accessible(page)
        page.get_by_role("button", name="Back to the questions").click()
        page.get_by_role("button", name="Display settings").click()
    page.get_by_label("Line reader").uncheck()
    expect(page.locator(".line-reader")).to_have_count(0)


def _tab_to(page, locator, limit=60):
    """Press Tab until `locator` has the focus (as a keyboard user moves through the page)."""
    for _ in range(limit):
        if locator.evaluate("(node) => node === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def test_the_whole_section_by_keyboard_only(live_server, page, attempt):
    enter(page, live_server, attempt)
    _tab_to(page, page.get_by_role("button", name="Start section"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Question 1 of 6")).to_be_focused()

    def next_question():
        _tab_to(page, page.get_by_role("button", name="Next", exact=True))
        page.keyboard.press("Enter")

    _tab_to(page, page.get_by_label("In the school car park"))
    page.keyboard.press("ArrowDown")  # the next option: in a corner of the playground
    next_question()
    _tab_to(page, page.get_by_label("She had a lot of experience."))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    next_question()
    for label in ("Apple trees", "Beans"):
        _tab_to(page, page.get_by_label(label))
        page.keyboard.press("Space")
    next_question()
    _tab_to(page, page.get_by_label("How many kilograms"))
    page.keyboard.type("18")
    next_question()
    _tab_to(page, page.get_by_label("Which plants were taller"))
    page.keyboard.type("sunflowers")
    next_question()
    _tab_to(page, page.get_by_label("What is the class planning"))
    page.keyboard.type("apple day")
    _tab_to(page, page.get_by_role("button", name="Review answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have answered all 6 questions.")).to_be_visible()
    _tab_to(page, page.get_by_role("button", name="Submit section"))
    page.keyboard.press("Enter")
    _tab_to(page, page.get_by_role("button", name="Yes, submit this section"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Section sent")).to_be_visible()
    assert stored(attempt) == EXPECTED
    # The display settings by keyboard too.
    _tab_to(page, page.get_by_role("button", name="Display settings"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("100 %")).to_be_focused()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Display settings")).to_be_focused()
