from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from examdesk.centres.models import Role
from examdesk.centres.permissions import Capability
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.sittings.selectors import access_attempt_by_id
from examdesk.sittings.tests.selectors.support import centre_with_sitting

pytestmark = pytest.mark.django_db


def test_a_member_reaches_an_attempt_of_their_centres_sitting_with_what_it_names(django_assert_num_queries):
    mine = centre_with_sitting()
    teacher = member(mine.centre, Role.TEACHER)
    attempt = mine.sitting.attempts.first()
    found = access_attempt_by_id(actor=teacher, centre=mine.centre, sitting_id=mine.sitting.pk, attempt_id=attempt.pk)
    assert found == attempt
    with django_assert_num_queries(0):
        assert found.sitting == mine.sitting
        assert found.sitting.product.name and found.sitting.centre.board.name and found.candidate.full_name


def test_a_foreign_centres_attempt_answers_404():
    mine, theirs = centre_with_sitting(), centre_with_sitting(centre=CentreFactory())
    teacher = member(mine.centre, Role.TEACHER)
    foreign = theirs.sitting.attempts.first()
    with pytest.raises(Http404):
        access_attempt_by_id(actor=teacher, centre=mine.centre, sitting_id=mine.sitting.pk, attempt_id=foreign.pk)
    with pytest.raises(Http404):
        access_attempt_by_id(actor=teacher, centre=mine.centre, sitting_id=theirs.sitting.pk, attempt_id=foreign.pk)
    with pytest.raises(Http404):
        access_attempt_by_id(actor=teacher, centre=theirs.centre, sitting_id=theirs.sitting.pk, attempt_id=foreign.pk)


def test_an_attempt_of_another_sitting_of_the_same_centre_answers_404():
    mine = centre_with_sitting()
    other = centre_with_sitting(centre=mine.centre)
    teacher = member(mine.centre, Role.TEACHER)
    attempt = other.sitting.attempts.first()
    with pytest.raises(Http404):
        access_attempt_by_id(actor=teacher, centre=mine.centre, sitting_id=mine.sitting.pk, attempt_id=attempt.pk)


def test_a_role_without_the_capability_gets_403_at_its_own_centre():
    mine = centre_with_sitting()
    attempt = mine.sitting.attempts.first()
    with pytest.raises(PermissionDenied):
        access_attempt_by_id(
            actor=member(mine.centre, Role.VIEWER),
            centre=mine.centre,
            sitting_id=mine.sitting.pk,
            attempt_id=attempt.pk,
            capability=Capability.MANAGE_SITTINGS,
        )


@pytest.mark.parametrize(
    "path",
    [
        "/centres/{number}/sittings/{sitting}/attempts/{attempt}/void/",
        "/centres/{number}/sittings/{sitting}/attempts/{attempt}/marks/",
    ],
)
def test_views_answer_404_for_a_foreign_attempt_id(client, path):
    mine, theirs = centre_with_sitting(), centre_with_sitting(centre=CentreFactory())
    client.force_login(member(mine.centre, Role.CENTRE_ADMIN))
    foreign = theirs.sitting.attempts.first()
    url = path.format(number=mine.centre.number, sitting=mine.sitting.pk, attempt=foreign.pk)
    assert client.get(url).status_code == 404
    own = mine.sitting.attempts.first()
    assert (
        client.get(path.format(number=mine.centre.number, sitting=mine.sitting.pk, attempt=own.pk)).status_code == 200
    )
