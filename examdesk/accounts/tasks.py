from __future__ import annotations

from celery import shared_task

from examdesk.accounts import lockout


@shared_task
def lockout_attempts_expired_delete_task() -> None:
    lockout.attempts_expired_delete()
