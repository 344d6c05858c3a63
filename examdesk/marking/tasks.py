from __future__ import annotations

from typing import Any

from celery import shared_task

from examdesk.marking.services import marking_sweep, section_mark, section_mark_failed

MARKING_RETRIES = 6


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MARKING_RETRIES,
)
def mark_section_task(self: Any, attempt_section_id: int) -> None:
    """Mark one submitted section. On failure the error is kept on its score row and Celery tries again with
    backoff (5 s, 10 s, 20 s … up to 10 minutes); after the tries the beat sweep picks it up."""
    try:
        section_mark(attempt_section_id=attempt_section_id)
    except Exception as error:
        section_mark_failed(attempt_section_id=attempt_section_id, error=error)
        raise


@shared_task
def marking_sweep_task() -> None:
    """Every 5 minutes from celery beat: re-run marking that is stuck or failed."""
    marking_sweep()
