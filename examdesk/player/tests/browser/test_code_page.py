"""The code page as a school uses it: a teacher signs in in another tab of the pupil's browser (a clear choice, never
a bare 403), a form left open too long (our CSRF page with a way forward), and one browser's pause; axe on each."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, member
from examdesk.core.time import now
from examdesk.player.tests.support import demo_attempt

pytestmark = pytest.mark.browser


@pytest.fixture
def attempt(live_server):
    cache.clear()
    today = now().astimezone(ZoneInfo("Europe/London")).date()
    return demo_attempt(today - timedelta(days=1), today + timedelta(days=3), today + timedelta(days=300))


def test_a_teacher_signing_in_in_another_tab_gives_the_pupil_a_clear_choice(live_server, page, attempt):
    member(attempt.sitting.centre, Role.TEACHER, email="teacher@example.org", full_name="Mr Teach")
    page.goto(f"{live_server.url}/code/")
    page.get_by_label("Access code").fill(attempt.grouped_code)

    other_tab = page.context.new_page()
    sign_in(other_tab, live_server, "teacher@example.org", PASSWORD)
    expect(other_tab.get_by_role("button", name="Sign out")).to_be_visible()

    response = None
    with page.expect_response(lambda r: r.url.endswith("/code/") and r.request.method == "POST") as info:
        page.get_by_role("button", name="Continue").click()
    response = info.value
    assert response.status == 403
    expect(page.get_by_role("heading", name="Someone signed in on this browser")).to_be_visible()
    expect(page.get_by_text("What you sent was not used")).to_be_visible()
    expect(page.get_by_text("CSRF verification failed")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Sign out Mr Teach and continue").click()
    page.get_by_label("Access code").fill(attempt.grouped_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Hello, Ana Lima")).to_be_visible()


def test_an_expired_form_gets_a_page_in_the_product_s_style_with_a_way_forward(live_server, page, attempt):
    page.goto(f"{live_server.url}/code/")
    page.context.clear_cookies()  # as after a long pause: the browser no longer holds the form's token
    page.get_by_label("Access code").fill(attempt.grouped_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="This form has expired")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Reload the form").click()
    page.get_by_label("Access code").fill(attempt.grouped_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Hello, Ana Lima")).to_be_visible()


def test_a_mistyping_pupil_pauses_only_their_browser(live_server, page, new_context, attempt):
    page.goto(f"{live_server.url}/code/")
    for _ in range(10):
        page.get_by_label("Access code").fill("AAAA-AAAA-AA")
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many codes were not recognised in this browser")
    assert_accessible(page)
    neighbour = new_context().new_page()  # the next pupil, same address, same kind of laptop
    neighbour.goto(f"{live_server.url}/code/")
    neighbour.get_by_label("Access code").fill(attempt.grouped_code)
    neighbour.get_by_role("button", name="Continue").click()
    expect(neighbour.get_by_text("Hello, Ana Lima")).to_be_visible()
