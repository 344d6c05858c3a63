from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    """One uploaded candidate file: previewed first (nothing written), then committed or dropped.

    The file itself is kept in private storage; the preview's findings are kept here so the page can
    be shown again without reading the file.
    """

    class Status(models.TextChoices):
        PREVIEWING = "previewing", "Checking the file"
        READY = "ready", "Checked: waiting for your decision"
        COMMITTING = "committing", "Importing"
        COMMITTED = "committed", "Imported"
        CANCELLED = "cancelled", "Not imported"
        FAILED = "failed", "Could not be read"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="import_batches")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_path = models.CharField(max_length=300)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEWING)
    date_order = models.CharField(max_length=3, blank=True, help_text="dmy or mdy, when the person was asked.")
    oneroster_unique_id = models.CharField(
        max_length=10, blank=True, help_text="For a OneRoster package: identifier or username, as the person chose."
    )
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True, help_text="The first problems found, for the page.")
    report_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
