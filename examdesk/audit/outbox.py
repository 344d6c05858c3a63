"""The audit outbox: audit events of the results-day hot path (a candidate signing in, downloading a statement)
written in the request as one narrow row, and moved into the audit log in batches by a Celery task.

Why an outbox and not a task message per event: the row is written by the request itself, before its answer
leaves (inside the request's own transaction when there is one), in the same database as the log. A process
that dies right after answering has already stored the event; a broker message sent after the answer could be
lost with it. The drain moves a batch in one transaction (read, insert into the log, delete from the outbox):
it either happens whole or not at all, so a drain that fails or dies part-way leaves the batch for the next,
and no event is written twice. On PostgreSQL two drains at once take different rows (SKIP LOCKED); SQLite
runs one writer at a time.

Everything else keeps `audit_record`, written at once: the outbox is for the requests that results day repeats
by the hundred thousand, where a row in the log a few seconds later changes nothing for anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from examdesk.audit.models import AuditEvent, PendingAuditEvent
from examdesk.audit.services import event_fields
from examdesk.core.time import now

BATCH = 1000


def audit_defer(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: Any = None,
    centre: Any = None,
    subject: Any = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Record one event through the outbox: the same event as `audit_record` would write, with this moment as its
    time, in the log once `outbox_drain` has run (every EXAMDESK_AUDIT_DRAIN_SECONDS)."""
    fields = event_fields(
        action=action, request=request, actor=actor, centre=centre, subject=subject, summary=summary, data=data
    )
    PendingAuditEvent.objects.create(fields={**fields, "at": now().isoformat()})


def outbox_drain(*, limit: int = BATCH, then: Callable[[list[AuditEvent]], None] | None = None) -> int:
    """Move up to `limit` pending events into the audit log, oldest first, in one transaction; `then` runs inside
    it with the events written (the accounts app sets `last_login` from the sign-ins). Returns how many moved."""
    with transaction.atomic():
        pending = list(PendingAuditEvent.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        if not pending:
            return 0
        events = AuditEvent.objects.bulk_create([_event(row.fields) for row in pending])
        if then is not None:
            then(events)
        PendingAuditEvent.objects.filter(pk__in=[row.pk for row in pending]).delete()
    return len(pending)


def outbox_drain_all(*, then: Callable[[list[AuditEvent]], None] | None = None) -> int:
    """Drain until the outbox is empty (batch by batch, each its own transaction)."""
    moved = total = outbox_drain(then=then)
    while moved:
        moved = outbox_drain(then=then)
        total += moved
    return total


def _event(fields: dict[str, Any]) -> AuditEvent:
    return AuditEvent(**{**fields, "at": datetime.fromisoformat(fields["at"])})
