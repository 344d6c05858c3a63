from __future__ import annotations

from celery import shared_task

from examdesk.sittings.services import sittings_expire


@shared_task
def sittings_expire_task() -> None:
    """Every 15 minutes from celery beat: closed windows return or extend attempts; lapsed credits expire."""
    sittings_expire()
