"""Credits (allocations and their append-only ledger), sittings, attempts with access codes, extra measures.

The ledger is the only truth about credits. Each row moves a signed quantity on one allocation:

    allocated   +q   board staff gave the centre q credits (the allocation row itself)
    reserved    −c   a sitting took c credits for one candidate (c = the product's credits per candidate)
    used         0   the candidate entered their code: the reserved credit is spent (a marker)
    returned    +c   the window closed and the candidate never started, or they were taken off the sitting
    recredited  +c   staff voided an unreliable attempt and gave its credit back
    extended     0   the window closed part-way through: 30 more days on the same code (a marker)
    expired      0   an attempt's extra days passed: nothing comes back (a marker)
    expired     −n   an allocation passed its expiry date with n credits left: they lapse

An allocation's balance is the sum of its rows' quantities; credits can be spent only while the allocation has
not expired (the end of `expires_on` in the centre's time zone). Rows are never changed or deleted: model
guards refuse it here and database triggers refuse it underneath (migration 0002), as for the audit log.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, ClassVar, NoReturn
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

from examdesk.people.models import Arrangements

APPEND_ONLY = "The credit ledger is append-only: rows are never changed or deleted."


class Allocation(models.Model):
    """Credits the board gave a centre for one product, usable until the end of `expires_on` (centre's zone)."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="credit_allocations")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="allocations")
    quantity = models.PositiveIntegerField()
    expires_on = models.DateField(help_text="The credits can be used until the end of this day, centre's time.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires_on", "id"]
        indexes = [models.Index(fields=["centre", "product", "expires_on"], name="sittings_alloc_idx")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id} until {self.expires_on}"

    @property
    def expires_at(self) -> datetime:
        """The first moment the credits can no longer be used: midnight after `expires_on`, centre's zone."""
        return datetime.combine(self.expires_on + timedelta(days=1), time(0), ZoneInfo(self.centre.time_zone))

    def is_expired(self, at: datetime) -> bool:
        return at >= self.expires_at


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise PermissionError(APPEND_ONLY)


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        ALLOCATED = "allocated", "Allocated"
        RESERVED = "reserved", "Reserved for a sitting"
        USED = "used", "Used (code entered)"
        RETURNED = "returned", "Returned"
        RECREDITED = "recredited", "Re-credited by staff"
        EXTENDED = "extended", "Extended 30 days"
        EXPIRED = "expired", "Expired"

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="+")
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    quantity = models.IntegerField()
    sitting = models.ForeignKey("Sitting", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    attempt = models.ForeignKey("Attempt", on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(db_index=True)

    objects: ClassVar[models.Manager[LedgerEntry]] = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["centre", "at"], name="sittings_ledger_centre_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)


class Sitting(models.Model):
    """One product taken by chosen candidates within a window (from `opens_at` to `closes_at`)."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="sittings")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="sittings")
    name = models.CharField(max_length=200)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Attempt(models.Model):
    """One candidate's go at a sitting, entered with their access code."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        MARKING = "marking", "Marking"
        COMPLETED = "completed", "Completed"
        EXPIRED = "expired", "Expired"
        VOID = "void", "Void"

    VALID_STATES: ClassVar[tuple[str, ...]] = (State.NOT_STARTED, State.IN_PROGRESS)

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="attempts")
    candidate = models.ForeignKey("people.Candidate", on_delete=models.PROTECT, related_name="attempts")
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="attempts")
    code = models.CharField(max_length=10, help_text="Stored without dashes; shown grouped (KQ7M-X4TR-9P).")
    state = models.CharField(max_length=12, choices=State.choices, default=State.NOT_STARTED)
    started_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    extended_until = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When it expired or was voided.")
    void_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["candidate__last_name", "candidate__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(state__in=["not_started", "in_progress"]),
                name="sittings_attempt_code_unique_while_valid",
            ),
            models.UniqueConstraint(
                fields=["sitting", "candidate"],
                condition=~models.Q(state="void"),
                name="sittings_attempt_one_per_candidate",
            ),
        ]
        indexes = [models.Index(fields=["code"], name="sittings_attempt_code_idx")]

    def __str__(self) -> str:
        return f"{self.sitting_id}/{self.candidate_id} {self.state}"

    @property
    def grouped_code(self) -> str:
        from examdesk.sittings.codes import group

        return group(self.code)

    def valid_until(self) -> datetime:
        return self.extended_until or self.sitting.closes_at


class AttemptSection(models.Model):
    """How far an attempt is through one section (filled in by the test player)."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey("catalogue.Section", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.NOT_STARTED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(
        max_length=20, blank=True, help_text="Issued when the section starts; binds response codes to the attempt."
    )
    time_used_seconds = models.FloatField(
        default=0, help_text="Time counted by the player's rule: each save or heartbeat adds its gap, at most 60 s."
    )
    last_tick_at = models.DateTimeField(null=True, blank=True, help_text="The last save or heartbeat counted.")

    class Meta:
        ordering = ["attempt", "section__position", "id"]
        constraints = [models.UniqueConstraint(fields=["attempt", "section"], name="sittings_attempt_section_once")]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.section_id} {self.state}"


class MeasureValue(models.Model):
    """A value staff recorded by hand for an attempt: a number in its range, an evidence file or a comment."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="measures")
    measure = models.ForeignKey("catalogue.MeasureDefinition", on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    file_path = models.CharField(max_length=300, blank=True, help_text="In private storage.")
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=40, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "measure"], name="sittings_measure_once")]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.measure_id}"


class AttemptArrangements(Arrangements):
    """Access arrangements for this one sitting, instead of the candidate's own (people.CandidateArrangements)."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="arrangements")

    def __str__(self) -> str:
        return f"Arrangements of attempt {self.attempt_id}"
