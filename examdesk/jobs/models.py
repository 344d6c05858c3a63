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
    shared_with = models.CharField(
        max_length=40,
        blank=True,
        help_text="A capability at the job's centre: staff holding it may open the job and its files "
        "(and only they: the owner too must hold it). Empty: the owner and the centre's admins.",
    )
    report = models.JSONField(
        default=dict,
        blank=True,
        help_text='What the job page shows when the job has finished: {"caption", "columns", "rows", "total"}.',
    )

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


class JobFile(models.Model):
    """One more file a job offers for download, beside (or instead of) its result file."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    key = models.SlugField(max_length=40, help_text="Names the file in its download address.")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200, help_text="What the download link says.")
    name = models.CharField(max_length=200, help_text="The file name the person downloads.")
    content_type = models.CharField(max_length=100)
    path = models.CharField(max_length=300)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="jobs_file_one_per_key")]

    def __str__(self) -> str:
        return self.name


class JobPart(models.Model):
    """One part of a job that several worker processes share out: each part is claimed by one run at a time
    (a stale heartbeat frees it again) and finished once, with what it made in `data`."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    run_token = models.CharField(max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="When the run that finished it took it.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="jobs_part_one_per_index")]

    def __str__(self) -> str:
        return f"Part {self.index} of {self.job_id} ({self.status})"
