"""Results Online in the browser: register with the letter's numbers, confirm by e-mail, sign in with the ID
number, see the release time, then (the clock moved past the release) the result, its chart and the statement,
which the public verification page confirms. Forgotten password by ID number, and the lockout."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from examdesk.core.tests.browser_support import assert_accessible
from examdesk.core.tests.factories import CentreFactory
from examdesk.core.time import format_in_zone
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results import keys
from examdesk.results.tests.online.helpers import registrant, wrong_secret

pytestmark = pytest.mark.browser

PASSWORD = "lanterns over a quiet harbour"
NEW_PASSWORD = "tulips under a copper kettle"
CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")


def _person(release_in: timedelta):
    centre = CentreFactory(name="Hillside School", number="30001", time_zone="Europe/Athens")
    candidate = CandidateFactory(centre=centre, first_name="Zoë", last_name="Παπαδοπούλου")
    release = (timezone.now() + release_in).replace(second=0, microsecond=0)
    return registrant(candidate=candidate, released_at=release, candidate_number="0042"), release


def _register(page, live_server, mailbox, person, email):
    page.goto(f"{live_server.url}/results/")
    expect(page.get_by_role("heading", name="Results Online")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.get_by_role("heading", name="Register for Results Online")).to_be_visible()
    assert_accessible(page)

    # A wrong Secret Number first: a clear message that does not say whether the ID number exists.
    page.get_by_label("ID number").fill(keys.group(person.id_number))
    page.get_by_label("Secret Number").fill(wrong_secret(person.secret))
    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The ID number and Secret Number do not match our records.")
    expect(summary).to_contain_text("After 2 more wrong attempts")
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Secret Number").fill(keys.group(person.secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your e-mail address and password")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Zoë Παπαδοπούλου")
    assert_accessible(page)

    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(email)
    assert_accessible(page)

    link = mailbox.link_in_newest(email, containing="/results/register/confirm/")
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", name="Confirm your registration")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_role("heading", name="You are registered")).to_be_visible()
    assert_accessible(page)
    return link


def _sign_in(page, live_server, identifier, password):
    page.goto(f"{live_server.url}/results/sign-in/")
    page.get_by_label("ID number or e-mail address").fill(identifier)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_register_sign_in_wait_for_the_release_see_download_and_verify(live_server, page, new_context, mailbox):
    person, release = _person(timedelta(hours=2))
    link = _register(page, live_server, mailbox, person, "zoe@example.org")

    # The link a second time, and the same Secret Number again: both say they are used.
    page.goto(link)
    expect(page.get_by_role("main")).to_contain_text("This link has been used already")
    assert_accessible(page)
    page.goto(f"{live_server.url}/results/register/")
    page.get_by_label("ID number").fill(person.id_number)
    page.get_by_label("Secret Number").fill(person.secret)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "This Secret Number has already been used to register. Sign in, or use 'Forgotten your password?'."
    )
    assert_accessible(page)

    # Sign in with the ID number: before the release, the date and time in the centre's zone.
    _sign_in(page, live_server, keys.group(person.id_number), PASSWORD)
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    when = format_in_zone(release, "Europe/Athens")
    row = page.get_by_role("row").filter(has_text="B2 First")
    expect(row).to_contain_text(f"Results available on {when}")
    expect(row.get_by_role("link")).to_have_count(0)
    assert_accessible(page)

    with time_machine.travel(release + timedelta(seconds=1), tick=True):
        page.reload()
        row = page.get_by_role("row").filter(has_text="B2 First")
        row.get_by_role("link", name="See your result").click()
        expect(page.get_by_role("heading", name="B2 First, June 2026")).to_be_visible()
        main = page.get_by_role("main")
        expect(main).to_contain_text("Pass at Grade C")
        expect(main).to_contain_text("CEFR level")
        expect(page.locator("svg.profile-chart")).to_be_visible()
        expect(main).to_contain_text("opens in any PDF reader or in your web browser")
        expect(main).to_contain_text("exams officer at Hillside School")
        assert_accessible(page)

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download your statement (PDF)").click()
        download = download_info.value
        assert download.suggested_filename.startswith("0042-")
        assert download.suggested_filename.endswith(".pdf")
        content = open(download.path(), "rb").read()
        assert content.startswith(b"%PDF-")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
        assert "Zoë" in text and "Παπαδοπούλου" in text
        found = CODE.search(text)
        assert found, text
        code = found.group(0)

        # A university checks the statement, as a stranger on another browser.
        verifier = new_context().new_page()
        verifier.goto(f"{live_server.url}/verify/?code={code}")
        expect(verifier.get_by_role("heading", name="Verify a statement of results")).to_be_visible()
        expect(verifier.get_by_label("Verification code")).to_have_value(code)
        assert_accessible(verifier)
        verifier.get_by_label("Candidate ID number").fill(person.id_number)
        verifier.get_by_label("Verification code").fill(code.replace("-", "").lower())
        verifier.get_by_role("button", name="Verify").click()
        expect(verifier.get_by_role("status")).to_contain_text("Result verified")
        expect(verifier.get_by_role("main")).to_contain_text("Zoë Παπαδοπούλου")
        expect(verifier.get_by_role("main")).to_contain_text("Pass at Grade C")
        assert_accessible(verifier)

        # A wrong code gets the neutral answer.
        verifier.goto(f"{live_server.url}/verify/")
        verifier.get_by_label("Candidate ID number").fill(person.id_number)
        verifier.get_by_label("Verification code").fill("ABCD-EFGH-JKLM")
        verifier.get_by_role("button", name="Verify").click()
        expect(verifier.get_by_role("alert")).to_contain_text("We could not verify a result with these details.")
        assert_accessible(verifier)


def test_forgotten_password_by_id_number_then_a_pause_in_this_browser_after_five_wrong_passwords(
    live_server, page, mailbox
):
    person, _ = _person(timedelta(hours=2))
    _register(page, live_server, mailbox, person, "zoe@example.org")

    page.goto(f"{live_server.url}/results/sign-in/")
    expect(page.get_by_role("heading", name="Sign in to Results Online")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Forgotten your password?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("ID number or e-mail address").fill(keys.group(person.id_number))
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "If you registered with an e-mail address that has lapsed or was mistyped, you will not receive the e-mail: "
        "your centre can correct your address and send you a new link."
    )
    assert_accessible(page)

    reset = mailbox.link_in_newest("zoe@example.org", containing="/account/reset/")
    page.goto(reset)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()

    _sign_in(page, live_server, person.id_number, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/results/sign-in/")  # back where candidates sign in

    # This browser is known now (the candidate signed in with it): five wrong passwords with the ID number pause
    # sign-in in this browser only, with the time it ends.
    _sign_in(page, live_server, person.id_number, PASSWORD)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The ID number or e-mail address, or the password, is not right.")
    expect(summary).to_contain_text("After 4 more failed attempts, sign-in to this account in this browser is paused")
    assert_accessible(page)
    for _ in range(3):
        _sign_in(page, live_server, person.id_number, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("After 1 more failed attempt,")
    _sign_in(page, live_server, person.id_number, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(r"in this browser is paused until \d{2}:\d{2} on \d{1,2} [A-Z][a-z]+ \d{4} \(Europe/London\)")
    )
    assert_accessible(page)
    _sign_in(page, live_server, person.id_number, NEW_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("paused until")
    expect(page.get_by_role("heading", name="Sign in to Results Online")).to_be_visible()


def test_wrong_secret_numbers_pause_this_address_for_this_id_number_and_say_so(live_server, page):
    person, _ = _person(timedelta(hours=2))
    page.goto(f"{live_server.url}/results/register/")
    for _ in range(3):
        page.get_by_label("ID number").fill(keys.group(person.id_number))
        page.get_by_label("Secret Number").fill(wrong_secret(person.secret))
        page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        re.compile(r"Registration with this ID number from this network address is paused until .+ \(Europe/London\)")
    )
    expect(summary).not_to_contain_text("device")
    assert_accessible(page)


def test_too_many_lookups_in_one_browser_say_so(live_server, page):
    person, _ = _person(timedelta(hours=-2))
    for _ in range(11):
        page.goto(f"{live_server.url}/verify/")
        if page.get_by_role("heading", name="Too many lookups").count():
            break
        page.get_by_label("Candidate ID number").fill(person.id_number)
        page.get_by_label("Verification code").fill("ABCD-EFGH-JKLM")
        page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("main")).to_contain_text("Too many lookups in this browser. Try again after")
    assert_accessible(page)
