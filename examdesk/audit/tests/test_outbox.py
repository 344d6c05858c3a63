"""The audit outbox: an event deferred by a request is stored at once and reaches the log whole, once, with the
time of its request, whatever happens to a drain part-way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import RequestFactory

from examdesk.audit.models import AuditEvent, PendingAuditEvent
from examdesk.audit.outbox import audit_defer, outbox_drain, outbox_drain_all
from examdesk.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 8, 13, 8, 0, 1, tzinfo=UTC)


def _request():
    return RequestFactory().get("/results/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Browser A")


def test_a_deferred_event_is_stored_at_once_and_reaches_the_log_with_its_own_time():
    user = UserFactory(email="ana@example.org")
    with time_machine.travel(MOMENT, tick=False):
        audit_defer(action=AuditEvent.Action.LOGIN_SUCCEEDED, request=_request(), actor=user, subject=user)
    assert PendingAuditEvent.objects.count() == 1
    assert not AuditEvent.objects.exists()

    with time_machine.travel(MOMENT + timedelta(seconds=5), tick=False):
        assert outbox_drain() == 1
    event = AuditEvent.objects.get()
    assert event.at == MOMENT  # the request's time, not the drain's
    assert (event.action, event.actor_id, event.subject_email) == ("login.succeeded", user.pk, "ana@example.org")
    assert (event.ip_address, event.user_agent) == ("203.0.113.7", "Browser A")
    assert not PendingAuditEvent.objects.exists()


def test_a_drain_that_fails_part_way_leaves_the_whole_batch_for_the_next_and_writes_nothing_twice():
    for number in range(3):
        audit_defer(action=AuditEvent.Action.STATEMENT_DOWNLOADED, data={"entry": number})

    def dies(events):
        assert len(events) == 3  # the events were inserted into the log, in this transaction
        raise RuntimeError("the worker died")

    with pytest.raises(RuntimeError):
        outbox_drain(then=dies)
    assert not AuditEvent.objects.exists()  # rolled back with the transaction
    assert PendingAuditEvent.objects.count() == 3  # still there

    assert outbox_drain() == 3
    assert sorted(event.data["entry"] for event in AuditEvent.objects.all()) == [0, 1, 2]
    assert outbox_drain() == 0  # nothing left, nothing written again
    assert AuditEvent.objects.count() == 3


def test_drains_take_the_oldest_first_in_batches_and_drain_all_empties_the_outbox():
    for number in range(5):
        audit_defer(action=AuditEvent.Action.STATEMENT_DOWNLOADED, data={"entry": number})
    assert outbox_drain(limit=2) == 2
    assert sorted(event.data["entry"] for event in AuditEvent.objects.all()) == [0, 1]
    assert outbox_drain_all() == 3
    assert AuditEvent.objects.count() == 5
    assert not PendingAuditEvent.objects.exists()
