from __future__ import annotations

from datetime import timedelta

import pytest

from examdesk.api.keys import CENTRE_FAMILIES, api_key_create
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.core.time import now

WRITE_ALL = dict.fromkeys(CENTRE_FAMILIES, "write")


def make_key(centre, *, scopes=None, days=30, actor=None):
    actor = actor or member(centre)
    return api_key_create(
        actor=actor, name="MIS", scopes=scopes or WRITE_ALL, expires_at=now() + timedelta(days=days), centre=centre
    )


class ApiClient:
    """Django's test client with a bearer key and JSON bodies."""

    def __init__(self, client, token):
        self.client = client
        self.token = token

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, path, headers=None, **params):
        return self.client.get("/api/v1" + path, params, headers=self._headers(headers))

    def post(self, path, body=None, headers=None):
        return self.client.post(
            "/api/v1" + path, body or {}, content_type="application/json", headers=self._headers(headers)
        )

    def put(self, path, body, headers=None):
        return self.client.put("/api/v1" + path, body, content_type="application/json", headers=self._headers(headers))

    def patch(self, path, body, headers=None):
        return self.client.patch(
            "/api/v1" + path, body, content_type="application/json", headers=self._headers(headers)
        )


@pytest.fixture
def centre(db):
    return CentreFactory()


@pytest.fixture
def new_key(centre):
    return make_key(centre)


@pytest.fixture
def api(client, new_key):
    return ApiClient(client, new_key.token)
