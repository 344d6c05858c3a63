"""An exams officer ticks results, e-mails the statements, confirms, and follows each candidate's delivery."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from examdesk.catalogue.tests.factories import qualification, series
from examdesk.centres.models import Role
from examdesk.core.models import OutboundEmail
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.browser


def test_officer_emails_ticked_candidates_their_statements(live_server, page, mailbox):
    centre = CentreFactory(number="72001", name="Harbour School", time_zone="Europe/London")
    member(centre, Role.EXAMS_OFFICER, email="officer@harbour.example.org")
    june = series(centre.board, "2026-06", "June 2026")
    past = datetime.now(UTC) - timedelta(days=2)
    people = {
        "0042": ("Zoë", "Łukasiewicz", "zoe@example.org", past),
        "0043": ("Kwame", "Mensah", "kwame@example.org", past),
        "0044": ("Nadia", "Haddad", "", past),
        "0045": ("Ana", "Pereira", "ana@example.org", past),  # not ticked
    }
    for number, (first, last, email, released_at) in people.items():
        candidate = CandidateFactory(centre=centre, first_name=first, last_name=last, email=email)
        entry_with_result(candidate=candidate, series=june, released_at=released_at, candidate_number=number)
    later = CandidateFactory(centre=centre, first_name="Omar", last_name="Farouk", email="omar@example.org")
    entry_with_result(
        candidate=later,
        series=series(centre.board, "2026-11", "November 2026"),
        qualification=qualification(centre.board, "KET"),
        released_at=datetime(2027, 1, 14, 8, 0, tzinfo=UTC),
        candidate_number="0046",
        scores={"RW": 140, "LI": 130, "SP": 135},
    )

    sign_in(page, live_server, "officer@harbour.example.org", PASSWORD)
    page.goto(f"{live_server.url}/centres/72001/results/")
    page.get_by_role("button", name="Search", exact=True).click()
    for label in ("0042 Łukasiewicz", "0043 Mensah", "0044 Haddad", "0046 Farouk"):
        page.get_by_label(f"Select {label}").check()
    page.get_by_role("button", name="E-mail statements to the ticked candidates").click()

    expect(page.get_by_role("heading", name="E-mail statements to candidates", level=1)).to_be_visible()
    expect(page.get_by_text("E-mail 2 statements to candidates with an e-mail address on record.")).to_be_visible()
    expect(page.get_by_text("1 has no e-mail address on record and will be listed as skipped.")).to_be_visible()
    expect(page.get_by_text("1 has no statement to send now")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="E-mail 2 statements").click()

    expect(page.get_by_role("heading", name="Statements e-mailed to candidates", level=1)).to_be_visible()
    expect(page.get_by_text("Finished – every selected candidate has been dealt with.")).to_be_visible()
    filters = page.get_by_role("navigation", name="Filter candidates by delivery status")
    expect(filters).to_contain_text("All (4)")
    expect(filters).to_contain_text("Sent (2)")
    expect(filters).to_contain_text("Skipped (2)")
    table = page.get_by_role("table")
    expect(table.get_by_role("row").filter(has_text="Łukasiewicz")).to_contain_text("Sent")
    expect(table.get_by_role("row").filter(has_text="Haddad")).to_contain_text("No e-mail address on record")
    expect(table.get_by_role("row").filter(has_text="Farouk")).to_contain_text(
        "Not released yet: available 14 January 2027, 08:00 (Europe/London)"
    )
    expect(table).not_to_contain_text("Pereira")
    assert_accessible(page)

    filters.get_by_role("link", name="Skipped (2)").click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(3)  # the header and two candidates
    assert_accessible(page)

    # While an e-mail waits for the mail system the page refreshes itself, and says so once all are dealt with.
    waiting = OutboundEmail.objects.get(to="kwame@example.org")
    OutboundEmail.objects.filter(pk=waiting.pk).update(status=OutboundEmail.Status.QUEUED)
    page.get_by_role("navigation", name="Filter candidates by delivery status").get_by_role("link", name="All").click()
    expect(page.get_by_text("1 e-mail is waiting for the mail system.")).to_be_visible()
    expect(page.get_by_role("table").get_by_role("row").filter(has_text="Mensah")).to_contain_text("Queued")
    assert_accessible(page)
    OutboundEmail.objects.filter(pk=waiting.pk).update(status=OutboundEmail.Status.SENT)
    mensah = page.get_by_role("table").get_by_role("row").filter(has_text="Mensah")
    expect(mensah).to_contain_text("Sent", timeout=30_000)
    expect(page.get_by_role("status")).to_have_text("All e-mails are dealt with: 2 sent, 0 failed, 2 skipped.")

    messages = {str(m["To"]): m for m in mailbox.messages()}
    assert set(messages) == {"zoe@example.org", "kwame@example.org"}
    for address, name in (("zoe@example.org", "Zoë Łukasiewicz"), ("kwame@example.org", "Kwame Mensah")):
        message = messages[address]
        assert mailbox.body(message).startswith(f"Dear {name},")
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(attachment.get_content())).pages)
        assert name in text and "June 2026" in text
