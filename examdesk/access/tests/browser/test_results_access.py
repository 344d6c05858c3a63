"""An exams officer gives selected candidates Results Online logins, prints and downloads their letters; a
candidate signs in with the letter and chooses a password; deselecting them stops it; "all" later makes a login
only for the candidate added since."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from examdesk.access.models import CandidateCredential
from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory

pytestmark = pytest.mark.browser

OWN_PASSWORD = "lanterns over a quiet harbour"


def test_officer_gives_access_and_candidate_signs_in_with_the_letter(live_server, page):
    centre = CentreFactory(number="72001", name="Harbour School")
    member(centre, Role.EXAMS_OFFICER, email="officer@harbour.example.org")
    zoe = CandidateFactory(centre=centre, first_name="Zoë", last_name="Müller")
    CandidateFactory(centre=centre, first_name="Kwame", last_name="Mensah")
    base = f"{live_server.url}/centres/72001/results-access/"

    sign_in(page, live_server, "officer@harbour.example.org", PASSWORD)
    page.goto(base)
    expect(page.get_by_role("heading", name="Status: No candidates")).to_be_visible()
    assert_accessible(page)

    # Refused: no tick, and no phone or e-mail.
    page.get_by_role("link", name="Edit status").click()
    page.get_by_label("Selected candidates").check()
    page.get_by_label("Contact name").fill("Ms Rivera")
    page.get_by_role("button", name="Confirm").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Tick the box to confirm that your centre will deal with candidates' queries.")
    expect(summary).to_contain_text("Enter a phone number or an e-mail address")
    assert_accessible(page)

    page.get_by_label("We will deal with candidates' queries").check()
    page.get_by_label("Phone number").fill("+44 1223 553554")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Candidates and Results access")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name or unique ID").fill("Muller")  # accents need not be typed
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Tick Zoë Müller").check()
    page.get_by_role("button", name="Select ticked", exact=True).click()
    expect(page.get_by_text("1 candidate selected.")).to_be_visible()

    page.get_by_role("link", name="Back to Results access").click()
    page.get_by_role("button", name="Make logins and letters for 1 candidate").click()
    expect(page.locator(".job-status")).to_contain_text("1 letter ready")
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_text("Letters are kept for 30 days, then deleted.")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Letters to print (PDF)").click()
    text = " ".join(PdfReader(io.BytesIO(Path(pdf_download.value.path()).read_bytes())).pages[0].extract_text().split())
    with page.expect_download() as zip_download:
        page.get_by_role("link", name="Single letters (zip)").click()
    with zipfile.ZipFile(zip_download.value.path()) as archive:
        assert archive.namelist() == [f"{zoe.unique_id} Zoë Müller.pdf"]
    username = CandidateCredential.objects.get(candidate=zoe).username
    assert username in text and "Ms Rivera, +44 1223 553554" in text
    password = re.search(r"Password ([A-Za-z0-9]{12})", text).group(1)

    # The candidate signs in with the letter and must choose their own password.
    candidate = page.context.browser.new_page()
    candidate.goto(f"{live_server.url}/results/sign-in/")
    assert_accessible(candidate)
    candidate.get_by_label("ID number or e-mail address").fill(username)
    candidate.get_by_label("Password", exact=True).fill(password)
    candidate.get_by_role("button", name="Sign in").click()
    expect(candidate.get_by_text("Choose your own password to go on")).to_be_visible()
    assert_accessible(candidate)
    candidate.get_by_label("Old password").fill(password)
    candidate.get_by_label("New password", exact=True).fill(OWN_PASSWORD)
    candidate.get_by_label("New password confirmation").fill(OWN_PASSWORD)
    candidate.get_by_role("button", name=re.compile("Change")).click()
    expect(candidate.get_by_text("Your password has been changed.")).to_be_visible()
    assert candidate.url.endswith("/results/")
    assert_accessible(candidate)

    # Deselected: the candidate's next page, and signing in again, are refused.
    page.goto(f"{base}candidates/?show=access")
    page.get_by_label("Tick Zoë Müller").check()
    page.get_by_role("button", name="Deselect ticked").click()
    expect(page.get_by_text("Their logins stop working at once.")).to_be_visible()
    candidate.goto(f"{live_server.url}/results/")
    expect(candidate.get_by_text("has not given you access to Results Online, or has withdrawn it")).to_be_visible()
    candidate.get_by_label("ID number or e-mail address").fill(username)
    candidate.get_by_label("Password", exact=True).fill(OWN_PASSWORD)
    candidate.get_by_role("button", name="Sign in").click()
    expect(candidate.get_by_role("alert")).to_contain_text("Contact your centre: Ms Rivera, +44 1223 553554")
    assert_accessible(candidate)

    # A new candidate, and "all" confirmed again: logins only for those without one (Zoë keeps hers).
    CandidateFactory(centre=centre, first_name="Amara", last_name="Okafor")
    page.goto(f"{base}edit/")
    page.get_by_label("All candidates").check()
    page.get_by_label("We will deal with candidates' queries").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".job-status")).to_contain_text("2 letters ready")
    assert CandidateCredential.objects.filter(candidate__centre=centre).count() == 3
    assert CandidateCredential.objects.get(candidate=zoe).username == username
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("link", name="View candidates with access").click()
    expect(page.get_by_role("heading", name="3 candidates")).to_be_visible()
    assert_accessible(page)
