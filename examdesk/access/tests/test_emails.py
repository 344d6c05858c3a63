"""Login letters e-mailed to candidates, with a status per candidate."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from examdesk.access.models import LetterEmail
from examdesk.access.tests.support import confirm
from examdesk.centres.models import Role
from examdesk.core.models import OutboundEmail
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db(transaction=True)  # jobs and e-mails start after commit


def test_letters_are_emailed_with_a_status_per_candidate(client, settings):
    centre = CentreFactory()
    officer = member(centre, Role.EXAMS_OFFICER)
    with_address = CandidateFactory(centre=centre, email="ana@example.org")
    without = CandidateFactory(centre=centre, email="")
    run = confirm(centre, officer)
    client.force_login(officer)
    client.post(reverse("centres:access:emails_start", args=[centre.number, run.pk]))
    rows = {row.candidate_id: row for row in LetterEmail.objects.filter(run=run)}
    assert rows[with_address.pk].status == LetterEmail.Status.QUEUED
    assert rows[without.pk].status == LetterEmail.Status.SKIPPED
    email = OutboundEmail.objects.get(pk=rows[with_address.pk].email_id)
    assert email.to == "ana@example.org" and email.status == OutboundEmail.Status.SENT
    assert not OutboundEmail.objects.filter(to__endswith="candidates.invalid").exists()
    page = client.get(reverse("centres:access:emails", args=[centre.number, run.pk]))
    text = html.unescape(page.content.decode())
    assert "Sent" in text and "No e-mail address on record" in text
