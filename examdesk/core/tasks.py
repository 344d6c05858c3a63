from __future__ import annotations

from celery import shared_task

from examdesk.core.mail import email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send_task(email_id: int) -> None:
    email_send(email_id=email_id)
