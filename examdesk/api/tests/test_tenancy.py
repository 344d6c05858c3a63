"""The tenancy matrix through the API: a key of centre A on every resource of centre B is a 404; a read-only key
cannot write (403); a revoked or expired key is refused at once (401), on every operation."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import time_machine

from examdesk.api.keys import CENTRE_FAMILIES, api_key_revoke
from examdesk.api.site import api as ninja_api
from examdesk.api.tests.conftest import ApiClient, make_key
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.core.time import now
from examdesk.jobs.services import job_create
from examdesk.people.services import groups_resolve
from examdesk.people.tests.factories import CandidateFactory
from examdesk.reports.tests import factories as sittings_factories
from examdesk.results.tests.factories import entry_with_result
from examdesk.sittings.tests.fixtures import product

READ_ONLY = dict.fromkeys(CENTRE_FAMILIES, "read")


def operations():
    schema = ninja_api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method.upper(), path.removeprefix("/api/v1")


def _call(client, method, path, token, body=None):
    headers = {"Authorization": f"Bearer {token}"}
    if method == "GET":
        return client.get("/api/v1" + path, headers=headers)
    return client.generic(method, "/api/v1" + path, b"{}", content_type="application/json", headers=headers)


@pytest.fixture
def other_centre_resources(db):
    """Centre B's candidate, group, entry, sitting, job and import: ids a key of A must never reach."""
    b = CentreFactory()
    entry = entry_with_result(centre=b, released_at=now() - timedelta(days=1))
    candidate = CandidateFactory(centre=b, unique_id="ONLY-AT-B")
    (group,) = groups_resolve(centre=b, names=["B group"])
    sitting = sittings_factories.sitting(b, product(b))
    job = job_create(owner=member(b), kind="x", title="B", centre=b)
    return {
        "unique_id": candidate.unique_id,
        "group_id": group.pk,
        "entry_id": entry.pk,
        "sitting_id": sitting.pk,
        "job_id": job.pk,
        "batch_id": uuid.uuid4(),
    }


def test_a_key_of_centre_a_gets_404_for_every_resource_of_centre_b(client, other_centre_resources):
    a = CentreFactory()
    token = make_key(a).token
    ids = other_centre_resources
    checked = 0
    for method, path in operations():
        names = re.findall(r"{(\w+)}", path)
        if not names or path.startswith("/board"):
            continue
        if method == "PUT":
            continue  # an upsert by unique ID at centre A creates A's own candidate: nothing of B is reached
        filled = path
        for name in names:
            filled = filled.replace("{" + name + "}", str(ids[name]))
        response = _call(client, method, filled, token)
        assert response.status_code == 404, (method, filled, response.content)
        assert response["Content-Type"] == "application/problem+json"
        checked += 1
    assert checked >= 12
    listed = ApiClient(client, token)
    assert listed.get("/candidates").json()["items"] == []
    assert listed.get("/entries").json()["items"] == []
    assert listed.get("/groups").json()["items"] == []
    assert listed.get("/sittings").json()["items"] == []


UUID_IDS = ("job_id", "batch_id", "file_id")


def _with_ids(path):
    return re.sub(r"{(\w+)}", lambda m: str(uuid.uuid4()) if m.group(1) in UUID_IDS else "1", path)


def test_a_read_only_key_cannot_write(client, centre):
    """Every write answers 403 (or, for a body that is not even valid, 422 before anything is looked at)."""
    token = make_key(centre, scopes=READ_ONLY).token
    schema = ninja_api.get_openapi_schema()
    for method, path in operations():
        if method == "GET" or path.startswith("/board"):
            continue
        takes_body = "requestBody" in schema["paths"]["/api/v1" + path][method.lower()]
        response = _call(client, method, _with_ids(path), token)
        assert response.status_code in ((403, 422) if takes_body else (403,)), (method, path, response.content)
    assert not centre.candidates.exists()
    assert ApiClient(client, token).get("/candidates").status_code == 200


def test_a_read_only_key_is_refused_before_anything_is_written(client, centre):
    token = make_key(centre, scopes=READ_ONLY).token
    response = ApiClient(client, token).post("/candidates", {"unique_id": "X", "first_name": "A", "last_name": "B"})
    assert response.status_code == 403
    assert not centre.candidates.exists()


def test_a_key_without_the_family_cannot_read_it(client, centre):
    token = make_key(centre, scopes={"candidates": "read"}).token
    assert ApiClient(client, token).get("/entries").status_code == 403
    assert ApiClient(client, token).get("/candidates").status_code == 200


def test_a_revoked_key_gets_401_at_once_on_every_operation(client, centre):
    made = make_key(centre)
    api = ApiClient(client, made.token)
    assert api.get("/candidates").status_code == 200
    api_key_revoke(actor=made.key.created_by, key=made.key)
    for method, path in operations():
        response = _call(client, method, _with_ids(path), made.token)
        assert response.status_code == 401, (method, path)
        assert response["WWW-Authenticate"] == "Bearer"


def test_an_expired_key_gets_401(client, centre):
    made = make_key(centre, days=1)
    api = ApiClient(client, made.token)
    assert api.get("/candidates").status_code == 200
    with time_machine.travel(made.key.expires_at, tick=False):
        assert api.get("/candidates").status_code == 401
    with time_machine.travel(made.key.expires_at - timedelta(seconds=1), tick=False):
        assert api.get("/candidates").status_code == 200


def test_a_wrong_secret_or_no_key_gets_401(client, centre):
    made = make_key(centre)
    prefix = made.key.prefix
    assert ApiClient(client, f"exd.{prefix}.wrong").get("/candidates").status_code == 401
    assert client.get("/api/v1/candidates").status_code == 401


def test_a_key_stops_when_its_creator_may_no_longer_manage_the_centre(client, centre):
    made = make_key(centre)
    made.key.created_by.memberships.all().delete()
    assert ApiClient(client, made.token).get("/candidates").status_code == 401


def test_a_centre_key_cannot_use_board_resources(client, centre):
    api = ApiClient(client, make_key(centre).token)
    assert api.get("/board/series").status_code == 403
