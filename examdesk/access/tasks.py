from __future__ import annotations

from celery import shared_task

from examdesk.access.letters import letters_expired_delete


@shared_task
def letters_expired_delete_task() -> None:
    """Hourly from celery beat: login letters past their retention period are deleted."""
    letters_expired_delete()
