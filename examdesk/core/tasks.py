from __future__ import annotations

from typing import Any

from celery import shared_task

from examdesk.core.mail import email_fail, email_send, is_permanent

#: Tries after the first one, and the waits before them: about 17 minutes in all before a message is failed.
EMAIL_RETRIES = 5
EMAIL_RETRY_SECONDS = (10, 30, 90, 270, 600)


@shared_task(bind=True, max_retries=EMAIL_RETRIES)
def email_send_task(self: Any, email_id: int) -> None:
    """Send one e-mail; try again later when the mail system is unavailable, and mark it failed when trying
    again cannot help (a permanent refusal) or the tries are used up."""
    try:
        email_send(email_id=email_id)
    except Exception as error:
        retries = int(self.request.retries or 0)
        if is_permanent(error) or retries >= EMAIL_RETRIES:
            email_fail(email_id=email_id)
            return
        raise self.retry(
            exc=error, countdown=EMAIL_RETRY_SECONDS[min(retries, len(EMAIL_RETRY_SECONDS) - 1)]
        ) from error
