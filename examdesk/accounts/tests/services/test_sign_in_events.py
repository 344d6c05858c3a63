"""A candidate's sign-in: its audit event and last_login off the request path, through the outbox and the Celery
drain. The answer is given with the event already stored, so a crash between the answer and the log loses
nothing. Staff sign-ins are in the log at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
import time_machine
from django.contrib.auth import login
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import Client, RequestFactory

from examdesk.accounts.models import User
from examdesk.accounts.services import login_attempt
from examdesk.accounts.sign_in_events import last_logins_from
from examdesk.accounts.tasks import audit_outbox_drain_task
from examdesk.audit.models import AuditEvent, PendingAuditEvent
from examdesk.audit.outbox import outbox_drain
from examdesk.core.tests.factories import PASSWORD, UserFactory
from examdesk.results.tests.online.helpers import registered, registrant

MOMENT = datetime(2026, 8, 13, 8, 0, 1, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)  # autocommit, as in production: what is stored is committed
def test_a_crash_between_the_answer_and_the_log_loses_no_sign_in():
    user = registered(registrant(released_at=MOMENT - timedelta(hours=1)))
    browser = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Browser A")
    with (
        time_machine.travel(MOMENT, tick=False),
        patch("examdesk.accounts.tasks.audit_outbox_drain_task.apply_async") as message,
    ):
        response = browser.post("/results/sign-in/", {"identifier": user.email, "password": PASSWORD})
    assert response.status_code == 302  # the answer: signed in
    assert not message.called  # the event does not hang on a message sent after the answer
    assert not connection.in_atomic_block  # nothing left uncommitted behind the answer
    # The web process dies here: no worker has run. The event is already stored, next to the log:
    pending = PendingAuditEvent.objects.get()
    assert pending.fields["action"] == AuditEvent.Action.LOGIN_SUCCEEDED
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_SUCCEEDED).exists()
    assert User.objects.get(pk=user.pk).last_login is None

    with time_machine.travel(MOMENT + timedelta(minutes=3), tick=False):
        audit_outbox_drain_task()  # the next drain, in any worker, after the restart
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_SUCCEEDED)
    assert (event.at, event.subject_user_id, event.ip_address, event.user_agent) == (
        MOMENT,
        user.pk,
        "203.0.113.7",
        "Browser A",
    )
    assert User.objects.get(pk=user.pk).last_login == MOMENT
    assert not PendingAuditEvent.objects.exists()


def _candidate_signs_in(user: User) -> None:
    request = RequestFactory().post("/results/sign-in/", REMOTE_ADDR="203.0.113.7")
    SessionMiddleware(lambda r: None).process_request(request)
    assert login_attempt(request=request, email=user.email, password=PASSWORD, outbox=True).user == user


@pytest.mark.django_db
def test_a_drain_that_dies_setting_last_login_writes_neither_and_the_next_writes_both_once():
    user = UserFactory(email="ana@example.org")
    with time_machine.travel(MOMENT, tick=False):
        _candidate_signs_in(user)

    def dies(events):
        last_logins_from(events)
        raise RuntimeError("the worker died")

    with pytest.raises(RuntimeError):
        outbox_drain(then=dies)
    assert User.objects.get(pk=user.pk).last_login is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_SUCCEEDED).exists()

    audit_outbox_drain_task()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_SUCCEEDED).count() == 1
    assert User.objects.get(pk=user.pk).last_login == MOMENT


@pytest.mark.django_db
def test_last_login_is_the_latest_sign_in_and_never_goes_back():
    ana, ben = UserFactory(email="ana@example.org"), UserFactory(email="ben@example.org")
    for moment in (MOMENT + timedelta(minutes=2), MOMENT):  # two sign-ins of Ana, the later one first
        with time_machine.travel(moment, tick=False):
            _candidate_signs_in(ana)
    with time_machine.travel(MOMENT, tick=False):
        _candidate_signs_in(ben)
    User.objects.filter(pk=ben.pk).update(last_login=MOMENT + timedelta(hours=1))  # signed in again since, at once

    audit_outbox_drain_task()
    assert User.objects.get(pk=ana.pk).last_login == MOMENT + timedelta(minutes=2)
    assert User.objects.get(pk=ben.pk).last_login == MOMENT + timedelta(hours=1)


@pytest.mark.django_db
def test_other_ways_of_signing_in_keep_djangos_last_login_at_once():
    user = UserFactory(email="ana@example.org")
    request = RequestFactory().post("/accounts/reset/done/")
    SessionMiddleware(lambda r: None).process_request(request)
    with time_machine.travel(MOMENT, tick=False):
        login(request, user, backend="examdesk.accounts.backends.EmailBackend")
    assert User.objects.get(pk=user.pk).last_login == MOMENT
    assert not PendingAuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_staff_sign_in_is_in_the_log_at_once_with_last_login():
    user = UserFactory(email="ana@example.org")
    with time_machine.travel(MOMENT, tick=False):
        response = Client().post("/account/login/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_SUCCEEDED, subject_user_id=user.pk).exists()
    assert User.objects.get(pk=user.pk).last_login == MOMENT
    assert not PendingAuditEvent.objects.exists()
