"""Entries, results with their revisions, results files, and the candidate's Results Online registration."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from examdesk.catalogue.grading import ComponentScore
from examdesk.core.models import RecipientEmail


class Entry(models.Model):
    """A candidate at a centre entered for a qualification in a series."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="entries")
    candidate = models.ForeignKey("people.Candidate", on_delete=models.PROTECT, related_name="entries")
    qualification = models.ForeignKey("catalogue.Qualification", on_delete=models.PROTECT, related_name="entries")
    series = models.ForeignKey("catalogue.Series", on_delete=models.PROTECT, related_name="entries")
    release = models.ForeignKey(
        "catalogue.Release",
        on_delete=models.PROTECT,
        related_name="entries",
        help_text="The qualification's release in the series: the one thing the release gate reads.",
    )
    candidate_number = models.CharField(max_length=4, help_text="4 digits, unique in the centre and series.")
    preparation_centre = models.ForeignKey(
        "centres.Centre", on_delete=models.SET_NULL, null=True, blank=True, related_name="prepared_entries"
    )
    verification_code = models.CharField(max_length=14, unique=True, help_text="Printed on the statement.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["series", "qualification", "candidate_number"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "qualification", "series"], name="results_entry_one_per_qualification"
            ),
            models.UniqueConstraint(
                fields=["centre", "series", "qualification", "candidate_number"],
                name="results_entry_unique_candidate_number",
            ),
            models.CheckConstraint(condition=models.Q(candidate_number__regex=r"^[0-9]{4}$"), name="results_number"),
        ]
        indexes = [
            models.Index(fields=["centre", "series", "candidate_number"], name="results_entry_number_idx"),
            models.Index(fields=["preparation_centre", "series"], name="results_entry_prep_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_number} {self.qualification.code} {self.series.name}"


class Result(models.Model):
    """One revision of an entry's result. Exactly one revision per entry is current; the others are history."""

    class Status(models.TextChoices):
        ISSUED = "issued", "Issued"
        PENDING = "pending", "Pending"
        WITHHELD = "withheld", "Withheld"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="results")
    revision = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    component_scores = models.JSONField(
        default=dict, help_text='{component code: {"state": "scored"|"absent"|"exempt", "score": "185"}}'
    )
    overall_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField(max_length=10, blank=True)
    label = models.CharField(max_length=100, blank=True)
    cefr_level = models.CharField("CEFR level", max_length=5, blank=True)
    awards_certificate = models.BooleanField(default=False)
    results_file = models.ForeignKey(
        "results.ResultsFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="results"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "revision"], name="results_result_unique_revision"),
            models.UniqueConstraint(
                fields=["entry"], condition=models.Q(is_current=True), name="results_result_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} r{self.revision}"

    def scores(self) -> dict[str, ComponentScore]:
        return {code: ComponentScore.from_json(value) for code, value in self.component_scores.items()}

    def same_as(self, other: dict[str, Any]) -> bool:
        """Whether a new import row would change nothing (so no new revision is made)."""
        return all(getattr(self, name) == value for name, value in other.items())


class ResultsFile(models.Model):
    """One uploaded results file from the board: previewed first (nothing written), then committed or dropped."""

    class Status(models.TextChoices):
        PREVIEWING = "previewing", "Checking the file"
        READY = "ready", "Checked: waiting for your decision"
        COMMITTING = "committing", "Importing"
        COMMITTED = "committed", "Imported"
        CANCELLED = "cancelled", "Not imported"
        FAILED = "failed", "Could not be read"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey("centres.Board", on_delete=models.CASCADE, related_name="results_files")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    file_path = models.CharField(max_length=300)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEWING)
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True, help_text="The first problems found, for the page.")
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class OnlineRegistration(models.Model):
    """A candidate's key to Results Online: the board's ID number and Secret Number, and the account it opened.

    The Secret Number is never stored: it is derived from the ID number, `secret_version` and the site's secret
    key (see results/keys.py), so a letter can be printed again with the same number, and issuing a new one
    (bumping the version) makes the old letter useless.
    """

    candidate = models.OneToOneField("people.Candidate", on_delete=models.CASCADE, related_name="online_registration")
    id_number = models.CharField("ID number", max_length=12, unique=True)
    secret_version = models.PositiveIntegerField(default=1)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="online_registrations",
    )
    registered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.id_number


class PendingRegistration(models.Model):
    """A registration waiting for its e-mail address to be confirmed. The token is stored hashed."""

    registration = models.ForeignKey(OnlineRegistration, on_delete=models.CASCADE, related_name="pending")
    email = models.EmailField()
    password_hash = models.CharField(max_length=256)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.registration} → {self.email}"


class StatementEmailRun(models.Model):
    """One sending of statements of results by e-mail to a centre's candidates: what was selected, by whom."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="statement_email_runs")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    job = models.OneToOneField(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="statement_email_run"
    )
    selection = models.JSONField(default=dict, blank=True, help_text="The search criteria and any ticked entries.")
    described = models.CharField(max_length=500, blank=True, help_text="What was selected, in words.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["centre", "created_at"], name="results_mailrun_centre_idx")]

    def __str__(self) -> str:
        return f"Statement e-mails {self.created_at:%Y-%m-%d %H:%M} ({self.centre_id})"


class StatementEmail(RecipientEmail):
    """One selected entry in a run: its statement e-mailed to the candidate, or skipped with the reason.

    `status` records what the run did (waiting, queued, skipped); once queued, delivery (sent, or failed with
    the mail system's reason) is the outbound e-mail's own status, read through `email`.
    """

    run = models.ForeignKey(StatementEmailRun, on_delete=models.CASCADE, related_name="emails")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")

    class Meta(RecipientEmail.Meta):
        constraints = [models.UniqueConstraint(fields=["run", "entry"], name="results_mail_one_per_entry")]
        indexes = [models.Index(fields=["run", "status"], name="results_mail_run_status_idx")]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.address or '(no address)'} ({self.status})"
