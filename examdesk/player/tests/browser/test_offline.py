"""The player opens without a connection: the code is entered online; then offline a reload, and a page opened
again in the same browser, still show the section with every answer; back online every answer reaches the server
once. The next section's audio is fetched as it starts and is there after an offline reload. axe offline too."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.core.time import now
from examdesk.player.models import Response
from examdesk.player.tests.browser.test_player import enter, stored, wait_for
from examdesk.player.tests.support import demo_attempt

pytestmark = pytest.mark.browser


@pytest.fixture
def attempt(live_server):
    today = now().astimezone(ZoneInfo("Europe/London")).date()
    return demo_attempt(today - timedelta(days=1), today + timedelta(days=3), today + timedelta(days=300))


@pytest.fixture
def outage(monkeypatch):
    """Offline, for certain: besides the browser's offline mode (Playwright's, which a service worker that restarts
    can slip past for a moment), the server answers nothing but 503 while `outage.down` is set."""
    from django.contrib.staticfiles.handlers import StaticFilesHandlerMixin
    from django.core.handlers.base import BaseHandler
    from django.http import HttpResponse

    state = type("Outage", (), {"down": False})()
    for handler in (BaseHandler, StaticFilesHandlerMixin):
        original = handler.get_response

        def get_response(self, request, original=original):
            if state.down:
                return HttpResponse("The server cannot be reached.", status=503)
            return original(self, request)

        monkeypatch.setattr(handler, "get_response", get_response)
    return state


def offline(context, outage, on):
    outage.down = on
    context.set_offline(on)


def cached(page, name):
    return page.evaluate(f"caches.open('{name}').then((cache) => cache.keys()).then((keys) => keys.length)")


def test_reload_and_reopen_offline_then_every_answer_arrives_once(live_server, page, attempt, outage):
    enter(page, live_server, attempt)
    page.get_by_role("button", name="Start section").click()
    page.get_by_label("In a corner of the playground").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("She had never tried it.").check()
    wait_for(lambda: stored(attempt) == {"R1": "b", "R2": "c"}, page)
    wait_for(lambda: cached(page, "examdesk-player-shell") >= 8, page)
    assert page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)").endswith("/code/")

    # Offline: answer, then reload. The page and the section come from this device.
    offline(page.context, outage, True)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Apple trees").check()
    page.get_by_label("Beans").check()
    page.reload()
    expect(page.get_by_role("heading", name="Question 3 of 6")).to_be_visible()
    expect(page.get_by_label("Apple trees")).to_be_checked()
    expect(page.get_by_label("Beans")).to_be_checked()
    expect(page.get_by_text("You are offline.")).to_be_visible()
    expect(page.get_by_text("Time left:")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("How many kilograms").fill("18")

    # The browser closes and opens again, still offline.
    context = page.context
    page.close()
    page = context.new_page()
    page.goto(f"{live_server.url}/code/player/")
    expect(page.get_by_role("heading", name="Question 4 of 6")).to_be_visible()
    expect(page.get_by_label("How many kilograms")).to_have_value("18")
    page.get_by_role("button", name=re.compile(r"^1\W+answered$")).click()
    expect(page.get_by_label("In a corner of the playground")).to_be_checked()
    assert "R3" not in stored(attempt)

    # Back online: every answer arrives, once each.
    offline(context, outage, False)
    expected = {"R1": "b", "R2": "c", "R3": ["a", "c"], "R4": "18"}
    wait_for(lambda: stored(attempt) == expected, page, timeout=40000)
    expect(page.get_by_text("You are offline.")).to_have_count(0)
    rows = Response.objects.filter(attempt_section__attempt=attempt)
    assert rows.count() == 4 and sorted(rows.values_list("seq", flat=True)) == sorted(
        set(rows.values_list("seq", flat=True))
    )

    # The listening section: its audio is fetched as it starts, and plays after a reload without a connection.
    page.get_by_role("button", name="Review answers").click()
    page.get_by_role("button", name="Submit section").click()
    page.get_by_role("button", name="Yes, submit this section").click()
    page.get_by_role("button", name="Go to the next section").click()
    page.get_by_role("button", name="Start section").click()
    expect(page.get_by_role("heading", name="Question 1 of 4")).to_be_visible()
    wait_for(lambda: cached(page, "examdesk-player-media") == 1, page)
    offline(context, outage, True)
    page.reload()
    expect(page.get_by_role("heading", name="Question 1 of 4")).to_be_visible()
    # The recording's bytes are on this device: the browser reads its length from them without the server.
    wait_for(lambda: page.evaluate("document.querySelector('audio').readyState") >= 1, page)
    assert page.evaluate("document.querySelector('audio').duration") > 1
    offline(context, outage, False)
