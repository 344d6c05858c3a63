"""The centre's API keys page: a key is shown once, stored hashed, revoked at once, every change audited."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from examdesk.api.models import ApiKey
from examdesk.api.tests.conftest import ApiClient
from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.tests.factories import BoardMembershipFactory, member
from examdesk.core.time import now

EXPIRES = (now().date() + timedelta(days=400)).strftime("%d/%m/%Y")
FORM = {"name": "School MIS", "scope_candidates": "write", "scope_results": "read", "expires_on": EXPIRES}


def test_create_shows_the_key_once_and_stores_only_its_hash(client, centre):
    client.force_login(member(centre))
    url = f"/centres/{centre.number}/api-keys/"
    created = client.post(url, FORM)
    html = created.content.decode()
    key = ApiKey.objects.get()
    token = html.split("data-new-key")[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert token.startswith(f"exd.{key.prefix}.") and created["Cache-Control"] == "no-store"
    assert key.secret_hash == hashlib.sha256(token.split(".")[2].encode()).hexdigest()
    assert token.split(".")[2] not in key.secret_hash
    assert key.scopes == {"candidates": "write", "results": "read"} and key.centre == centre
    assert token not in client.get(url).content.decode()
    assert ApiClient(client, token).get("/candidates").status_code == 200
    assert AuditEvent.objects.filter(action="api.key_created", centre_id=centre.pk).exists()


def test_revoke_stops_the_key_at_once(client, centre):
    client.force_login(member(centre))
    html = client.post(f"/centres/{centre.number}/api-keys/", FORM).content.decode()
    token = html.split("data-new-key")[0].rsplit('value="', 1)[1].split('"', 1)[0]
    key = ApiKey.objects.get()
    client.post(f"/centres/{centre.number}/api-keys/{key.pk}/revoke/")
    assert ApiClient(client, token).get("/candidates").status_code == 401
    assert AuditEvent.objects.filter(action="api.key_revoked").exists()
    assert "Revoked" in client.get(f"/centres/{centre.number}/api-keys/").content.decode()


def test_a_bad_form_shows_the_error_summary(client, centre):
    client.force_login(member(centre))
    html = client.post(f"/centres/{centre.number}/api-keys/", {"name": "", "expires_on": "01/01/2000"}).content.decode()
    assert "There is a problem" in html
    assert "Enter a name for the key." in html and "The expiry date must be in the future." in html
    assert "Give the key access to at least one kind of resource." in html
    assert not ApiKey.objects.exists()


def test_only_centre_admins_manage_keys(client, centre):
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    assert client.get(f"/centres/{centre.number}/api-keys/").status_code in (403, 404)


def test_board_staff_make_board_keys_for_the_catalogue(client, centre):
    staff = BoardMembershipFactory(board=centre.board).user
    client.force_login(staff)
    html = client.post(
        "/centres/board/api-keys/", {"name": "Board", "scope_catalogue": "read", "expires_on": EXPIRES}
    ).content.decode()
    token = html.split("data-new-key")[0].rsplit('value="', 1)[1].split('"', 1)[0]
    board_api = ApiClient(client, token)
    assert board_api.get("/board/series").status_code == 200
    assert board_api.get("/candidates").status_code == 403
