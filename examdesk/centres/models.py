from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from examdesk.core import languages

TIME_ZONE_CHOICES = sorted((zone, zone) for zone in zoneinfo.available_timezones() if "/" in zone)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/London.")


class Board(models.Model):
    """The awarding body that runs the platform."""

    name = models.CharField(max_length=200, unique=True)
    time_zone = models.CharField(max_length=64, default="Europe/London", validators=[validate_time_zone])

    def __str__(self) -> str:
        return self.name


class Centre(models.Model):
    """An exam centre or a preparation centre: the tenant boundary."""

    class Kind(models.TextChoices):
        EXAM = "exam", "Exam centre"
        PREPARATION = "preparation", "Preparation centre"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="centres")
    number = models.CharField(
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{3,10}$", "Use 3 to 10 capital letters or digits, e.g. 10001.")],
        help_text="The centre number the board gave the centre.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.EXAM)
    country = models.CharField(
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Use the two-letter ISO country code, e.g. GB.")],
        help_text="ISO 3166-1 alpha-2 code.",
    )
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    # Documents and e-mails to the centre's candidates are in this language unless a candidate chose another.
    language = models.CharField(
        max_length=10,
        choices=languages.CHOICES,
        default=languages.ENGLISH,
        # In the database too: rows written by code that predates the field (a migration's old model) get English.
        db_default=languages.ENGLISH,
        help_text="The language of candidates' letters, statements and e-mails, unless a candidate chose another.",
    )
    exam_centres = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="preparation_centres",
        limit_choices_to={"kind": Kind.EXAM},
        help_text="For a preparation centre: the exam centres its candidates sit at.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Role(models.TextChoices):
    CENTRE_ADMIN = "centre_admin", "Centre admin"
    EXAMS_OFFICER = "exams_officer", "Exams officer"
    TEACHER = "teacher", "Teacher"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    """A person's role at a centre. One person may hold several roles, at several centres."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "centre", "role"], name="centres_membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.centre.number}"


class BoardMembership(models.Model):
    """Board staff: manage centres, qualifications and results for every centre of the board."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_memberships")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="staff")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "board"], name="centres_board_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — board staff at {self.board}"


class Invitation(models.Model):
    """An invitation to a role at a centre, for someone without an account yet.

    Only a hash of the token is kept; the link in the e-mail is the only copy of the token.
    """

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.centre.number} as {self.role}"
