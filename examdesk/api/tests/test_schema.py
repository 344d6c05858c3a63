"""schemathesis against the live OpenAPI schema, through the WSGI app: every operation, with valid and invalid
data, must answer without a server error and as its schema says (status, content type, headers, body)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks

from examdesk.api.tests.conftest import make_key
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.tests.factories import entry_with_result

CHECKS = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def _connections_kept_open(settings):
    """As Django's test client does: a request's end must not close the test's database connection."""
    settings.EXAMDESK_API_RATE_PER_MINUTE = 100_000
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    entry = entry_with_result(released_at=None)
    CandidateFactory(centre=entry.centre, unique_id="S-1")
    return make_key(entry.centre).token


def _live_schema():
    from config.wsgi import application

    # The schema as the app serves it (its own view, no database), loaded when the tests are collected.
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=20, deterministic=True, database="none"
    )
    return loaded


schema = _live_schema()


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, token, _connections_kept_open):
    headers = {"Authorization": f"Bearer {token}"}
    response = case.call_and_validate(headers=headers, checks=[not_a_server_error, *CHECKS])
    assert response.status_code < 500
