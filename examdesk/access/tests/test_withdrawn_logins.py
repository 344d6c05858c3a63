"""All → None and back: a candidate whose generated login is withdrawn is shown as such, may be given a
registration letter at once, and giving access back restores the login (unless they registered meanwhile)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from examdesk.access import selectors, services
from examdesk.access.models import CandidateCredential
from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.models import OnlineRegistration
from examdesk.results.online import services as online
from examdesk.results.registrations import services as registrations

pytestmark = pytest.mark.django_db(transaction=True)  # the logins are made by a job after commit


def _confirm(centre, actor, mode):
    return services.access_confirm(
        actor=actor,
        centre=centre,
        mode=mode,
        queries_confirmed=True,
        contact_name="Ms Rivera",
        contact_phone="+44 1223 553554",
        contact_email="",
    )


def _with_login(client):
    centre = CentreFactory()
    admin = member(centre, Role.CENTRE_ADMIN)
    candidate = CandidateFactory(centre=centre)
    _confirm(centre, admin, "all")
    client.force_login(admin)
    client.post(reverse("centres:access:make_letters", args=[centre.number]))
    credential = CandidateCredential.objects.get(candidate=candidate)
    assert OnlineRegistration.objects.get(candidate=candidate).user == credential.user
    return centre, admin, candidate, credential


def _candidate_page(client, centre, candidate) -> str:
    page = client.get(reverse("centres:centre_results:candidate", args=[centre.number, candidate.pk]))
    assert page.status_code == 200
    return " ".join(html.unescape(page.content.decode()).split())


def test_all_to_none_shows_the_login_withdrawn_and_offers_a_letter_and_back_restores_it(client):
    centre, admin, candidate, credential = _with_login(client)
    shown = _candidate_page(client, centre, candidate)
    assert "Registered Yes" in shown.replace("</dt><dd>", " ")
    assert "Print the letter (PDF)" not in shown

    _confirm(centre, admin, "none")
    shown = _candidate_page(client, centre, candidate).replace("</dt><dd>", " ")
    assert "Registered No: their generated login is withdrawn" in shown
    assert "Registered Yes" not in shown
    assert "Print the letter (PDF)" in shown and "Issue a new Secret Number" in shown
    letter = client.post(
        reverse("centres:centre_results:letter", args=[centre.number, candidate.pk]),
        {"identity_checked": "on", "how": "print"},
    )
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    registration = OnlineRegistration.objects.get(candidate=candidate)
    assert not online.is_used(registration)  # the letter's Secret Number works at once
    registrations.secret_reissue(actor=admin, centre=centre, candidate=candidate)  # and a new one can be issued
    assert "(withdrawn)" in _access_list(client, centre)

    # Back to All: the login works again and the page says so.
    _confirm(centre, admin, "all")
    assert selectors.refusal_for(user=credential.user) == ""
    shown = _candidate_page(client, centre, candidate).replace("</dt><dd>", " ")
    assert "Registered Yes" in shown and "withdrawn" not in shown
    assert online.is_used(OnlineRegistration.objects.get(candidate=candidate))
    assert CandidateCredential.objects.get(candidate=candidate).username == credential.username


def _access_list(client, centre) -> str:
    return html.unescape(client.get(reverse("centres:access:candidates", args=[centre.number])).content.decode())


def test_deselected_then_registered_with_the_letter_keeps_their_own_account(client):
    centre, admin, candidate, credential = _with_login(client)
    _confirm(centre, admin, "selected")  # nobody selected: the login is withdrawn
    registration = OnlineRegistration.objects.get(candidate=candidate)
    assert "Registered No" in _candidate_page(client, centre, candidate).replace("</dt><dd>", " ")
    pending = online.registration_start(
        registration_id=registration.pk,
        secret_version=registration.secret_version,
        email="pupil@example.org",
        password="a long secret of mine 7",
    )
    token = _token_from_mail(pending)
    confirmed = online.registration_confirm(token=token)
    assert confirmed.user.email == "pupil@example.org"
    services.selection_change(actor=admin, centre=centre, candidate_ids=[candidate.pk], select=True)
    # One account per candidate: the login stays out of use, their own account is the way in.
    assert "registered with your own e-mail address" in selectors.refusal_for(user=credential.user)
    shown = _candidate_page(client, centre, candidate).replace("</dt><dd>", " ")
    assert "Registered Yes" in shown and "pupil@example.org" in shown


def _token_from_mail(pending) -> str:
    import re

    from django.core import mail

    body = mail.outbox[-1].body
    found = re.search(r"/results/register/confirm/([^/\s]+)/", body) or re.search(r"confirm/([^/\s]+)/?", body)
    assert found, body
    return found.group(1)
