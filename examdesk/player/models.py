"""The test player's records: answers (one row per attempt section and item, keeping the save with the highest
sequence number, so a replayed or older save changes nothing), and what invigilators did during the attempt:
pauses and rest breaks (intervals in which the server's clock stands still), time added, irregularities."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Response(models.Model):
    attempt_section = models.ForeignKey("sittings.AttemptSection", on_delete=models.CASCADE, related_name="responses")
    item = models.ForeignKey("catalogue.Item", on_delete=models.PROTECT, related_name="+")
    answer = models.JSONField(
        null=True,
        help_text="single: 'a'; multiple: ['a', 'c']; short_text: 'text'; numeric: '3.5' (as typed); null: cleared.",
    )
    seq = models.PositiveIntegerField(help_text="The player's sequence number of the save, per attempt section.")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["attempt_section", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt_section", "item"], name="player_response_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_section_id}/{self.item_id} #{self.seq}"


class Pause(models.Model):
    """An interval in which the attempt's clock stands still: a supervised rest break the student asked for, or a
    pause by the invigilator. Open while `ended_at` is empty; an attempt has at most one open pause."""

    class Kind(models.TextChoices):
        REST_BREAK = "rest_break", "Rest break"
        INVIGILATOR = "invigilator", "Paused by the invigilator"

    attempt = models.ForeignKey("sittings.Attempt", on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["attempt", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt"], condition=Q(ended_at=None), name="player_pause_one_open")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.kind} {self.started_at:%H:%M}"


class TimeAdded(models.Model):
    """Minutes an invigilator added to one section of an attempt: they raise that section's limit."""

    attempt_section = models.ForeignKey("sittings.AttemptSection", on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=500)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.attempt_section_id} +{self.minutes} min"


class Irregularity(models.Model):
    """Something an invigilator saw during the attempt and wrote down (a noise, a candidate taken ill)."""

    attempt = models.ForeignKey("sittings.Attempt", on_delete=models.CASCADE, related_name="irregularities")
    note = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "irregularities"

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.at:%H:%M}"
