from __future__ import annotations

from django.db import models


class OutboundEmail(models.Model):
    """One e-mail to one person: queued in the transaction that caused it, sent by a task after commit.

    The body is kept only until the message is handed to the mail system, because it may carry a
    one-time link; the row stays as the delivery record. Attachments (e.g. a statement of results) wait in
    private storage, referenced by `attachments`, and are deleted once the message is sent or has failed
    for good. A message the mail system keeps refusing is marked failed, with the reason, after its retries.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text='[{"name": …, "content_type": …, "path": in private storage (until sent)}]'
    )
    attempts = models.PositiveIntegerField(default=0, help_text="How many times sending was tried.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="core_email_status_idx")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"


class RecipientEmail(models.Model):
    """One recipient of a run that e-mails many people their own document (a statement, a login letter).

    The run lists every recipient once (waiting), then decides each row once: queued with the e-mail, or skipped
    with the reason. Once queued, delivery is the outbound e-mail's own status (sent, or failed with the mail
    system's reason after its retries). The concrete models add the run and the recipient
    (`examdesk.core.recipient_emails` runs them).
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    address = models.EmailField(blank=True)
    email = models.ForeignKey("core.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["id"]
