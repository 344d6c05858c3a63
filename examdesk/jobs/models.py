from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Job(models.Model):
    """A long piece of work run by a Celery worker, with progress and, at the end, a private file.

    The row is the truth about the job, not the broker: a worker claims the job with a conditional
    update, keeps `heartbeat_at` fresh while it works and saves `checkpoint` after each chunk. A job
    whose worker died (stale heartbeat) is claimed again and resumes from its checkpoint.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    checkpoint = models.JSONField(default=dict, blank=True)
    result_path = models.CharField(max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    result_url = models.CharField(max_length=300, blank=True, help_text="Where the person goes on from here.")
    attempts = models.PositiveIntegerField(default=0)
    run_token = models.CharField(max_length=100, blank=True, help_text="Which worker run holds the job.")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When the result file stops being offered.")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="jobs_status_heartbeat_idx"),
            models.Index(fields=["owner", "created_at"], name="jobs_owner_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def display_zone(self) -> str:
        if self.centre is not None:
            return self.centre.time_zone
        return str(settings.EXAMDESK_BOARD_TIME_ZONE)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))
