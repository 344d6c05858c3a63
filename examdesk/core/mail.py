"""E-mail: queued by services after commit, sent by a Celery task, written to files when there is no SMTP.

A message may carry attachments (a statement of results, say): they wait in private storage until the message
is handed to the mail system, then they are deleted. A message that cannot be sent is tried again a few times
(core/tasks.py) and then marked failed with a readable reason, so whoever queued it can show what happened.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from examdesk.core.models import OutboundEmail

log = logging.getLogger(__name__)

ATTACHMENT_FOLDER = "mail"


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    content_type: str = "application/octet-stream"


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


def email_queue(*, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()) -> OutboundEmail:
    """Record an e-mail and send it from a task once the surrounding transaction commits.

    Attachments are stored in private storage now, in the caller's transaction; the row references them.
    """
    from examdesk.core.tasks import email_send_task

    if to.strip().lower().endswith(".invalid"):
        # RFC 2606 reserves .invalid: generated candidate logins use it, and nothing addressed there may leave.
        return OutboundEmail.objects.create(
            to=to,
            subject=subject,
            body="",
            status=OutboundEmail.Status.FAILED,
            failed_at=timezone.now(),
            error="Not sent: the address is an internal one that cannot receive e-mail.",
        )
    stored: list[dict[str, Any]] = []
    if attachments:
        storage = storages["private"]
        folder = f"{ATTACHMENT_FOLDER}/{uuid.uuid4().hex}"
        for index, attachment in enumerate(attachments):
            path = storage.save(f"{folder}/{index}", ContentFile(attachment.content))
            stored.append(
                {
                    "name": attachment.name,
                    "content_type": attachment.content_type,
                    "size": len(attachment.content),
                    "path": path,
                }
            )
    email = OutboundEmail.objects.create(to=to, subject=subject, body=body, attachments=stored)
    transaction.on_commit(lambda: email_send_task.delay(email.pk))
    return email


def _message(email: OutboundEmail) -> EmailMessage:
    message = EmailMessage(subject=email.subject, body=email.body, to=[email.to])
    storage = storages["private"]
    for item in email.attachments:
        with storage.open(item["path"], "rb") as handle:
            message.attach(item["name"], handle.read(), item.get("content_type") or None)
    return message


def _release_attachments(email: OutboundEmail) -> None:
    """Forget the stored files (once the transaction commits); the names stay on the row as the record."""
    paths = [item["path"] for item in email.attachments if item.get("path")]
    email.attachments = [{**item, "path": ""} for item in email.attachments]

    def delete() -> None:
        storage = storages["private"]
        for path in paths:
            try:
                storage.delete(path)
            except OSError:  # a file that is already gone is what we wanted
                log.warning("Could not delete the e-mail attachment %s", path)

    if paths:
        transaction.on_commit(delete)


def describe_failure(error: BaseException) -> str:
    """What went wrong, in words a centre can act on."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{code} {_text(reply)}" for code, reply in error.recipients.values())
        return f"The mail server refused the address: {answers}"[:2000]
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server answered {error.smtp_code} {_text(error.smtp_error)}"[:2000]
    if isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException):
        return f"Could not reach the mail server: {error}"[:2000]
    return (str(error) or type(error).__name__)[:2000]


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def is_permanent(error: BaseException) -> bool:
    """Whether trying again cannot help: the server refused for good (5xx), or the message itself is wrong."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return not isinstance(error, OSError)


def email_send(*, email_id: int) -> None:
    """Send one queued e-mail; a repeated call for a sent or failed message does nothing.

    A failure is recorded on the row (the reason and the attempt) and raised, so the task can try again;
    the row stays queued until it is sent or `email_fail` gives up on it.
    """
    failure: Exception | None = None
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutboundEmail.Status.QUEUED:
            return
        email.attempts += 1
        try:
            _message(email).send()
        except Exception as error:  # noqa: BLE001 - recorded on the row, raised again below
            failure = error
            email.error = describe_failure(error)
            email.save(update_fields=["error", "attempts"])
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.body = ""
            email.error = ""
            _release_attachments(email)
            email.save(update_fields=["status", "sent_at", "body", "error", "attempts", "attachments"])
    if failure is not None:
        raise failure


def email_fail(*, email_id: int, error: BaseException | None = None) -> None:
    """Give up on a queued e-mail: it is marked failed with its last reason, and its attachments are deleted."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutboundEmail.Status.QUEUED:
            return
        email.status = OutboundEmail.Status.FAILED
        email.failed_at = timezone.now()
        if error is not None:
            email.error = describe_failure(error)
        email.error = email.error or "The message could not be sent."
        email.body = ""
        _release_attachments(email)
        email.save(update_fields=["status", "failed_at", "error", "body", "attachments"])
    log.warning("E-mail %s to %s failed for good: %s", email_id, email.to, email.error)
