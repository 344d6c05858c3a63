"""API keys, the idempotency records of POSTs, and webhook endpoints with their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiKey(models.Model):
    """A secret an information system sends as `Authorization: Bearer <prefix>.<secret>`.

    Only the SHA-256 of the secret is stored; the prefix finds the row. A centre key acts at its centre, a board key
    (no centre) on the board's resources. It acts in the name of the person who created it, within its scopes, and
    only while that person may still manage the centre (or is still board staff).
    """

    class Access(models.TextChoices):
        NONE = "", "No access"
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    name = models.CharField(max_length=100)
    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.CASCADE, null=True, blank=True, related_name="api_keys"
    )
    board = models.ForeignKey("centres.Board", on_delete=models.CASCADE, related_name="api_keys")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys")
    #: resource family → "read" or "write" (examdesk.api.keys.CENTRE_FAMILIES / BOARD_FAMILIES)
    scopes = models.JSONField(default=dict)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class IdempotencyRecord(models.Model):
    """The answer to a POST sent with an `Idempotency-Key`: a retry with the same body gets it again."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty while the first one runs.")
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "key"], name="api_idempotency_unique_key")]

    def __str__(self) -> str:
        return f"{self.api_key_id}:{self.key}"


class Webhook(models.Model):
    """An HTTPS endpoint of a centre that is told about events; signed with a secret shown once."""

    class Event(models.TextChoices):
        RESULTS_RELEASED = "results.released", "Results released for the centre"
        SITTING_COMPLETED = "sitting.completed", "Sitting completed"
        IMPORT_FINISHED = "import.finished", "Candidate import finished"

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100, help_text="Signs deliveries (HMAC-SHA256); shown once.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one endpoint; retried with backoff until it answers 2xx."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    dedupe_key = models.CharField(max_length=100, help_text="The event's identity: recorded once per endpoint.")
    payload = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["webhook", "dedupe_key"], name="api_webhook_delivery_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id}"
