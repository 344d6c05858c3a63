"""All → None and back in the browser: the candidate's page says the generated login is withdrawn and offers the
registration letter at once; giving access back restores the login. axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from examdesk.access import services
from examdesk.access.models import CandidateCredential
from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory

pytestmark = pytest.mark.browser


def _mode(centre, officer, mode):
    services.access_confirm(
        actor=officer,
        centre=centre,
        mode=mode,
        queries_confirmed=True,
        contact_name="Ms Rivera",
        contact_phone="+44 1223 553554",
        contact_email="",
    )


def test_all_to_none_offers_the_letter_and_back_restores_the_login(live_server, page, transactional_db):
    centre = CentreFactory(number="72002", name="Harbour School")
    officer = member(centre, Role.EXAMS_OFFICER, email="officer@harbour.example.org")
    zoe = CandidateFactory(centre=centre, first_name="Zoë", last_name="Müller")
    _mode(centre, officer, "all")
    assert CandidateCredential.objects.filter(candidate=zoe).exists()
    _mode(centre, officer, "none")

    sign_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server.url}/centres/{centre.number}/results/candidates/{zoe.pk}/")
    expect(page.get_by_text("No: their generated login is withdrawn")).to_be_visible()
    expect(page.get_by_text("Yes, on")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("I have checked the identity of the person asking for this").first.check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Print the letter (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    _mode(centre, officer, "all")
    page.reload()
    expect(page.get_by_text("Yes, on")).to_be_visible()
    expect(page.get_by_text("withdrawn")).to_have_count(0)
    assert_accessible(page)
