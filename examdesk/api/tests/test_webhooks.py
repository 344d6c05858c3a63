"""Webhooks: signed deliveries to a local receiver (http.server on 127.0.0.1 in a thread), once per event, retried
with backoff, never carrying a score; the page shows the secret once and the last status."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine

from examdesk.api import webhooks
from examdesk.api.models import WebhookDelivery
from examdesk.core.tests.factories import member
from examdesk.core.time import now
from examdesk.results.tests.factories import entry_with_result


class Receiver:
    def __init__(self, status=200):
        self.status = status
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


def _verify(secret, headers, body):
    parts = dict(part.split("=", 1) for part in headers["Examdesk-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_results_released_is_signed_sent_once_and_carries_no_score(receiver, db, django_capture_on_commit_callbacks):
    released_at = now() - timedelta(minutes=1)
    entry = entry_with_result(released_at=released_at)
    made = webhooks.webhook_create(
        actor=member(entry.centre), centre=entry.centre, url=receiver.url, events=["results.released"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhooks_scan() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhooks_scan() == 0  # the same event is never sent twice
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert _verify(made.secret, headers, body)
    payload = json.loads(body)
    assert payload["event"] == "results.released" and payload["centre"] == entry.centre.number
    assert payload["data"]["links"]["entries"].startswith("/api/v1/entries?")
    text = body.decode()
    assert "190" not in text and "score" not in text and "grade" not in text
    delivery = WebhookDelivery.objects.get()
    assert delivery.delivered_at is not None and delivery.last_status == 200 and delivery.attempts == 1


def test_nothing_is_sent_before_the_release(receiver, db, django_capture_on_commit_callbacks):
    release = now() + timedelta(hours=1)
    entry = entry_with_result(released_at=release)
    webhooks.webhook_create(
        actor=member(entry.centre), centre=entry.centre, url=receiver.url, events=["results.released"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhooks_scan() == 0
    with time_machine.travel(release, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhooks_scan() == 1


def test_a_failing_endpoint_is_retried_with_backoff_and_shows_its_status(
    db, client, django_capture_on_commit_callbacks
):
    failing = Receiver(status=500)
    try:
        entry = entry_with_result(released_at=now() - timedelta(minutes=1))
        admin = member(entry.centre)
        webhooks.webhook_create(actor=admin, centre=entry.centre, url=failing.url, events=["results.released"])
        with django_capture_on_commit_callbacks(execute=True):
            webhooks.webhooks_scan()
    finally:
        failing.close()
    delivery = WebhookDelivery.objects.get()
    # Celery runs eagerly in the tests, so every retry ran at once; in production each waits twice as long.
    assert delivery.attempts == webhooks.MAX_ATTEMPTS and delivery.delivered_at is None
    assert delivery.last_status == 500 and len(failing.received) == webhooks.MAX_ATTEMPTS
    client.force_login(admin)
    page = client.get(f"/centres/{entry.centre.number}/api-keys/webhooks/").content.decode()
    assert "Not delivered yet (500)" in page and "8 attempts" in page


def test_only_https_or_the_allowed_local_address(db, settings):
    entry = entry_with_result(released_at=None)
    admin = member(entry.centre)
    with pytest.raises(webhooks.ApplicationError):
        webhooks.webhook_create(actor=admin, centre=entry.centre, url="http://example.org/hook", events=["x"])
    settings.EXAMDESK_WEBHOOK_ALLOW_LOCAL = False
    with pytest.raises(webhooks.ApplicationError):
        webhooks.webhook_create(
            actor=admin, centre=entry.centre, url="http://127.0.0.1:9/hook", events=["results.released"]
        )


def test_the_page_shows_the_secret_once(client, db):
    entry = entry_with_result(released_at=None)
    client.force_login(member(entry.centre))
    url = f"/centres/{entry.centre.number}/api-keys/webhooks/"
    created = client.post(url, {"url": "https://mis.example.org/hook", "events": ["results.released"]})
    secret = webhooks.webhook_list(centre=entry.centre).get().secret
    assert secret in created.content.decode() and created["Cache-Control"] == "no-store"
    assert secret not in client.get(url).content.decode()
    bad = client.post(url, {"url": "ftp://x", "events": []}).content.decode()
    assert "There is a problem" in bad and "Choose at least one event." in bad
