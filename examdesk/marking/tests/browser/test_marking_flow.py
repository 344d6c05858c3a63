"""Staff paste a student's response code on the progress page and see the scores; the same code again is already
received; an altered one is refused with the reason; a mark is changed with a reason. axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD
from examdesk.core.time import now
from examdesk.marking.tests.fixtures import alter, make_world, start
from examdesk.player.response_code import encode

pytestmark = pytest.mark.browser


def test_response_code_scores_already_received_refused_and_override(live_server, page, transactional_db):
    w = make_world()
    i = w.items
    row = start(w.attempt, w.reading)  # the student started reading, then the connection dropped
    code = encode(
        attempt_id=row.attempt_id,
        section_id=row.section_id,
        token=row.token,
        answers={i["single"].pk: "b", i["multiple"].pk: ["a"]},
        sequence=4,
        made_at=now(),
        answered_at={i["single"].pk: now(), i["multiple"].pk: now()},
    )
    sign_in(page, live_server, w.staff.email, PASSWORD)
    page.goto(f"{live_server.url}/centres/{w.centre.number}/sittings/{w.sitting.pk}/")
    expect(page.get_by_text("No candidate has submitted a section yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Enter a response code").click()
    assert_accessible(page)
    page.get_by_label("Paste the response code").fill(code)
    page.get_by_role("button", name="Check and submit the code").click()
    expect(page.get_by_text("Response code received: Reading for Ada Lovelace")).to_be_visible()
    expect(page.get_by_text("Reading: 1 out of 3")).to_be_visible()  # single right; multiple is all or nothing
    expect(page.get_by_text("Listening: not submitted")).to_be_visible()
    expect(page.get_by_text("By response code", exact=True)).to_be_visible()
    expect(page.get_by_text(f"entered by {w.staff.full_name or w.staff.email}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Enter a response code").click()
    page.get_by_label("Paste the response code").fill(code.lower())
    page.get_by_role("button", name="Check and submit the code").click()
    expect(page.get_by_text("This response code was already received on")).to_be_visible()
    expect(page.get_by_text("Reading: 1 out of 3")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Enter a response code").click()
    altered = alter(code)
    page.get_by_label("Paste the response code").fill(altered)
    page.get_by_role("button", name="Check and submit the code").click()
    expect(page.get_by_role("link", name="Refused: The code was mistyped or changed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the sitting").click()

    page.get_by_role("link", name="Marks of Ada Lovelace").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change mark for item R2").click()
    assert_accessible(page)
    page.get_by_role("button", name="Change the mark").click()
    expect(page.get_by_role("link", name="This field is required.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New mark").fill("2")
    page.get_by_label("Reason for the change").fill("One and three was the intended reading of the question")
    page.get_by_role("button", name="Change the mark").click()
    expect(page.get_by_text("Mark for item R2 changed; the scores are updated.")).to_be_visible()
    expect(page.get_by_text("One and three was the intended reading")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the sitting").click()
    expect(page.get_by_text("Reading: 3 out of 3")).to_be_visible()
    assert_accessible(page)
