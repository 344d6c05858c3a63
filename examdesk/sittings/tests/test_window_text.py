"""A sitting's window is written the same on its page and in the list (it used to end "5 March, 23:59" on the page
and "6 March, 00:00" in the list)."""

from __future__ import annotations

from datetime import date

import pytest

from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.sittings.tests.fixtures import credits, product, sitting_for

pytestmark = pytest.mark.django_db


def test_the_list_and_the_sitting_page_end_the_window_on_the_same_day(client, frozen):
    centre = CentreFactory(number="61011", time_zone="Europe/London")
    made = product(centre)
    credits(centre, made, 1, date(2027, 12, 31))
    sitting = sitting_for(centre, made, [CandidateFactory(centre=centre)], closes=date(2027, 3, 5))
    client.force_login(member(centre, Role.CENTRE_ADMIN))
    expected = "From 1 March 2027, 00:00 to 5 March 2027, 23:59 (Europe/London)"
    listed = client.get("/centres/61011/sittings/").content.decode()
    shown = client.get(f"/centres/61011/sittings/{sitting.pk}/").content.decode()
    assert expected in shown
    assert expected in listed
    assert "6 March" not in listed
