from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from examdesk.centres.models import Role
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number, centre_list_for_actor
from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, member

pytestmark = pytest.mark.django_db


def test_a_member_sees_their_centre_and_not_another():
    mine, theirs = CentreFactory(), CentreFactory()
    teacher = member(mine, Role.TEACHER)
    assert access_centre_by_number(actor=teacher, number=mine.number) == mine
    with pytest.raises(Http404):
        access_centre_by_number(actor=teacher, number=theirs.number)
    assert list(centre_list_for_actor(actor=teacher)) == [mine]


def test_a_role_without_the_capability_gets_403_not_404():
    centre = CentreFactory()
    with pytest.raises(PermissionDenied):
        access_centre_by_number(
            actor=member(centre, Role.VIEWER), number=centre.number, capability=Capability.MANAGE_STAFF
        )


def test_several_roles_add_up():
    centre = CentreFactory()
    person = member(centre, Role.VIEWER)
    from examdesk.core.tests.factories import MembershipFactory

    MembershipFactory(user=person, centre=centre, role=Role.CENTRE_ADMIN)
    assert access_centre_by_number(actor=person, number=centre.number, capability=Capability.VIEW_AUDIT)


def test_board_staff_see_every_centre_of_their_board():
    first, second = CentreFactory(), CentreFactory()
    staff = BoardMembershipFactory(board=first.board).user
    assert set(centre_list_for_actor(actor=staff)) == {first, second}
    assert access_centre_by_number(actor=staff, number=second.number, capability=Capability.MANAGE_STAFF)


def test_views_answer_404_for_a_foreign_centre(client):
    mine, theirs = CentreFactory(), CentreFactory()
    client.force_login(member(mine))
    for path in ("/centres/{}/", "/centres/{}/staff/", "/centres/{}/audit/"):
        assert client.get(path.format(mine.number)).status_code == 200
        response = client.get(path.format(theirs.number))
        assert response.status_code == 404
        assert theirs.name not in response.content.decode()


def test_switching_to_a_foreign_centre_is_404(client):
    mine, theirs = CentreFactory(), CentreFactory()
    client.force_login(member(mine))
    assert client.post("/centres/switch/", {"number": theirs.number}).status_code == 404
    assert client.post("/centres/switch/", {"number": mine.number}).status_code == 302
