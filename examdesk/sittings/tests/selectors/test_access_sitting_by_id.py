from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from examdesk.centres.models import Role
from examdesk.centres.permissions import Capability
from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, member
from examdesk.sittings.selectors import access_sitting_by_id
from examdesk.sittings.tests.selectors.support import centre_with_sitting

pytestmark = pytest.mark.django_db


def test_a_member_reaches_their_centres_sitting():
    mine = centre_with_sitting()
    teacher = member(mine.centre, Role.TEACHER)
    found = access_sitting_by_id(actor=teacher, centre=mine.centre, sitting_id=mine.sitting.pk)
    assert found == mine.sitting


def test_a_foreign_centres_sitting_answers_404_through_the_actors_own_centre():
    mine, theirs = centre_with_sitting(), centre_with_sitting(centre=CentreFactory())
    teacher = member(mine.centre, Role.TEACHER)
    with pytest.raises(Http404):
        access_sitting_by_id(actor=teacher, centre=mine.centre, sitting_id=theirs.sitting.pk)


def test_a_centre_the_actor_cannot_see_answers_404_even_when_passed_in():
    theirs = centre_with_sitting()
    stranger = member(CentreFactory(), Role.CENTRE_ADMIN)
    with pytest.raises(Http404):
        access_sitting_by_id(actor=stranger, centre=theirs.centre, sitting_id=theirs.sitting.pk)


def test_an_unknown_id_answers_404():
    mine = centre_with_sitting()
    with pytest.raises(Http404):
        access_sitting_by_id(actor=member(mine.centre), centre=mine.centre, sitting_id=mine.sitting.pk + 1000)


def test_a_role_without_the_capability_gets_403_at_its_own_centre():
    mine = centre_with_sitting()
    viewer = member(mine.centre, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        access_sitting_by_id(
            actor=viewer, centre=mine.centre, sitting_id=mine.sitting.pk, capability=Capability.MANAGE_SITTINGS
        )


def test_board_staff_reach_a_sitting_of_their_boards_centre():
    mine = centre_with_sitting()
    staff = BoardMembershipFactory(board=mine.centre.board).user
    found = access_sitting_by_id(
        actor=staff, centre=mine.centre, sitting_id=mine.sitting.pk, capability=Capability.MANAGE_SITTINGS
    )
    assert found == mine.sitting


@pytest.mark.parametrize(
    "path",
    [
        "/centres/{number}/sittings/{sitting}/",
        "/centres/{number}/sittings/{sitting}/edit/",
        "/centres/{number}/sittings/{sitting}/slips.pdf",
        "/centres/{number}/sittings/{sitting}/codes.csv",
        "/centres/{number}/sittings/{sitting}/response-codes/",
    ],
)
def test_views_answer_404_for_a_foreign_sitting_id(client, path):
    mine, theirs = centre_with_sitting(), centre_with_sitting(centre=CentreFactory())
    client.force_login(member(mine.centre, Role.CENTRE_ADMIN))
    response = client.get(path.format(number=mine.centre.number, sitting=theirs.sitting.pk))
    assert response.status_code == 404
    own = client.get(path.format(number=mine.centre.number, sitting=mine.sitting.pk))
    assert own.status_code in (200, 302)
