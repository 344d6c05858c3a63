from __future__ import annotations

from celery import shared_task

from examdesk.accounts import lockout
from examdesk.accounts.sign_in_events import last_logins_from
from examdesk.audit.outbox import outbox_drain_all


@shared_task
def lockout_attempts_expired_delete_task() -> None:
    lockout.attempts_expired_delete()


@shared_task
def audit_outbox_drain_task() -> None:
    """Every EXAMDESK_AUDIT_DRAIN_SECONDS: the outbox's events into the audit log, sign-ins' last_login with them."""
    outbox_drain_all(then=last_logins_from)
