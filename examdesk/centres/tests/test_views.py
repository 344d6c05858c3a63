from __future__ import annotations

import pytest

from examdesk.centres.models import Invitation, Membership, Role
from examdesk.centres.services import staff_invite
from examdesk.core.tests.factories import CentreFactory, member

pytestmark = pytest.mark.django_db


def test_removing_a_role_and_the_last_admin_guard(client):
    centre = CentreFactory()
    admin = member(centre)
    teacher = member(centre, Role.TEACHER)
    client.force_login(admin)

    teaching = Membership.objects.get(user=teacher)
    page = client.post(f"/centres/{centre.number}/staff/roles/{teaching.pk}/remove/", follow=True)
    assert "The role has been removed." in page.content.decode()
    assert not Membership.objects.filter(pk=teaching.pk).exists()

    own = Membership.objects.get(user=admin)
    page = client.post(f"/centres/{centre.number}/staff/roles/{own.pk}/remove/", follow=True)
    assert "only centre admin" in page.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_withdrawing_an_invitation(client):
    centre = CentreFactory()
    admin = member(centre)
    staff_invite(actor=admin, centre=centre, email="new@example.org", role=Role.TEACHER)
    invitation = Invitation.objects.get()
    client.force_login(admin)
    page = client.post(f"/centres/{centre.number}/staff/invitations/{invitation.pk}/withdraw/", follow=True)
    assert "its link no longer works" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_a_role_at_another_centre_cannot_be_removed_through_this_one(client):
    centre, other = CentreFactory(), CentreFactory()
    elsewhere = Membership.objects.get(user=member(other, Role.TEACHER))
    client.force_login(member(centre))
    page = client.post(f"/centres/{centre.number}/staff/roles/{elsewhere.pk}/remove/", follow=True)
    assert "not found at this centre" in page.content.decode()
    assert Membership.objects.filter(pk=elsewhere.pk).exists()
