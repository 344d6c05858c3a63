"""Answers saved by the test player: one row per attempt section and item, keeping the save with the highest
sequence number (a replayed or older save changes nothing)."""

from __future__ import annotations

from django.db import models


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
