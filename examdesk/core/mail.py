"""E-mail: queued by services after commit, sent by a Celery task, written to files when there is no SMTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from examdesk.core.models import OutboundEmail


class EmlFileBackend(BaseEmailBackend):
    """The embedded default: each message becomes one `.eml` file in EMAIL_FILE_PATH (var/mail/)."""

    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            target = self.path / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            temporary = target.with_suffix(".tmp")
            temporary.write_bytes(message.message().as_bytes())
            temporary.rename(target)  # readers never see a half-written file
            sent += 1
        return sent


def email_queue(*, to: str, subject: str, body: str) -> OutboundEmail:
    """Record an e-mail and send it from a task once the surrounding transaction commits."""
    from examdesk.core.tasks import email_send_task

    email = OutboundEmail.objects.create(to=to, subject=subject, body=body)
    transaction.on_commit(lambda: email_send_task.delay(email.pk))
    return email


def email_send(*, email_id: int) -> None:
    """Send one queued e-mail; a repeated call for a sent message does nothing.

    A failure is recorded on the row and raised, so the task retries; the row stays queued until sent.
    """
    failure: Exception | None = None
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutboundEmail.Status.QUEUED:
            return
        message = EmailMessage(subject=email.subject, body=email.body, to=[email.to])
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - recorded on the row, raised again below
            failure = error
            email.error = str(error)[:2000]
            email.save(update_fields=["error"])
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.body = ""
            email.error = ""
            email.save(update_fields=["status", "sent_at", "body", "error"])
    if failure is not None:
        raise failure
