"""Marks of each submitted section (per item, with staff overrides) and the response codes staff received.

A section's `SectionScore` is written when the section is submitted (nothing marked yet), filled in by the
marking task (raw and max, `marked_at`) or given the `error` that stopped it. Its `raw` is always the sum of its
items' `ItemMark.awarded`, and `awarded` is the staff override when there is one, else what the rules gave.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models


class SectionScore(models.Model):
    attempt_section = models.OneToOneField("sittings.AttemptSection", on_delete=models.CASCADE, related_name="score")
    raw = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    max = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    marked_at = models.DateTimeField(null=True, blank=True, help_text="Empty until the section is marked.")
    error = models.CharField(max_length=500, blank=True, help_text="Why marking last failed; empty when not.")
    tries = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When marking was last asked for.")

    class Meta:
        indexes = [models.Index(fields=["marked_at"], name="marking_score_marked_idx")]

    def __str__(self) -> str:
        return f"{self.attempt_section_id}: {self.raw}/{self.max}"

    @property
    def is_marked(self) -> bool:
        return self.marked_at is not None and not self.error


class ItemMark(models.Model):
    attempt_section = models.ForeignKey("sittings.AttemptSection", on_delete=models.CASCADE, related_name="marks")
    item = models.ForeignKey("catalogue.Item", on_delete=models.PROTECT, related_name="+")
    answer = models.JSONField(null=True, blank=True, help_text="The answer marked (None when unanswered).")
    auto_awarded = models.DecimalField(max_digits=5, decimal_places=2)
    max = models.DecimalField(max_digits=5, decimal_places=2)
    override = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    override_reason = models.CharField(max_length=500, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField(help_text="When the rules last marked it.")

    class Meta:
        ordering = ["attempt_section", "item__position", "item_id"]
        constraints = [models.UniqueConstraint(fields=["attempt_section", "item"], name="marking_item_mark_once")]

    def __str__(self) -> str:
        return f"{self.attempt_section_id}/{self.item_id}: {self.awarded}/{self.max}"

    @property
    def awarded(self) -> Decimal:
        return self.override if self.override is not None else self.auto_awarded


class Ingestion(models.Model):
    """One response code staff pasted or uploaded, and what became of it."""

    class Outcome(models.TextChoices):
        INGESTED = "ingested", "Received and marked"
        ALREADY_RECEIVED = "already_received", "Already received"
        ALREADY_ONLINE = "already_online", "Already received online"
        REFUSED = "refused", "Refused"

    sitting = models.ForeignKey("sittings.Sitting", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, help_text="SHA-256 of the code's checked bytes.")
    attempt_section = models.ForeignKey(
        "sittings.AttemptSection", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=500, blank=True)
    answers_written = models.PositiveIntegerField(default=0)
    made_at = models.DateTimeField(
        null=True, blank=True, help_text="When the device made the code, by its clock (codes of older players: none)."
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_hash"], condition=models.Q(outcome="ingested"), name="marking_code_ingested_once"
            )
        ]
        indexes = [models.Index(fields=["code_hash"], name="marking_ingestion_hash_idx")]

    def __str__(self) -> str:
        return f"{self.code_hash[:12]} {self.outcome}"
