from __future__ import annotations

import pytest
from django.http import Http404

from examdesk.core.tests.factories import CentreFactory
from examdesk.people.models import Group
from examdesk.people.selectors import access_group_by_id

pytestmark = pytest.mark.django_db


def test_a_group_of_another_centre_answers_404():
    mine, theirs = CentreFactory(), CentreFactory()
    own = Group.objects.create(centre=mine, name="7A")
    foreign = Group.objects.create(centre=theirs, name="7A")
    assert access_group_by_id(centre=mine, group_id=own.pk) == own
    with pytest.raises(Http404):
        access_group_by_id(centre=mine, group_id=foreign.pk)
