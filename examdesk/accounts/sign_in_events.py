"""What a successful sign-in leaves behind, off the request path: its audit event and the account's `last_login`.

A candidate's sign-in (`login_attempt(outbox=True)`, Results Online) writes its audit event to the outbox
(examdesk.audit.outbox) in the request and does not update `last_login` there: the Celery task that drains the
outbox sets it from the event, in the same transaction that writes the event into the log, so the one cannot be
lost without the other. Every other way of signing in (staff, a completed password reset, an accepted
invitation) keeps the event written at once and Django's own `last_login` update.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import update_last_login
from django.http import HttpRequest

from examdesk.accounts.models import User
from examdesk.audit.models import AuditEvent

_DEFERRED = "_examdesk_last_login_from_outbox"


def last_login_from_outbox(request: HttpRequest) -> None:
    """Before `login()`: this sign-in's `last_login` comes from its outbox event, not from an UPDATE now."""
    setattr(request, _DEFERRED, True)


def last_login_update(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Replaces Django's `update_last_login` receiver of `user_logged_in` (examdesk.accounts.apps): the same,
    except for a sign-in whose event carries it."""
    if request is not None and getattr(request, _DEFERRED, False):
        return
    update_last_login(sender, user, **kwargs)


def last_logins_from(events: list[AuditEvent]) -> None:
    """Inside the outbox drain: each signed-in account's `last_login` becomes its latest sign-in, never earlier."""
    latest: dict[int, datetime] = {}
    for event in events:
        if event.action == AuditEvent.Action.LOGIN_SUCCEEDED and event.subject_user_id is not None:
            previous = latest.get(event.subject_user_id)
            latest[event.subject_user_id] = event.at if previous is None else max(previous, event.at)
    if not latest:
        return
    changed = [
        User(pk=pk, last_login=latest[pk])
        for pk, current in User.objects.filter(pk__in=latest).values_list("pk", "last_login")
        if current is None or current < latest[pk]
    ]
    User.objects.bulk_update(changed, ["last_login"], batch_size=500)
