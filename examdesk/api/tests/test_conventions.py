"""Idempotency-Key on POST, the body limit, rate limits, the docs and the schema."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.db import connection

from examdesk.api.models import IdempotencyRecord
from examdesk.api.tests.conftest import ApiClient, make_key
from examdesk.audit.models import AuditEvent
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.models import Candidate

BODY = {"unique_id": "S-1", "first_name": "Ada", "last_name": "Lovelace"}


def test_the_same_post_twice_creates_one_candidate_and_answers_the_same(api, centre):
    first = api.post("/candidates", BODY, headers={"Idempotency-Key": "k-1"})
    second = api.post("/candidates", BODY, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert first.content == second.content and second["Idempotent-Replayed"] == "true"
    assert Candidate.objects.filter(centre=centre).count() == 1
    assert AuditEvent.objects.filter(action="candidate.created").count() == 1
    assert AuditEvent.objects.filter(action="api.write").count() == 1


def test_the_same_key_with_another_body_is_a_422(api):
    api.post("/candidates", BODY, headers={"Idempotency-Key": "k-1"})
    other = api.post("/candidates", {**BODY, "unique_id": "S-2"}, headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 422 and other.json()["errors"][0]["path"] == "Idempotency-Key"
    assert not Candidate.objects.filter(unique_id="S-2").exists()


def test_keys_belong_to_one_api_key(client, centre):
    one, two = ApiClient(client, make_key(centre).token), ApiClient(client, make_key(centre).token)
    one.post("/candidates", BODY, headers={"Idempotency-Key": "same"})
    again = two.post("/candidates", BODY, headers={"Idempotency-Key": "same"})
    assert again.status_code == 422 and again.json()["errors"][0]["path"] == "unique_id"  # ran: not a replay


def test_a_failed_request_is_kept_too_so_a_retry_answers_the_same(api):
    bad = api.post("/candidates", {**BODY, "gender": "?"}, headers={"Idempotency-Key": "k-2"})
    again = api.post("/candidates", {**BODY, "gender": "?"}, headers={"Idempotency-Key": "k-2"})
    assert bad.status_code == again.status_code == 422 and bad.content == again.content


def test_answers_are_forgotten_after_a_day(api):
    import time_machine

    from examdesk.api.idempotency import idempotency_records_expire
    from examdesk.core.time import now

    api.post("/candidates", BODY, headers={"Idempotency-Key": "old"})
    assert idempotency_records_expire() == 0
    with time_machine.travel(now() + timedelta(days=1, seconds=1)):
        assert idempotency_records_expire() == 1


def test_a_body_over_the_limit_is_a_413(api, settings):
    settings.EXAMDESK_API_MAX_BODY_BYTES = 1000
    response = api.post("/candidate-batches", {"candidates": [BODY] * 50})
    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"


def test_rate_limit_per_key_with_retry_after(client, centre, settings):
    settings.EXAMDESK_API_RATE_PER_MINUTE = 3
    limited, other = ApiClient(client, make_key(centre).token), ApiClient(client, make_key(centre).token)
    statuses = [limited.get("/candidates").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = limited.get("/candidates")
    assert 1 <= int(refused["Retry-After"]) <= 60 and refused.json()["status"] == 429
    assert other.get("/candidates").status_code == 200


def test_openapi_31_and_local_docs_under_the_strict_csp(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    docs = client.get("/api/v1/docs")
    html = docs.content.decode()
    assert docs.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html and "cdn" not in html.lower()
    policy = docs["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(name), name  # shipped in the package, collected into our own static files


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent twins need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_twins_create_one_candidate(live_server):
    import json
    import urllib.request

    centre = CentreFactory()
    token = make_key(centre).token
    answers = []

    def send():
        request = urllib.request.Request(  # noqa: S310
            f"{live_server.url}/api/v1/candidates",
            data=json.dumps(BODY).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": "twin"},
        )
        with urllib.request.urlopen(request) as response:  # noqa: S310
            answers.append((response.status, response.read()))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Candidate.objects.filter(centre=centre).count() == 1
    assert {status for status, _ in answers} == {201} and len({body for _, body in answers}) == 1
    assert IdempotencyRecord.objects.count() == 1
