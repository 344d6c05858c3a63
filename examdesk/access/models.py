"""Which of a centre's candidates may use Results Online, whom they ask, and the logins made for them.

Access is never stored per candidate as a flag: it is derived, at every sign-in and page view, from the centre's
mode and (for "selected") its selection. Moving to "none" or deselecting a candidate takes effect at once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from examdesk.core.models import RecipientEmail


class ResultsAccess(models.Model):
    """A centre's choice: no candidates, all of them, or those selected; and the contact printed on letters."""

    class Mode(models.TextChoices):
        NONE = "none", "No candidates"
        ALL = "all", "All candidates"
        SELECTED = "selected", "Selected candidates"

    centre = models.OneToOneField("centres.Centre", on_delete=models.CASCADE, related_name="results_access")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.NONE)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    queries_confirmed = models.BooleanField(
        default=False, help_text="The centre said it will deal with candidates' queries."
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.centre_id}: {self.get_mode_display()}"

    @property
    def contact(self) -> str:
        """The contact as printed on letters and refusals: name, phone, e-mail."""
        parts = [part for part in (self.contact_name, self.contact_phone, self.contact_email) if part]
        return ", ".join(parts)


class SelectedCandidate(models.Model):
    """A candidate the centre selected (used when the mode is "selected")."""

    access = models.ForeignKey(ResultsAccess, on_delete=models.CASCADE, related_name="selected")
    candidate = models.ForeignKey("people.Candidate", on_delete=models.CASCADE, related_name="+")
    selected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["access", "candidate"], name="access_selected_once")]

    def __str__(self) -> str:
        return f"{self.access_id} → {self.candidate_id}"


class LetterRun(models.Model):
    """One making of login letters: for candidates in scope who had none, or for chosen candidates again.

    The files (one PDF with a page per candidate and a zip of single PDFs) hold passwords: they are private,
    downloaded only by the centre's admins and exams officers, and deleted after the retention period.
    """

    class Kind(models.TextChoices):
        NEW = "new", "New logins"
        REGENERATE = "regenerate", "New passwords"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="letter_runs")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    job = models.OneToOneField("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NEW)
    candidate_ids = models.JSONField(default=list, blank=True, help_text="Who the run makes letters for.")
    letters = models.PositiveIntegerField(default=0)
    members = models.JSONField(default=dict, blank=True, help_text="Each candidate's file name in the zip.")
    pdf_path = models.CharField(max_length=300, blank=True)
    zip_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When the files are deleted.")
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["centre", "created_at"], name="access_run_centre_idx")]

    def __str__(self) -> str:
        return f"Letters {self.created_at:%Y-%m-%d %H:%M} ({self.centre_id})"

    @property
    def has_files(self) -> bool:
        return bool(self.pdf_path) and self.deleted_at is None


class CandidateCredential(models.Model):
    """A candidate's generated login. Only the password's hash is kept, on the login account (`user`)."""

    candidate = models.OneToOneField("people.Candidate", on_delete=models.CASCADE, related_name="results_credential")
    username = models.CharField(max_length=40, unique=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="results_credential")
    must_change_password = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    regenerated_at = models.DateTimeField(null=True, blank=True)
    letter_run = models.ForeignKey(LetterRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    letter_issued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.username


class LetterEmail(RecipientEmail):
    """A candidate's letter e-mailed from a run, or skipped with the reason; delivery is the e-mail's own."""

    run = models.ForeignKey(LetterRun, on_delete=models.CASCADE, related_name="emails")
    candidate = models.ForeignKey("people.Candidate", on_delete=models.CASCADE, related_name="+")

    class Meta(RecipientEmail.Meta):
        constraints = [models.UniqueConstraint(fields=["run", "candidate"], name="access_letter_email_once")]

    def __str__(self) -> str:
        return f"{self.candidate_id} → {self.address or '(no address)'} ({self.status})"
