"""A centre with no credits is told why; board staff allocate; a teacher makes a sitting and prints slips; students
enter codes (every kind of wrong code, and a teacher still signed in); editing closes once one logs in; extra
measures and evidence; expiry with time travel, read in the ledger. axe on every page."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import expect
from pypdf import PdfReader

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import fill_date
from examdesk.core.tests.factories import PASSWORD, BoardMembershipFactory, CentreFactory, UserFactory, member
from examdesk.core.time import now
from examdesk.people.tests.factories import CandidateFactory
from examdesk.sittings import services
from examdesk.sittings.models import Attempt
from examdesk.sittings.tests.fixtures import credits, measured_product, product

pytestmark = pytest.mark.browser


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_credits_sittings_codes_measures_and_expiry(live_server, page, tmp_path, settings):
    cache.clear()
    settings.EXAMDESK_SITE_URL = live_server.url
    centre = CentreFactory(number="73001", name="Lakeside School")
    teacher = member(centre, Role.CENTRE_ADMIN, email="teacher@lakeside.example.org", full_name="Ms Okafor")
    board_user = UserFactory(email="credits@board.example.org", is_staff=True)
    BoardMembershipFactory(user=board_user, board=centre.board)
    ana = CandidateFactory(centre=centre, first_name="Ana", last_name="Lima")
    ben = CandidateFactory(centre=centre, first_name="Ben", last_name="Okoro")
    CandidateFactory(centre=centre, first_name="Old", last_name="Leaver", is_active=False)
    dictation = measured_product(centre)
    base = f"{live_server.url}/centres/73001"
    today = now().astimezone(ZoneInfo("Europe/London")).date()

    # No credits: the reason, not an empty list.
    sign_in_as(page, live_server, "teacher@lakeside.example.org")
    page.get_by_role("link", name="Sittings").click()
    assert_accessible_page(page)
    page.get_by_role("link", name="New sitting").click()
    expect(
        page.get_by_text("Your centre has no credits for any assessment: ask Test Board for credits.")
    ).to_be_visible()
    assert_accessible_page(page)
    _sign_out(page)

    # Board staff allocate credits.
    sign_in_as(page, live_server, "credits@board.example.org")
    page.goto(f"{base}/credits/")
    assert_accessible_page(page)
    page.get_by_role("link", name="Allocate credits").click()
    page.get_by_label("Assessment").select_option(label="Dictation Check")
    page.get_by_label("Number of credits").fill("5")
    fill_date(page, "Credits expire at the end of", today + timedelta(days=365))
    assert_accessible_page(page)
    page.get_by_role("button", name="Allocate credits").click()
    expect(page.get_by_text("5 credits for Dictation Check allocated.")).to_be_visible()
    assert_accessible_page(page)
    _sign_out(page)

    # The teacher makes a sitting for two candidates and prints the slips.
    sign_in_as(page, live_server, "teacher@lakeside.example.org")
    page.goto(f"{base}/sittings/new/")
    expect(page.get_by_label(re.compile("Dictation Check – 5 credits left"))).to_be_checked()
    expect(page.get_by_text("Old Leaver")).to_have_count(0)  # deactivated: hidden unless asked for
    page.get_by_label("Name of the sitting").fill("Year 8 dictation")
    fill_date(page, "First day", today)
    fill_date(page, "Last day", today + timedelta(days=2))
    page.get_by_label(re.compile("Ana Lima")).check()
    page.get_by_label(re.compile("Ben Okoro")).check()
    assert_accessible_page(page)
    page.get_by_role("button", name="Create sitting").click()
    expect(page.get_by_text("Sitting created with 2 candidates.")).to_be_visible()
    expect(page.get_by_role("link", name="Edit sitting")).to_be_visible()
    assert_accessible_page(page)
    with page.expect_download() as slips:
        page.get_by_role("link", name="Access-code slips to print (PDF)").click()
    text = " ".join(PdfReader(io.BytesIO(Path(slips.value.path()).read_bytes())).pages[0].extract_text().split())
    sitting = centre.sittings.get()
    ana_code = sitting.attempts.get(candidate=ana).grouped_code
    ben_code = sitting.attempts.get(candidate=ben).grouped_code
    assert "Ana Lima" in text and ana_code in text and "Ben Okoro" in text and ben_code in text
    assert f"{live_server.url}/code/" in text

    # Editing is open until a candidate logs in.
    page.get_by_role("link", name="Edit sitting").click()
    expect(page.get_by_label(re.compile("Ana Lima"))).to_be_checked()
    assert_accessible_page(page)
    page.get_by_label("Name of the sitting").fill("Year 8 dictation, March")
    page.get_by_role("button", name="Save sitting").click()
    expect(page.get_by_role("heading", name="Year 8 dictation, March")).to_be_visible()

    # Codes that cannot be used, each with its reason (made directly: other sittings of the centre).
    other = product(centre, code="EXACT", name="Exact Legacy", other_platform=True)
    credits(centre, other, 1, today + timedelta(days=30))
    legacy = services.sitting_create(
        actor=None,
        centre=centre,
        product=other,
        name="Legacy",
        opens_on=today,
        closes_on=today,
        candidates=[ben],
    ).attempts.get()
    later_product = product(centre, code="LATER", name="Later Test")
    credits(centre, later_product, 2, today + timedelta(days=30))
    later = services.sitting_create(
        actor=None,
        centre=centre,
        product=later_product,
        name="Later",
        opens_on=today + timedelta(days=3),
        closes_on=today + timedelta(days=4),
        candidates=[ana, ben],
    ).attempts.order_by("id")
    done, closed = later[0], later[1]
    Attempt.objects.filter(pk=done.pk).update(state="completed")
    Attempt.objects.filter(pk=closed.pk).update(state="expired")
    not_yet = services.sitting_create(
        actor=None,
        centre=centre,
        product=dictation,
        name="Next week",
        opens_on=today + timedelta(days=7),
        closes_on=today + timedelta(days=8),
        candidates=[ana],
    ).attempts.get()

    # The teacher is still signed in on this browser: the code page offers to sign them out first.
    page.goto(f"{live_server.url}/account/login/")
    page.goto(f"{live_server.url}/code/")
    expect(page.get_by_text("Ms Okafor is still signed in")).to_be_visible()
    assert_accessible_page(page)
    page.get_by_role("button", name="Sign out Ms Okafor and continue").click()
    expect(page.get_by_text("Ms Okafor has been signed out.")).to_be_visible()

    for typed, reason in [
        ("ZZZZ-1111-00", "We do not recognise this access code. Check that the web address"),
        (not_yet.grouped_code, "This assessment is not open yet. It opens on"),
        (closed.grouped_code, "This code has closed and can no longer be used."),
        (done.grouped_code, "You have already completed this assessment"),
        (legacy.grouped_code, "This code is for Exact Legacy, which has not moved to this platform yet."),
    ]:
        page.get_by_label("Access code").fill(typed)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text(reason)
        assert_accessible_page(page)

    # The staff sign-in page leads here too; Ana types her code loosely.
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_role("link", name="Have a student access code?").click()
    page.get_by_label("Access code").fill(ana_code.lower().replace("-", " "))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Hello, Ana Lima")).to_be_visible()
    expect(page.get_by_text("Dictation Check")).to_be_visible()
    assert_accessible_page(page)
    page.get_by_role("button", name="Play the sound check").click()
    expect(page.locator("#sound-status")).not_to_be_empty()
    page.get_by_role("link", name="I heard the sound: continue").click()
    expect(page.get_by_text("Your teacher will tell you when to start.")).to_be_visible()
    assert_accessible_page(page)

    # Editing has closed; adding candidates is offered as a new sitting.
    sign_in_as(page, live_server, "teacher@lakeside.example.org")
    page.goto(f"{base}/sittings/{sitting.pk}/")
    expect(page.get_by_role("link", name="Edit sitting")).to_have_count(0)
    expect(page.get_by_text("Editing is closed: Ana Lima entered their access code")).to_be_visible()
    expect(page.get_by_role("link", name="Add candidates in a new sitting")).to_be_visible()
    assert_accessible_page(page)

    # Extra measures: a bad value and a bad file first, nothing saved; then good ones.
    page.get_by_role("link", name="Extra measures for Ana Lima").click()
    bad = tmp_path / "work.pdf"
    bad.write_bytes(b"GIF89a not really a pdf")
    page.get_by_label("Typed dictation").fill("41")
    page.get_by_label("Written work").set_input_files(str(bad))
    page.get_by_role("button", name="Save extra measures").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a number from 0 to 40 for Typed dictation.")
    expect(summary).to_contain_text("The file for Written work must be a PDF, PNG or JPEG.")
    assert_accessible_page(page)
    good = tmp_path / "written.pdf"
    good.write_bytes(b"%PDF-1.4\n%evidence\n")
    page.get_by_label("Typed dictation").fill("37")
    page.get_by_label("Written work").set_input_files(str(good))
    page.get_by_label("Comment").fill("Wrote neatly")
    page.get_by_role("button", name="Save extra measures").click()
    expect(page.get_by_text("Extra measures saved for Ana Lima.")).to_be_visible()
    expect(page.get_by_role("link", name="written.pdf")).to_be_visible()

    # An attempt judged unreliable is voided with a reason and its credit comes back.
    page.goto(f"{base}/sittings/{done.sitting_id}/")
    page.get_by_role("link", name="Void and re-credit Ana Lima").click()
    page.get_by_role("button", name="Void and re-credit").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason for voiding this attempt.")
    assert_accessible_page(page)
    page.get_by_label("Why is this attempt unreliable?").fill("Skipped most questions")
    page.get_by_role("button", name="Void and re-credit").click()
    expect(page.get_by_text("Ana Lima's attempt is void and their credit has been given back.")).to_be_visible()

    # Expiry with time travel: Ben never started (returned), Ana part-way (extended, then expired).
    with time_machine.travel(sitting.closes_at + timedelta(minutes=5), tick=False):
        services.sittings_expire()
    with time_machine.travel(sitting.closes_at + timedelta(days=30, minutes=5), tick=False):
        services.sittings_expire()
    page.goto(f"{base}/credits/")
    ledger = page.get_by_role("table", name="Credit ledger")
    expect(ledger).to_contain_text("Returned")
    expect(ledger).to_contain_text("The window closed before it started")
    expect(ledger).to_contain_text("Extended 30 days")
    expect(ledger).to_contain_text("The 30 extra days passed unfinished")
    expect(ledger).to_contain_text("Re-credited by staff")
    expect(ledger).to_contain_text("Skipped most questions")
    assert_accessible_page(page)
    with page.expect_download() as export:
        page.get_by_role("link", name="Download the ledger (CSV)").click()
    csv_text = Path(export.value.path()).read_text(encoding="utf-8-sig")
    assert "Returned" in csv_text and "Extended 30 days" in csv_text and "Expired" in csv_text
    del teacher


def sign_in_as(page, live_server, email):
    from examdesk.core.tests.browser_support import sign_in

    sign_in(page, live_server, email, PASSWORD)


def assert_accessible_page(page):
    from examdesk.core.tests.browser_support import assert_accessible

    assert_accessible(page)
