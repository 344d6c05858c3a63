from __future__ import annotations

import pytest

from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, member

pytestmark = pytest.mark.django_db


def test_the_admin_is_for_board_staff_only_and_signs_in_through_examdesk(client):
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/account/")
    client.force_login(member(CentreFactory(), is_staff=True))  # Django staff, but not the board's
    assert client.get("/admin/").status_code == 302
    client.force_login(BoardMembershipFactory().user)
    assert client.get("/admin/").status_code == 200
