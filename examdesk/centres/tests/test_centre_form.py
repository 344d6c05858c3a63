"""The board's centre form: the country from the list, its time zones only, and the first centre admin invited."""

from __future__ import annotations

import pytest
from django.core import mail

from examdesk.centres.forms import time_zones_of
from examdesk.centres.models import Centre, Invitation, Role
from examdesk.core.tests.factories import BoardMembershipFactory

pytestmark = pytest.mark.django_db

FORM = {
    "number": "60021",
    "name": "Harbour School",
    "kind": Centre.Kind.EXAM,
    "country": "PT",
    "language": "pt-pt",
    "is_active": "on",
}


@pytest.fixture
def board_client(client):
    client.force_login(BoardMembershipFactory().user)
    return client


def test_a_country_has_its_own_zones_and_an_unknown_one_every_zone():
    assert time_zones_of("PT") == ["Atlantic/Azores", "Atlantic/Madeira", "Europe/Lisbon"]
    assert time_zones_of("GB") == ["Europe/London"]
    assert len(time_zones_of("XX")) > 400


def test_a_zone_of_another_country_is_refused_and_the_list_is_narrowed_without_javascript(board_client):
    page = board_client.post("/centres/board/new/", {**FORM, "time_zone": "Asia/Tokyo"}).content.decode()
    assert "Choose one of the time zones listed for the country." in page
    assert '<option value="Europe/Lisbon">' in page and "Asia/Tokyo</option>" not in page
    assert not Centre.objects.exists()


def test_the_time_zone_field_follows_the_country(board_client):
    page = board_client.get("/centres/board/new/time-zones/", {"country": "GB"}).content.decode()
    assert page.startswith('<div id="time-zone-field">')
    assert '<option value="Europe/London" selected>' in page  # a country with one zone has it chosen


def test_the_first_centre_admin_is_invited_with_the_new_centre(board_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = board_client.post(
            "/centres/board/new/", {**FORM, "time_zone": "Atlantic/Azores", "first_admin_email": "Head@Harbour.example"}
        )
    assert response.status_code == 302
    centre = Centre.objects.get(number="60021")
    assert centre.time_zone == "Atlantic/Azores"
    invitation = Invitation.objects.get(centre=centre)
    assert (invitation.email, invitation.role) == ("head@harbour.example", Role.CENTRE_ADMIN)
    assert any("head@harbour.example" in message.to for message in mail.outbox)


def test_the_edit_form_has_no_invitation_field(board_client):
    board_client.post("/centres/board/new/", {**FORM, "time_zone": "Europe/Lisbon"})
    page = board_client.get("/centres/board/60021/edit/").content.decode()
    assert "first_admin_email" not in page and '<option value="Europe/Lisbon" selected>' in page
