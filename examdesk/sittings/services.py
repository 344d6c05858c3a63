"""Credits, sittings, attempts and their expiry. Every change of credit writes ledger rows (see models.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.models import MeasureDefinition, Product
from examdesk.centres.models import Centre
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now as current_time
from examdesk.documents.layout import format_date
from examdesk.people.models import Candidate
from examdesk.sittings import codes
from examdesk.sittings.models import Allocation, Attempt, AttemptSection, LedgerEntry, MeasureValue, Sitting
from examdesk.sittings.selectors import allocation_balances

EXTENSION = timedelta(days=30)
CODE_TRIES = 8
TAKEN_OFF = "Taken off the sitting before it started"
Kind = LedgerEntry.Kind


# --- Credits --------------------------------------------------------------------------------------------------


def no_credit_message(*, centre: Centre) -> str:
    return f"Your centre has no credits for any assessment: ask {centre.board.name} for credits."


def allocation_create(
    *, actor: Any, centre: Centre, product: Product, quantity: int, expires_on: date, request: HttpRequest | None = None
) -> Allocation:
    if product.board_id != centre.board_id:
        raise ApplicationError("This assessment belongs to another board.", field="product")
    if quantity < 1:
        raise ApplicationError("Enter at least 1 credit.", field="quantity")
    today = current_time().astimezone(ZoneInfo(centre.time_zone)).date()
    if expires_on < today:
        raise ApplicationError("The expiry date must be today or later.", field="expires_on")
    with transaction.atomic():
        allocation = Allocation.objects.create(
            centre=centre, product=product, quantity=quantity, expires_on=expires_on, created_by=actor
        )
        LedgerEntry.objects.create(
            centre=centre,
            product=product,
            allocation=allocation,
            kind=Kind.ALLOCATED,
            quantity=quantity,
            actor=actor,
            at=current_time(),
        )
        audit_record(
            action=AuditEvent.Action.CREDITS_ALLOCATED,
            request=request,
            actor=actor,
            centre=centre,
            summary=f"{quantity} credits for {product.name} until {format_date(expires_on)}",
            data={"allocation": allocation.pk, "product": product.code, "quantity": quantity},
        )
    return allocation


# --- Sittings ---------------------------------------------------------------------------------------------------


def window(*, centre: Centre, opens_on: date, closes_on: date) -> tuple[datetime, datetime]:
    """A date window in the centre's zone: from the start of the first day to the end of the last."""
    zone = ZoneInfo(centre.time_zone)
    return (
        datetime.combine(opens_on, time(0), zone),
        datetime.combine(closes_on + timedelta(days=1), time(0), zone),
    )


def local_dates(*, sitting: Sitting) -> tuple[date, date]:
    zone = ZoneInfo(sitting.centre.time_zone)
    return sitting.opens_at.astimezone(zone).date(), (sitting.closes_at - timedelta(seconds=1)).astimezone(zone).date()


def _reserve(
    *, actor: Any, centre: Centre, product: Product, sitting: Sitting, candidates: Sequence[Candidate], at: datetime
) -> list[Attempt]:
    """Take credits for each candidate from the allocations expiring soonest. Must run inside a transaction: the
    allocation rows are locked (PostgreSQL) or the IMMEDIATE transaction holds the write lock (SQLite), so two
    sittings made at once can never spend the same credit."""
    need = product.credits_per_candidate
    allocations = list(
        Allocation.objects.select_for_update()
        .filter(centre=centre, product=product, expires_on__gte=at.date() - timedelta(days=1))
        .order_by("expires_on", "id")
    )
    allocations = [a for a in allocations if not a.is_expired(at)]
    for live in allocations:
        live.centre = centre
    left = allocation_balances(allocations=allocations)
    chosen: list[Allocation] = []
    for _candidate in candidates:
        found = next((a for a in allocations if left[a.pk] >= need), None)
        if found is None:
            available = sum(max(0, v) for v in left.values()) + need * len(chosen)
            raise ApplicationError(
                f"Not enough credits: {len(candidates)} candidate{'s' if len(candidates) != 1 else ''} need "
                f"{need * len(candidates)} credits for {product.name} and your centre has {available} left.",
                field="candidates",
            )
        left[found.pk] -= need
        chosen.append(found)
    attempts = []
    for candidate, allocation in zip(candidates, chosen, strict=True):
        attempts.append(_attempt_create(sitting=sitting, candidate=candidate, allocation=allocation))
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            centre=centre,
            product=product,
            allocation=attempt.allocation,
            kind=Kind.RESERVED,
            quantity=-need,
            sitting=sitting,
            attempt=attempt,
            actor=actor,
            at=at,
        )
        for attempt in attempts
    )
    sections = list(product.sections.all())
    AttemptSection.objects.bulk_create(AttemptSection(attempt=a, section=s) for a in attempts for s in sections)
    return attempts


def _attempt_create(*, sitting: Sitting, candidate: Candidate, allocation: Allocation) -> Attempt:
    """A new attempt with a fresh code; a clash with a valid code (about one in 2**45 per pair) draws again."""
    for _ in range(CODE_TRIES):
        try:
            with transaction.atomic():
                return Attempt.objects.create(
                    sitting=sitting, candidate=candidate, allocation=allocation, code=codes.new_code()
                )
        except IntegrityError:
            if Attempt.objects.filter(sitting=sitting, candidate=candidate).exclude(state="void").exists():
                raise
    raise ApplicationError("No free access code could be drawn. Try again.")


def _check_window(centre: Centre, opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise ApplicationError("The last day must be the same as or after the first day.", field="closes_on")
    today = current_time().astimezone(ZoneInfo(centre.time_zone)).date()
    if closes_on < today:
        raise ApplicationError("The last day must be today or later.", field="closes_on")


def sitting_create(
    *,
    actor: Any,
    centre: Centre,
    product: Product,
    name: str,
    opens_on: date,
    closes_on: date,
    candidates: Sequence[Candidate],
    request: HttpRequest | None = None,
) -> Sitting:
    if not candidates:
        raise ApplicationError("Choose at least one candidate, by group or one by one.", field="candidates")
    if any(c.centre_id != centre.pk for c in candidates):
        raise ApplicationError("Choose candidates of this centre.", field="candidates")
    _check_window(centre=centre, opens_on=opens_on, closes_on=closes_on)
    opens_at, closes_at = window(centre=centre, opens_on=opens_on, closes_on=closes_on)
    at = current_time()
    with transaction.atomic():
        sitting = Sitting.objects.create(
            centre=centre, product=product, name=name, opens_at=opens_at, closes_at=closes_at, created_by=actor
        )
        _reserve(actor=actor, centre=centre, product=product, sitting=sitting, candidates=candidates, at=at)
        audit_record(
            action=AuditEvent.Action.SITTING_CREATED,
            request=request,
            actor=actor,
            centre=centre,
            summary=f"{name}: {product.name}, {len(candidates)} candidates",
            data={"sitting": sitting.pk, "product": product.code, "candidates": [c.pk for c in candidates]},
        )
    return sitting


def editing_closed_reason(*, sitting: Sitting) -> str:
    """Why the sitting can no longer be edited ('' while it can)."""
    started = sitting.attempts.exclude(started_at=None).select_related("candidate").order_by("started_at", "id").first()
    if started is not None:
        assert started.started_at is not None
        from examdesk.core.time import format_in_zone

        return (
            f"Editing is closed: {started.candidate.full_name} entered their access code on "
            f"{format_in_zone(started.started_at, sitting.centre.time_zone)}. Once a candidate has logged in, the "
            "window and the candidates stay as they are. To add candidates, make a new sitting."
        )
    if sitting.closes_at <= current_time():
        return "Editing is closed: the sitting's window has ended."
    return ""


def sitting_update(
    *,
    actor: Any,
    sitting: Sitting,
    name: str,
    opens_on: date,
    closes_on: date,
    candidates: Sequence[Candidate],
    request: HttpRequest | None = None,
) -> Sitting:
    centre = sitting.centre
    at = current_time()
    with transaction.atomic():
        sitting = Sitting.objects.select_for_update().select_related("centre", "product").get(pk=sitting.pk)
        reason = editing_closed_reason(sitting=sitting)
        if reason:
            raise ApplicationError(reason)
        if not candidates:
            raise ApplicationError("Keep at least one candidate.", field="candidates")
        _check_window(centre=centre, opens_on=opens_on, closes_on=closes_on)
        sitting.name = name
        sitting.opens_at, sitting.closes_at = window(centre=centre, opens_on=opens_on, closes_on=closes_on)
        sitting.save(update_fields=["name", "opens_at", "closes_at"])
        current = {a.candidate_id: a for a in sitting.attempts.filter(state=Attempt.State.NOT_STARTED)}
        wanted = {c.pk: c for c in candidates}
        removed = [a for pk, a in current.items() if pk not in wanted]
        for attempt in removed:
            _give_back(
                attempt, kind=Kind.RETURNED, actor=actor, reason="Taken off the sitting before it started", at=at
            )
            attempt.state = Attempt.State.VOID
            attempt.ended_at = at
            attempt.void_reason = "Taken off the sitting before it started."
            attempt.save(update_fields=["state", "ended_at", "void_reason"])
        added = [c for pk, c in wanted.items() if pk not in current]
        if added:
            _reserve(actor=actor, centre=centre, product=sitting.product, sitting=sitting, candidates=added, at=at)
        audit_record(
            action=AuditEvent.Action.SITTING_UPDATED,
            request=request,
            actor=actor,
            centre=centre,
            summary=f"{name}: {len(added)} added, {len(removed)} taken off",
            data={"sitting": sitting.pk, "added": [c.pk for c in added], "removed": [a.candidate_id for a in removed]},
        )
    return sitting


def _give_back(attempt: Attempt, *, kind: str, actor: Any, reason: str, at: datetime) -> None:
    sitting = attempt.sitting
    LedgerEntry.objects.create(
        centre_id=sitting.centre_id,
        product_id=sitting.product_id,
        allocation_id=attempt.allocation_id,
        kind=kind,
        quantity=sitting.product.credits_per_candidate,
        sitting=sitting,
        attempt=attempt,
        actor=actor,
        reason=reason,
        at=at,
    )


def _marker(attempt: Attempt, kind: str, *, reason: str, at: datetime, actor: Any = None) -> None:
    sitting = attempt.sitting
    LedgerEntry.objects.create(
        centre_id=sitting.centre_id,
        product_id=sitting.product_id,
        allocation_id=attempt.allocation_id,
        kind=kind,
        quantity=0,
        sitting=sitting,
        attempt=attempt,
        actor=actor,
        reason=reason,
        at=at,
    )


# --- Attempts -------------------------------------------------------------------------------------------------------


def attempt_start(*, attempt: Attempt, at: datetime | None = None) -> Attempt:
    """The candidate entered their code: the first time, the attempt is in progress and its credit used."""
    at = at or current_time()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("sitting__product").get(pk=attempt.pk)
        if attempt.state == Attempt.State.NOT_STARTED:
            attempt.state = Attempt.State.IN_PROGRESS
            attempt.started_at = at
            _marker(attempt, Kind.USED, reason="The candidate entered their access code", at=at)
        attempt.last_seen_at = at
        attempt.save(update_fields=["state", "started_at", "last_seen_at"])
    return attempt


def attempt_void(*, actor: Any, attempt: Attempt, reason: str, request: HttpRequest | None = None) -> Attempt:
    """Staff judged the attempt unreliable: void it and give its credit back."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Give the reason for voiding this attempt.", field="reason")
    at = current_time()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("sitting__centre", "sitting__product", "candidate", "allocation")
            .get(pk=attempt.pk)
        )
        if attempt.state in (Attempt.State.VOID, Attempt.State.EXPIRED):
            raise ApplicationError(f"This attempt is already {attempt.get_state_display().lower()}.")
        sitting = attempt.sitting
        LedgerEntry.objects.create(
            centre_id=sitting.centre_id,
            product_id=sitting.product_id,
            allocation=_recredit_target(attempt, at),
            kind=Kind.RECREDITED,
            quantity=sitting.product.credits_per_candidate,
            sitting=sitting,
            attempt=attempt,
            actor=actor,
            reason=reason[:500],
            at=at,
        )
        attempt.state = Attempt.State.VOID
        attempt.ended_at = at
        attempt.void_reason = reason[:500]
        attempt.save(update_fields=["state", "ended_at", "void_reason"])
        audit_record(
            action=AuditEvent.Action.ATTEMPT_VOIDED,
            request=request,
            actor=actor,
            centre=sitting.centre,
            summary=f"{attempt.candidate.full_name} in {sitting.name}: {reason}"[:500],
            data={"sitting": sitting.pk, "attempt": attempt.pk, "candidate": attempt.candidate_id},
        )
    return attempt


def _recredit_target(attempt: Attempt, at: datetime) -> Allocation:
    """The attempt's own allocation while it lasts, else the product's allocation that lasts longest."""
    own = attempt.allocation
    own.centre = attempt.sitting.centre
    if not own.is_expired(at):
        return own
    later = (
        Allocation.objects.filter(centre=own.centre, product_id=own.product_id)
        .select_related("centre")
        .order_by("-expires_on", "-id")
        .first()
    )
    return later if later is not None and not later.is_expired(at) else own


# --- Expiry ----------------------------------------------------------------------------------------------------


@dataclass
class ExpiryReport:
    returned: int = 0
    extended: int = 0
    expired: int = 0
    credits_lapsed: int = 0


def sittings_expire(*, at: datetime | None = None) -> ExpiryReport:
    """Run by celery beat; idempotent (each step changes the state it selects on, with its ledger row, at once).

    1. Window ended, never started → the attempt expires and its credit is returned.
    2. Window ended part-way → 30 more days on the same code (ledger "extended").
    3. Those 30 days passed → the attempt expires; nothing is returned (ledger "expired").
    4. Allocations past their expiry date with credits left → the credits lapse (ledger "expired").
    """
    at = at or current_time()
    report = ExpiryReport()
    base = Attempt.objects.select_related("sitting__product")
    for pk in base.filter(state=Attempt.State.NOT_STARTED, sitting__closes_at__lte=at).values_list("pk", flat=True):
        with transaction.atomic():
            attempt = base.select_for_update().get(pk=pk)
            if attempt.state != Attempt.State.NOT_STARTED:
                continue
            _give_back(attempt, kind=Kind.RETURNED, actor=None, reason="The window closed before it started", at=at)
            attempt.state = Attempt.State.EXPIRED
            attempt.ended_at = at
            attempt.save(update_fields=["state", "ended_at"])
            report.returned += 1
    started = base.filter(state=Attempt.State.IN_PROGRESS, sitting__closes_at__lte=at)
    for pk in started.filter(extended_until=None).values_list("pk", flat=True):
        with transaction.atomic():
            attempt = base.select_for_update().get(pk=pk)
            if attempt.state != Attempt.State.IN_PROGRESS or attempt.extended_until is not None:
                continue
            attempt.extended_until = attempt.sitting.closes_at + EXTENSION
            attempt.save(update_fields=["extended_until"])
            _marker(attempt, Kind.EXTENDED, reason="Unfinished when the window closed: 30 more days, same code", at=at)
            report.extended += 1
    for pk in started.filter(extended_until__lte=at).values_list("pk", flat=True):
        with transaction.atomic():
            attempt = base.select_for_update().get(pk=pk)
            if attempt.state != Attempt.State.IN_PROGRESS:
                continue
            attempt.state = Attempt.State.EXPIRED
            attempt.ended_at = at
            attempt.save(update_fields=["state", "ended_at"])
            _marker(attempt, Kind.EXPIRED, reason="The 30 extra days passed unfinished: the credit is spent", at=at)
            report.expired += 1
    candidates = Allocation.objects.filter(expires_on__lt=at.date() + timedelta(days=1)).select_related("centre")
    for allocation in candidates:
        if not allocation.is_expired(at):
            continue
        with transaction.atomic():
            locked = Allocation.objects.select_for_update().select_related("centre").get(pk=allocation.pk)
            left = allocation_balances(allocations=[locked])[locked.pk]
            if left <= 0:
                continue
            LedgerEntry.objects.create(
                centre_id=locked.centre_id,
                product_id=locked.product_id,
                allocation=locked,
                kind=Kind.EXPIRED,
                quantity=-left,
                reason=f"The allocation expired on {format_date(locked.expires_on)}",
                at=at,
            )
            report.credits_lapsed += left
    return report


# --- Extra measures ---------------------------------------------------------------------------------------------

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def sniff_evidence(*, head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's first bytes, or None when it is not PDF, PNG or JPEG."""
    for magic, content_type, extension in EVIDENCE_TYPES:
        if head.startswith(magic):
            return content_type, extension
    return None


@dataclass(frozen=True)
class Evidence:
    name: str
    content: bytes
    content_type: str
    extension: str


def measures_record(
    *,
    actor: Any,
    attempt: Attempt,
    numbers: dict[MeasureDefinition, Decimal | None],
    texts: dict[MeasureDefinition, str],
    files: dict[MeasureDefinition, Evidence],
    request: HttpRequest | None = None,
) -> None:
    """Save the values (already checked by the form) in one transaction; files go to private storage."""
    storage = storages["private"]
    changed: list[str] = []
    with transaction.atomic():
        for measure, number in numbers.items():
            value, _ = MeasureValue.objects.get_or_create(attempt=attempt, measure=measure)
            if value.number != number:
                value.number = number
                value.updated_by = actor
                value.save()
                changed.append(f"{measure.label}: {'' if number is None else number}")
        for measure, text in texts.items():
            value, _ = MeasureValue.objects.get_or_create(attempt=attempt, measure=measure)
            if value.text != text:
                value.text = text
                value.updated_by = actor
                value.save()
                changed.append(f"{measure.label} changed")
        for measure, evidence in files.items():
            value, _ = MeasureValue.objects.get_or_create(attempt=attempt, measure=measure)
            path = storage.save(
                f"sittings/evidence/{attempt.pk}/{uuid.uuid4().hex}.{evidence.extension}", ContentFile(evidence.content)
            )
            old = value.file_path
            value.file_path = path
            value.file_name = evidence.name[:200]
            value.file_type = evidence.content_type
            value.file_size = len(evidence.content)
            value.updated_by = actor
            value.save()
            if old:
                transaction.on_commit(lambda old=old: storage.delete(old))  # type: ignore[misc]
            changed.append(f"{measure.label}: {evidence.name} ({len(evidence.content)} bytes)")
        if changed:
            audit_record(
                action=AuditEvent.Action.MEASURES_RECORDED,
                request=request,
                actor=actor,
                centre=attempt.sitting.centre,
                summary=f"{attempt.candidate.full_name} in {attempt.sitting.name}: " + "; ".join(changed),
                data={"sitting": attempt.sitting_id, "attempt": attempt.pk, "changed": changed},
            )
