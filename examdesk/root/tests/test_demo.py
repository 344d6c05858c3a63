from __future__ import annotations

import pytest
from django.core.management import call_command

from examdesk.accounts.models import User
from examdesk.centres.models import Centre, Membership


@pytest.mark.django_db
def test_demo_data_is_idempotent():
    call_command("demo", quiet=True)
    counts = (User.objects.count(), Centre.objects.count(), Membership.objects.count())
    call_command("demo", quiet=True)
    assert (User.objects.count(), Centre.objects.count(), Membership.objects.count()) == counts
    assert counts[1] == 3 and Centre.objects.get(number="30003").exam_centres.count() == 1
