"""On a candidate's page: changing their unique ID (with a confirmation), deactivating and reactivating them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.audit.models import AuditEvent
from examdesk.core.tests.browser_support import assert_accessible
from examdesk.people.models import Candidate
from examdesk.people.tests.factories import CandidateFactory
from examdesk.transfer.tests.browser.support import centre_with_vocabularies, detail, sign_in_and_open_candidates

pytestmark = pytest.mark.browser


def _open(page, name: str) -> None:
    page.get_by_role("table", name="Candidates, by last name").get_by_role("link", name=name).click()


def test_the_unique_id_is_changed_after_a_confirmation_and_never_to_an_id_someone_else_has(live_server, page):
    centre = centre_with_vocabularies("75001")
    ana = CandidateFactory(centre=centre, unique_id="00123", first_name="Ana", last_name="Pereira")
    CandidateFactory(centre=centre, unique_id="00200", first_name="Ben", last_name="Okafor")

    sign_in_and_open_candidates(page, live_server, centre)
    _open(page, "Pereira, Ana")
    expect(detail(page, "Unique ID")).to_have_text("00123")
    assert_accessible(page)

    page.get_by_role("link", name="Change the unique ID").click()
    expect(page.get_by_role("heading", name="Change the unique ID of Ana Pereira", level=1)).to_be_visible()
    page.get_by_label("New unique ID").fill(" 00123-B ")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Change the unique ID from 00123 to 00123-B?", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("A file that still uses 00123 would create a second candidate.")
    assert_accessible(page)
    ana.refresh_from_db()
    assert ana.unique_id == "00123", "nothing changes before the confirmation"
    page.get_by_role("button", name="Yes, change the ID").click()

    expect(page.get_by_role("heading", name="Ana Pereira", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("The unique ID is now 00123-B.")
    expect(detail(page, "Unique ID")).to_have_text("00123-B")
    ana.refresh_from_db()
    assert ana.unique_id == "00123-B"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CANDIDATE_ID_CHANGED).count() == 1

    # Ben's ID is taken: the person is told so at once, before any confirmation.
    page.get_by_role("link", name="Change the unique ID").click()
    page.get_by_label("New unique ID").fill("00200")
    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role("link", name="Another candidate at this centre already has the unique ID 00200.")
    ).to_have_attribute("href", "#id_new_unique_id")
    expect(page.get_by_role("heading", name="Change the unique ID of Ana Pereira", level=1)).to_be_visible()
    expect(page.get_by_label("New unique ID")).to_have_value("00200")
    expect(page.get_by_label("New unique ID")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    # Even when the other candidate takes the ID while the confirmation page is open.
    page.get_by_label("New unique ID").fill("00300")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Change the unique ID from 00123-B to 00300?", level=1)).to_be_visible()
    Candidate.objects.filter(centre=centre, unique_id="00200").update(unique_id="00300")
    page.get_by_role("button", name="Yes, change the ID").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Another candidate at this centre already has the unique ID 00300."
    )
    ana.refresh_from_db()
    assert ana.unique_id == "00123-B"

    # Cancel leaves it as it is.
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="Ana Pereira", level=1)).to_be_visible()
    expect(detail(page, "Unique ID")).to_have_text("00123-B")


def test_a_deactivated_candidate_leaves_the_default_list_can_be_found_and_is_reactivated(live_server, page):
    centre = centre_with_vocabularies("75002")
    CandidateFactory(centre=centre, unique_id="00123", first_name="Ana", last_name="Pereira")
    CandidateFactory(centre=centre, unique_id="00200", first_name="Ben", last_name="Okafor")

    sign_in_and_open_candidates(page, live_server, centre)
    expect(page.get_by_role("heading", name="2 candidates", level=2)).to_be_visible()
    _open(page, "Okafor, Ben")

    # Saying no to the browser's question changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("button", name="Deactivate")).to_be_visible()
    assert Candidate.objects.get(unique_id="00200").is_active

    questions: list[str] = []

    def accept(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("status")).to_contain_text("Ben Okafor has been deactivated. Their records are kept")
    expect(page.get_by_role("heading", name="Ben Okafor Deactivated", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Reactivate")).to_be_visible()
    assert questions == ["Deactivate Ben Okafor? Their records are kept and you can reactivate them later."]
    assert_accessible(page)

    page.get_by_role("link", name="Back to the candidate list").click()
    expect(page.get_by_role("heading", name="1 candidate", level=2)).to_be_visible()
    table = page.get_by_role("table", name="Candidates, by last name")
    expect(table.get_by_role("link", name="Okafor, Ben")).to_have_count(0)
    expect(table.get_by_role("link", name="Pereira, Ana")).to_be_visible()

    # Not found by a search either, until deactivated candidates are asked for.
    page.get_by_label("Search (optional)").fill("Okafor")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="0 candidates", level=2)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Deactivated candidates are hidden: choose “All candidates” to include them."
    )
    assert_accessible(page)

    page.get_by_label("Show (optional)").select_option(label="Deactivated candidates")
    page.get_by_label("Search (optional)").fill("")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="1 candidate", level=2)).to_be_visible()
    row = table.get_by_role("row").filter(has_text="Okafor, Ben")
    expect(row).to_contain_text("Deactivated")
    expect(table.get_by_role("link", name="Pereira, Ana")).to_have_count(0)

    page.get_by_label("Show (optional)").select_option(label="All candidates")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="2 candidates", level=2)).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Pereira, Ana")).to_contain_text("Active")
    assert_accessible(page)

    _open(page, "Okafor, Ben")
    page.get_by_role("button", name="Reactivate").click()
    expect(page.get_by_role("status")).to_have_text("Ben Okafor is active again.")
    expect(page.get_by_role("heading", name="Ben Okafor", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Deactivate")).to_be_visible()

    page.get_by_role("link", name="Back to the candidate list").click()
    expect(page.get_by_role("heading", name="2 candidates", level=2)).to_be_visible()
    expect(table.get_by_role("link", name="Okafor, Ben")).to_be_visible()
    assert Candidate.objects.filter(centre=centre, is_active=True).count() == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditEvent.Action.CANDIDATE_DEACTIVATED, AuditEvent.Action.CANDIDATE_REACTIVATED} <= actions
