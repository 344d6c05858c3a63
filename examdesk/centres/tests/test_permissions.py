from __future__ import annotations

import pytest

from examdesk.centres.models import Role
from examdesk.centres.permissions import Capability, can_see_centre_job
from examdesk.core.tests.factories import CentreFactory, member

pytestmark = pytest.mark.django_db


def test_a_centre_job_is_for_the_centres_admins_and_a_shared_one_for_holders_of_its_capability():
    centre = CentreFactory()
    admin, officer = member(centre, Role.CENTRE_ADMIN), member(centre, Role.EXAMS_OFFICER)
    elsewhere = member(CentreFactory(), Role.CENTRE_ADMIN)
    assert can_see_centre_job(admin, centre, shared_with="")
    assert not can_see_centre_job(officer, centre, shared_with="")
    assert can_see_centre_job(officer, centre, shared_with=Capability.VIEW_RESULTS)
    assert not can_see_centre_job(officer, centre, shared_with=Capability.VIEW_AUDIT)
    assert not can_see_centre_job(elsewhere, centre, shared_with="")
