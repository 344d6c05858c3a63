"""Webhooks: a centre's endpoints, the events they are sent, signed deliveries retried with backoff.

Events are found by one periodic scan (`webhooks_scan`, Celery beat): releases whose time has come for a centre's
entries, sittings whose window closed, imports applied. Each event is recorded once per endpoint (a unique
dedupe key), so a scan that runs twice, or on two workers, sends nothing twice. A payload carries ids and API
links, never a score: a receiver reads results through the API, where the release gate decides.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from examdesk.api.models import Webhook, WebhookDelivery
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.selectors import releases_made_between
from examdesk.centres.models import Centre
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now
from examdesk.results.selectors import centres_with_entries_in
from examdesk.sittings.selectors import sittings_closed_between
from examdesk.transfer.selectors import import_batches_committed_between

SIGNATURE_HEADER = "Examdesk-Signature"
MAX_ATTEMPTS = 8
FIRST_PAUSE = 30  # seconds; doubled after each failed attempt (30 s, 1 min, 2 min … about 1 hour)
TIMEOUT = 10
SCAN_BACK = timedelta(days=1)  # how far back a scan looks for events it may have missed
HTTPS_ONLY = "The endpoint must be an https:// address."


@dataclass(frozen=True)
class NewWebhook:
    webhook: Webhook
    secret: str


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if settings.EXAMDESK_WEBHOOK_ALLOW_LOCAL and parts.scheme == "http" and parts.hostname == "127.0.0.1":
        return
    raise ApplicationError(HTTPS_ONLY, field="url")


@transaction.atomic
def webhook_create(
    *, actor: Any, centre: Centre, url: str, events: list[str], request: HttpRequest | None = None
) -> NewWebhook:
    _check_url(url)
    chosen = [event for event in Webhook.Event.values if event in events]
    if not chosen:
        raise ApplicationError("Choose at least one event.", field="events")
    secret = "whsec_" + secrets.token_urlsafe(32)
    webhook = Webhook.objects.create(centre=centre, url=url, events=chosen, secret=secret, created_by=actor)
    audit_record(
        action=AuditEvent.Action.WEBHOOK_CREATED,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"Webhook {url} added for {', '.join(chosen)}",
        data={"webhook": webhook.pk, "events": chosen},
    )
    return NewWebhook(webhook, secret)


@transaction.atomic
def webhook_remove(*, actor: Any, webhook: Webhook, request: HttpRequest | None = None) -> None:
    webhook.is_active = False
    webhook.save(update_fields=["is_active"])
    audit_record(
        action=AuditEvent.Action.WEBHOOK_REMOVED,
        request=request,
        actor=actor,
        centre=webhook.centre,
        summary=f"Webhook {webhook.url} removed",
        data={"webhook": webhook.pk},
    )


def webhook_list(*, centre: Centre) -> QuerySet[Webhook]:
    return Webhook.objects.filter(centre=centre, is_active=True)


def webhook_list_with_last_delivery(*, centre: Centre) -> list[dict[str, Any]]:
    rows = []
    for webhook in webhook_list(centre=centre):
        rows.append({"webhook": webhook, "last": webhook.deliveries.order_by("-updated_at", "-id").first()})
    return rows


def access_webhook_by_id(*, centre: Centre, webhook_id: int) -> Webhook:
    webhook = webhook_list(centre=centre).filter(pk=webhook_id).first()
    if webhook is None:
        raise Http404("No such webhook.")
    return webhook


# --- Events ------------------------------------------------------------------------------------------------


def event_record(*, centre_id: int, event: str, dedupe_key: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """One delivery per subscribed endpoint of the centre, once per dedupe key; sent after commit."""
    made = []
    for webhook in Webhook.objects.filter(centre_id=centre_id, is_active=True):
        if event not in webhook.events:
            continue
        payload = {"event": event, "centre": webhook.centre.number, "occurred_at": now().isoformat(), "data": data}
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    webhook=webhook, event=event, dedupe_key=dedupe_key, payload=payload
                )
        except IntegrityError:
            continue  # recorded by an earlier scan
        made.append(delivery)
        _enqueue_after_commit(delivery.pk)
    return made


def _enqueue_after_commit(delivery_id: int) -> None:
    transaction.on_commit(lambda: _enqueue(delivery_id))


def _enqueue(delivery_id: int, countdown: int = 0) -> None:
    from examdesk.api.tasks import webhook_deliver_task

    webhook_deliver_task.apply_async((delivery_id,), countdown=countdown)


def webhooks_scan(*, at: datetime | None = None) -> int:
    """Record the events of the last day that no delivery has yet (idempotent). Returns how many were made."""
    moment = now() if at is None else at
    since = moment - SCAN_BACK
    centres = set(Webhook.objects.filter(is_active=True).values_list("centre_id", flat=True))
    if not centres:
        return 0
    made = 0
    for release in releases_made_between(since=since, until=moment):
        released_at = release.released_at
        assert released_at is not None
        for centre_id in centres_with_entries_in(release=release, centre_ids=centres):
            query = urlencode({"qualification": release.qualification_id, "series": release.series_id,
                               "updated_since": released_at.isoformat()})  # fmt: skip
            made += len(
                event_record(
                    centre_id=int(centre_id),
                    event=Webhook.Event.RESULTS_RELEASED,
                    dedupe_key=f"release:{release.pk}",
                    data={
                        "qualification_code": release.qualification.code,
                        "series_code": release.series.code,
                        "released_at": released_at.isoformat(),
                        "links": {"entries": f"/api/v1/entries?{query}"},
                    },
                )
            )
    for sitting in sittings_closed_between(centre_ids=centres, since=since, until=moment):
        made += len(
            event_record(
                centre_id=sitting.centre_id,
                event=Webhook.Event.SITTING_COMPLETED,
                dedupe_key=f"sitting:{sitting.pk}",
                data={"sitting": sitting.pk, "links": {"attempts": f"/api/v1/sittings/{sitting.pk}/attempts"}},
            )
        )
    for batch in import_batches_committed_between(centre_ids=centres, since=since, until=moment):
        made += len(
            event_record(
                centre_id=batch.centre_id,
                event=Webhook.Event.IMPORT_FINISHED,
                dedupe_key=f"import:{batch.pk}",
                data={"import": str(batch.pk), "links": {"import": f"/api/v1/jobs/candidate-imports/{batch.pk}"}},
            )
        )
    return made


# --- Delivery ------------------------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def webhook_deliver(*, delivery_id: int) -> None:
    """One attempt; on failure the next is scheduled with a doubled pause, up to MAX_ATTEMPTS."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.delivered_at is not None or not delivery.webhook.is_active:
        return
    body = json.dumps({"id": delivery.pk, **delivery.payload}).encode()
    timestamp = int(now().timestamp())
    request = urllib.request.Request(  # noqa: S310 - the address was checked (https, or the tests' 127.0.0.1)
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Examdesk-Webhooks/1",
            SIGNATURE_HEADER: signature_header(delivery.webhook.secret, timestamp, body),
        },
    )
    status: int | None = None
    error = ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
            status = int(answer.status)
    except urllib.error.HTTPError as failure:
        status, error = int(failure.code), str(failure.reason)[:300]
    except (OSError, ValueError) as failure:
        error = str(failure)[:300]
    delivered = status is not None and 200 <= status < 300
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=delivery.attempts + 1,
        last_status=status,
        last_error=error,
        delivered_at=now() if delivered else None,
        updated_at=now(),
    )
    if not delivered and delivery.attempts + 1 < MAX_ATTEMPTS:
        _enqueue(delivery.pk, countdown=FIRST_PAUSE * 2**delivery.attempts)
