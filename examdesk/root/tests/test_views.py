from __future__ import annotations

import pytest

from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_the_home_page_of_a_visitor_is_the_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "root/landing.html"


def test_the_home_page_sends_centre_staff_to_their_centre_and_board_staff_to_the_centres(client):
    centre = CentreFactory()
    client.force_login(member(centre))
    assert client.get("/")["Location"] == f"/centres/{centre.number}/"
    client.force_login(BoardMembershipFactory().user)
    assert client.get("/")["Location"] == "/centres/board/"


def test_someone_with_no_role_is_told_so(client):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 200 and "You do not have a role at any centre yet" in response.content.decode()
