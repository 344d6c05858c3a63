from __future__ import annotations

import re

import pytest
from django.core import mail

from examdesk.accounts.models import User
from examdesk.audit.models import AuditEvent
from examdesk.centres import services
from examdesk.centres.models import Invitation, Membership, Role
from examdesk.core.errors import ApplicationError
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member

pytestmark = pytest.mark.django_db(transaction=True)


def _token_from_mail() -> str:
    match = re.search(r"/centres/invitations/([\w-]+)/", mail.outbox[-1].body)
    assert match
    return match.group(1)


def test_inviting_a_person_with_an_account_links_them_and_keeps_their_password():
    elsewhere, here = CentreFactory(), CentreFactory()
    existing = member(elsewhere, Role.TEACHER, email="sam@example.org")
    admin = member(here)

    outcome = services.staff_invite(actor=admin, centre=here, email=" SAM@example.org", role=Role.EXAMS_OFFICER)

    assert outcome.existing_account
    assert Membership.objects.filter(user=existing, centre=here, role=Role.EXAMS_OFFICER).exists()
    assert not Invitation.objects.exists()
    assert "password you already use" in mail.outbox[-1].body
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MEMBERSHIP_ADDED, centre_id=here.pk).exists()


def test_inviting_a_new_person_sends_a_single_use_link():
    centre = CentreFactory()
    admin = member(centre)

    outcome = services.staff_invite(actor=admin, centre=centre, email="new@example.org", role=Role.TEACHER)

    assert not outcome.existing_account
    token = _token_from_mail()
    assert token not in Invitation.objects.get().token_hash  # only the hash is stored
    user = services.invitation_accept(token=token, full_name="New Person", password="a perfectly good one")
    assert user.check_password("a perfectly good one")
    assert Membership.objects.filter(user=user, centre=centre, role=Role.TEACHER).exists()
    with pytest.raises(ApplicationError, match="not valid any more"):
        services.invitation_accept(token=token, full_name="Again", password="a perfectly good one")


def test_accepting_with_a_weak_password_creates_nothing():
    centre = CentreFactory()
    services.staff_invite(actor=member(centre), centre=centre, email="new@example.org", role=Role.TEACHER)
    with pytest.raises(ApplicationError, match="at least 12"):
        services.invitation_accept(token=_token_from_mail(), full_name="New", password="too short")
    assert not User.objects.filter(email="new@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_second_invitation_replaces_the_first():
    centre = CentreFactory()
    admin = member(centre)
    services.staff_invite(actor=admin, centre=centre, email="new@example.org", role=Role.TEACHER)
    first = _token_from_mail()
    services.staff_invite(actor=admin, centre=centre, email="new@example.org", role=Role.VIEWER)
    with pytest.raises(ApplicationError):
        services.invitation_get_valid(token=first)
    assert services.invitation_get_valid(token=_token_from_mail()).role == Role.VIEWER


def test_only_centre_admins_invite_and_only_at_their_centre():
    centre, other = CentreFactory(), CentreFactory()
    teacher = member(centre, Role.TEACHER)
    with pytest.raises(Exception) as refused:
        services.staff_invite(actor=teacher, centre=centre, email="x@example.org", role=Role.VIEWER)
    assert type(refused.value).__name__ == "PermissionDenied"
    with pytest.raises(Exception) as hidden:
        services.staff_invite(actor=member(other), centre=centre, email="x@example.org", role=Role.VIEWER)
    assert type(hidden.value).__name__ == "Http404"


def test_the_same_role_twice_is_refused_clearly():
    centre = CentreFactory()
    person = member(centre, Role.TEACHER, email="sam@example.org")
    with pytest.raises(ApplicationError, match="already holds the role"):
        services.staff_invite(actor=member(centre), centre=centre, email=person.email, role=Role.TEACHER)


def test_the_last_centre_admin_cannot_remove_their_own_role():
    centre = CentreFactory()
    admin = member(centre)
    membership = Membership.objects.get(user=admin)
    with pytest.raises(ApplicationError, match="only centre admin"):
        services.membership_remove(actor=admin, centre=centre, membership_id=membership.pk)
