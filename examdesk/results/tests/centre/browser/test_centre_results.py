"""An exams officer looks at entries before and after release, and helps candidates into Results Online."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from examdesk.catalogue.tests.factories import qualification, series
from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, UserFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.models import OnlineRegistration
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.browser


def test_officer_sees_scores_only_after_release_and_prints_and_emails_letters(live_server, page, mailbox):
    centre = CentreFactory(number="71001", name="Harbour School", time_zone="Europe/London")
    member(centre, Role.EXAMS_OFFICER, email="officer@harbour.example.org")
    june = series(centre.board, "2026-06", "June 2026")
    november = series(centre.board, "2026-11", "November 2026")
    released = CandidateFactory(centre=centre, first_name="Zoë", last_name="Müller", email="zoe@example.org")
    waiting = CandidateFactory(centre=centre, first_name="Kwame", last_name="Mensah", email="")
    entry_with_result(candidate=released, series=june, released_at=datetime.now(UTC) - timedelta(days=30))
    upcoming = datetime(2027, 1, 14, 8, 0, tzinfo=UTC)
    entry_with_result(
        candidate=waiting,
        series=november,
        qualification=qualification(centre.board, "KET"),
        released_at=upcoming,
        candidate_number="0002",
        scores={"RW": 140, "LI": 130, "SP": 135},
    )

    sign_in(page, live_server, "officer@harbour.example.org", PASSWORD)
    page.get_by_role("navigation", name="Harbour School").get_by_role("link", name="Results", exact=True).click()
    expect(page.get_by_role("heading", name="Results", level=1)).to_be_visible()
    table = page.get_by_role("table")
    zoe = table.get_by_role("row").filter(has_text="Müller")
    expect(zoe.get_by_role("cell", name="190", exact=True)).to_be_visible()
    expect(zoe).to_contain_text("Pass at Grade C (CEFR B2)")
    kwame = table.get_by_role("row").filter(has_text="Mensah")
    expect(kwame).to_contain_text("Available 14 January 2027, 08:00 (Europe/London)")
    expect(kwame).not_to_contain_text("Pass")
    assert_accessible(page)

    page.get_by_label("From", exact=True).fill("0002")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 entry")).to_be_visible()
    page.get_by_role("link", name="Mensah, Kwame").click()

    # The letter is given out only after the identity check; without the tick nothing is printed.
    expect(page.get_by_role("heading", name="Kwame Mensah", level=1)).to_be_visible()
    expect(page.get_by_text("Check who is asking.")).to_be_visible()
    expect(page.get_by_role("button", name="E-mail the letter")).to_be_disabled()
    assert_accessible(page)
    page.get_by_role("button", name="Print the letter (PDF)").click()
    expect(page.get_by_text("Tick the box to confirm you have checked the identity")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Registration letter").get_by_label("I have checked the identity").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Print the letter (PDF)").click()
    text = "".join(p.extract_text() for p in PdfReader(Path(download_info.value.path())).pages)
    registration = OnlineRegistration.objects.get(candidate=waiting)
    assert registration.id_number in text.replace(" ", "")
    assert "14 January 2027, 08:00 (Europe/London)" in text

    # A new Secret Number, after the check, for a letter that went astray.
    page.get_by_role("group", name="Lost letter in the wrong hands?").get_by_label(
        "I have checked the identity"
    ).check()
    page.get_by_role("button", name="Issue a new Secret Number").click()
    expect(page.get_by_text("Kwame Mensah has a new Secret Number.")).to_be_visible()
    registration.refresh_from_db()
    assert registration.secret_version == 2

    # Zoë has an e-mail address: her letter is e-mailed.
    page.get_by_role("link", name="Back to results").click()
    page.get_by_role("link", name="Müller, Zoë").click()
    page.get_by_role("group", name="Registration letter").get_by_label("I have checked the identity").check()
    page.get_by_role("button", name="E-mail the letter to zoe@example.org").click()
    expect(page.get_by_text("The registration letter has been e-mailed to zoe@example.org.")).to_be_visible()
    assert "Your Secret Number:" in mailbox.body(mailbox.newest_to("zoe@example.org"))
    assert_accessible(page)


def test_officer_corrects_a_lapsed_email_and_prints_a_series_of_letters(live_server, page, mailbox):
    centre = CentreFactory(number="71002", name="Valley College", time_zone="Europe/London")
    member(centre, Role.EXAMS_OFFICER, email="officer@valley.example.org")
    june = series(centre.board, "2026-06", "June 2026")
    candidate = CandidateFactory(centre=centre, first_name="Saoirse", last_name="O'Brien")
    entry_with_result(candidate=candidate, series=june, released_at=datetime.now(UTC) - timedelta(days=1))
    for number in range(2, 6):
        entry_with_result(centre=centre, series=june, released_at=None, candidate_number=f"{number:04d}")
    registration = OnlineRegistration.objects.get(candidate=candidate)
    registration.user = UserFactory(email="saoirse@lapsed.example.org")
    registration.save()

    sign_in(page, live_server, "officer@valley.example.org", PASSWORD)
    page.goto(f"{live_server.url}/centres/71002/results/")
    page.get_by_role("link", name="O'Brien, Saoirse").click()
    expect(page.get_by_text("with saoirse@lapsed.example.org")).to_be_visible()
    page.get_by_role("link", name="Correct the e-mail address").click()
    expect(page.get_by_role("heading", name="Correct Saoirse O'Brien's e-mail address")).to_be_visible()
    page.get_by_label("The candidate's correct e-mail address").fill("saoirse@@example")
    page.get_by_role("button", name="Save and send a new password link").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter an e-mail address like name@example.com.")
    expect(summary).to_contain_text("Tick the box to confirm")
    expect(page.get_by_label("The candidate's correct e-mail address")).to_have_value("saoirse@@example")
    assert_accessible(page)
    page.get_by_label("The candidate's correct e-mail address").fill("saoirse@example.org")
    page.get_by_label("I have checked the identity").check()
    page.get_by_role("button", name="Save and send a new password link").click()
    expect(page.get_by_text("Saoirse O'Brien's e-mail is now saoirse@example.org.")).to_be_visible()
    assert "reset" in mailbox.link_in_newest("saoirse@example.org", containing="/account/")

    page.get_by_role("link", name="Back to results").click()
    page.get_by_role("link", name="Results Online letters for a series").click()
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the letters").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the series to print letters for.")
    page.get_by_label("Series").select_option(label="June 2026")
    page.get_by_role("button", name="Prepare the letters").click()
    expect(page.locator(".job-status")).to_contain_text("5 letters ready to print")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download registration-letters-71002-2026-06.pdf").click()
    assert len(PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes())).pages) == 5
