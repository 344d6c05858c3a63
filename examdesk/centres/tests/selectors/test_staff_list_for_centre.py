from __future__ import annotations

import pytest

from examdesk.centres.models import Role
from examdesk.centres.selectors import staff_list_for_centre
from examdesk.core.tests.factories import CentreFactory, MembershipFactory, member

pytestmark = pytest.mark.django_db


def _queries_for(centre, admin, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        people = staff_list_for_centre(actor=admin, centre=centre)
        roles = [m.role for person in people for m in person.centre_roles]
    return people, roles


def test_staff_list_costs_the_same_few_queries_however_many_people(django_assert_max_num_queries):
    centre, other = CentreFactory(), CentreFactory()
    admin = member(centre)
    for _ in range(3):
        person = member(centre, Role.TEACHER)
        MembershipFactory(user=person, centre=other, role=Role.CENTRE_ADMIN)  # roles elsewhere are not shown
    few, _ = _queries_for(centre, admin, django_assert_max_num_queries, 8)
    for _ in range(30):
        member(centre, Role.VIEWER)
    many, roles = _queries_for(centre, admin, django_assert_max_num_queries, 8)
    assert len(few) == 4 and len(many) == 34
    assert Role.CENTRE_ADMIN in roles and roles.count(Role.CENTRE_ADMIN) == 1
