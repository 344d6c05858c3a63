"""Marking: after each section is submitted, a Celery task marks it from the stored answers against the keys
(which never leave the server). Idempotent (one SectionScore per section, one ItemMark per item, overrides kept),
retried with backoff on failure (the error kept on the score row), and swept by beat when stuck.

Attempt states: the attempt is "Marking" once every section of the product is submitted, and "Completed" when
every section has a score without error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.products.selectors import product_sections
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now as current_time
from examdesk.marking import rules
from examdesk.marking.answers import section_answers
from examdesk.marking.models import ItemMark, SectionScore
from examdesk.sittings.models import Attempt, AttemptSection

log = logging.getLogger(__name__)

#: Audit actions of this app (stored as text in the audit log's action column).
ACTION_MARK_AGAIN = AuditEvent.Action.MARKED_AGAIN
ACTION_OVERRIDE = AuditEvent.Action.MARK_OVERRIDDEN
ACTION_RESPONSE_CODE = AuditEvent.Action.RESPONSE_CODE


def stuck_after() -> timedelta:
    """A section still without a score this long after marking was asked for counts as stuck."""
    return timedelta(minutes=getattr(settings, "EXAMDESK_MARKING_STUCK_MINUTES", 5))


# --- Entry point for the player ---------------------------------------------------------------------------------


def section_submitted(*, attempt_section: AttemptSection) -> None:
    """The player submitted a section (state done): ask for its marking once the transaction commits, and move
    the attempt to "Marking" when this was its last section."""
    at = current_time()
    with transaction.atomic():
        SectionScore.objects.get_or_create(attempt_section=attempt_section)
        SectionScore.objects.filter(attempt_section=attempt_section).update(queued_at=at)
        _attempt_to_marking(attempt_section.attempt_id, at)
        section_id = attempt_section.pk
        transaction.on_commit(lambda: _enqueue(section_id))


def _enqueue(attempt_section_id: int) -> None:
    from examdesk.marking.tasks import mark_section_task

    mark_section_task.delay(attempt_section_id)


def _all_sections_done(attempt: Attempt) -> bool:
    wanted = set(attempt.sitting.product.sections.values_list("pk", flat=True))
    done = set(attempt.sections.filter(state=AttemptSection.State.DONE).values_list("section_id", flat=True))
    return bool(wanted) and wanted <= done


def _attempt_to_marking(attempt_id: int, at: datetime) -> None:
    attempt = Attempt.objects.select_for_update().select_related("sitting__product").get(pk=attempt_id)
    if attempt.state in (Attempt.State.IN_PROGRESS, Attempt.State.NOT_STARTED) and _all_sections_done(attempt):
        attempt.state = Attempt.State.MARKING
        attempt.finished_at = attempt.finished_at or at
        attempt.save(update_fields=["state", "finished_at"])


# --- Marking ----------------------------------------------------------------------------------------------------


def section_mark(*, attempt_section_id: int) -> SectionScore:
    """Mark one submitted section from its stored answers. Running it again gives the same rows; staff
    overrides are kept. Completes the attempt when it was its last unmarked section."""
    at = current_time()
    with transaction.atomic():
        attempt_section = (
            AttemptSection.objects.select_for_update()
            .select_related("attempt__sitting__product", "section")
            .get(pk=attempt_section_id)
        )
        product = attempt_section.attempt.sitting.product
        section = next(s for s in product_sections(product=product) if s.pk == attempt_section.section_id)
        answers = section_answers(attempt_section)
        existing = {m.item_id: m for m in ItemMark.objects.filter(attempt_section=attempt_section)}
        for item in section.items.all():
            answer = answers.get(item.pk)
            awarded = rules.award(kind=item.kind, key=item.key, marks=item.marks, answer=answer)
            mark = existing.get(item.pk)
            if mark is None:
                ItemMark.objects.create(
                    attempt_section=attempt_section,
                    item=item,
                    answer=answer,
                    auto_awarded=awarded,
                    max=item.marks,
                    at=at,
                )
            elif (mark.answer, mark.auto_awarded, mark.max) != (answer, awarded, item.marks):
                mark.answer, mark.auto_awarded, mark.max, mark.at = answer, awarded, item.marks, at
                mark.save(update_fields=["answer", "auto_awarded", "max", "at"])
        score, _ = SectionScore.objects.select_for_update().get_or_create(attempt_section=attempt_section)
        _total(score)
        score.marked_at = at
        score.error = ""
        score.tries += 1
        score.save(update_fields=["raw", "max", "marked_at", "error", "tries"])
        _attempt_complete(attempt_section.attempt_id, at)
    return score


def _total(score: SectionScore) -> None:
    marks = list(ItemMark.objects.filter(attempt_section_id=score.attempt_section_id))
    score.raw = sum((m.awarded for m in marks), Decimal(0))
    score.max = sum((m.max for m in marks), Decimal(0))


def _attempt_complete(attempt_id: int, at: datetime) -> None:
    attempt = Attempt.objects.select_for_update().select_related("sitting__product").get(pk=attempt_id)
    if attempt.state != Attempt.State.MARKING or not _all_sections_done(attempt):
        return
    scores = SectionScore.objects.filter(attempt_section__attempt=attempt, attempt_section__state="done")
    done = attempt.sections.filter(state=AttemptSection.State.DONE).count()
    if scores.filter(marked_at__isnull=False, error="").count() == done:
        attempt.state = Attempt.State.COMPLETED
        attempt.save(update_fields=["state"])


def section_mark_failed(*, attempt_section_id: int, error: BaseException) -> None:
    """Keep why marking failed on the score row, for staff and the sweep (its own transaction)."""
    message = f"{type(error).__name__}: {error}"[:500]
    with transaction.atomic():
        score, _ = SectionScore.objects.get_or_create(attempt_section_id=attempt_section_id)
        score.error = message
        score.tries += 1
        score.save(update_fields=["error", "tries"])
    log.warning("Marking attempt section %s failed: %s", attempt_section_id, message)


# --- Stuck marking ---------------------------------------------------------------------------------------------


@dataclass
class SweepReport:
    requeued: int = 0
    completed: int = 0


def marking_sweep(*, at: datetime | None = None) -> SweepReport:
    """Every few minutes from beat: attempts in "Marking" whose sections have no score long after it was asked
    for, or an error, are marked again; attempts whose sections are all marked are completed."""
    at = at or current_time()
    report = SweepReport()
    cutoff = at - stuck_after()
    for attempt in Attempt.objects.filter(state=Attempt.State.MARKING).select_related("sitting__product"):
        with transaction.atomic():
            _attempt_complete(attempt.pk, at)
        if Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.COMPLETED).exists():
            report.completed += 1
            continue
        for attempt_section in attempt.sections.filter(state=AttemptSection.State.DONE):
            score = SectionScore.objects.filter(attempt_section=attempt_section).first()
            stuck = (
                score is None
                or bool(score.error)
                or (score.marked_at is None and (score.queued_at is None or score.queued_at <= cutoff))
            )
            if stuck:
                _requeue(attempt_section, at)
                report.requeued += 1
    return report


def _requeue(attempt_section: AttemptSection, at: datetime) -> None:
    with transaction.atomic():
        SectionScore.objects.get_or_create(attempt_section=attempt_section)
        SectionScore.objects.filter(attempt_section=attempt_section).update(queued_at=at)
        section_id = attempt_section.pk
        transaction.on_commit(lambda: _enqueue(section_id))


def attempt_mark_again(*, actor: Any, attempt: Attempt, request: HttpRequest | None = None) -> int:
    """Staff asked for every submitted section of the attempt to be marked again (audited). Overrides are
    kept. Returns how many sections were queued."""
    at = current_time()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("sitting__centre", "candidate").get(pk=attempt.pk)
        if attempt.state not in (Attempt.State.MARKING, Attempt.State.COMPLETED):
            raise ApplicationError("Only a submitted attempt can be marked again.")
        sections = list(attempt.sections.filter(state=AttemptSection.State.DONE))
        if attempt.state == Attempt.State.COMPLETED:
            attempt.state = Attempt.State.MARKING
            attempt.save(update_fields=["state"])
        for attempt_section in sections:
            _requeue(attempt_section, at)
        audit_record(
            action=ACTION_MARK_AGAIN,
            request=request,
            actor=actor,
            centre=attempt.sitting.centre,
            summary=f"{attempt.candidate.full_name} in {attempt.sitting.name}: marked again",
            data={"sitting": attempt.sitting_id, "attempt": attempt.pk, "sections": [s.pk for s in sections]},
        )
    return len(sections)


# --- Overrides --------------------------------------------------------------------------------------------------


def mark_override(
    *, actor: Any, item_mark: ItemMark, awarded: Decimal, reason: str, request: HttpRequest | None = None
) -> ItemMark:
    """Staff give an item a different mark, with a reason (audited); the section's score is summed again."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Give the reason for changing this mark.", field="reason")
    at = current_time()
    with transaction.atomic():
        mark = (
            ItemMark.objects.select_for_update()
            .select_related("attempt_section__attempt__sitting__centre", "attempt_section__attempt__candidate", "item")
            .get(pk=item_mark.pk)
        )
        if awarded < 0 or awarded > mark.max:
            raise ApplicationError(f"Enter a mark from 0 to {_plain(mark.max)}.", field="awarded")
        before = mark.awarded
        mark.override = awarded
        mark.override_reason = reason[:500]
        mark.overridden_by = actor
        mark.overridden_at = at
        mark.save(update_fields=["override", "override_reason", "overridden_by", "overridden_at"])
        score = SectionScore.objects.select_for_update().get(attempt_section_id=mark.attempt_section_id)
        _total(score)
        score.save(update_fields=["raw", "max"])
        attempt = mark.attempt_section.attempt
        audit_record(
            action=ACTION_OVERRIDE,
            request=request,
            actor=actor,
            centre=attempt.sitting.centre,
            summary=(
                f"{attempt.candidate.full_name}, item {mark.item.code}: {_plain(before)} → {_plain(awarded)} ({reason})"
            )[:500],
            data={
                "sitting": attempt.sitting_id,
                "attempt": attempt.pk,
                "item": mark.item_id,
                "before": str(before),
                "after": str(awarded),
                "reason": reason[:500],
            },
        )
    return mark


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f").rstrip("0")
