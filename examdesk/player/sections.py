"""The test player's server side: sections started with a token, answers saved in order, the server's timer, and
sections submitted to marking (through settings.EXAMDESK_SECTION_SUBMITTED: the player never imports marking).

Saves are idempotent and ordered. Every save carries the player's sequence number, which grows with each answer
within an attempt section; a row keeps the save with the highest number, so a replayed or older save changes
nothing, and two tabs saving at once cannot replace a newer answer with an older one (the write is a conditional
UPDATE ... WHERE seq < new, or an INSERT guarded by the unique constraint).

The timer rule. The clock is the server's. Time is counted only while the player is in touch: each save or
heartbeat (the player sends one every 15 seconds) adds the time since the previous one, at most 60 seconds per gap.
Time spent disconnected or powered off beyond a minute is therefore not charged to the student. The section ends
when the time used reaches its limit. Answers already queued on the device still count for GRACE_SECONDS more
counted time, then saves are refused and the section is closed with the answers the server holds.

The limit is the section's own, lengthened by the attempt's access arrangements (a percentage and minutes,
sittings.arrangements) and by minutes an invigilator added (TimeAdded). While the attempt is paused (a rest break
or the invigilator's pause, player.models.Pause) nothing is counted: the pause counts the time up to its start,
and its end starts counting afresh (examdesk.player.invigilation).
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from examdesk.catalogue.models import Item, Section
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now as current_time
from examdesk.player.models import Pause, Response, TimeAdded
from examdesk.player.response_code import ALPHABET
from examdesk.sittings.arrangements import arrangements_for
from examdesk.sittings.models import Attempt, AttemptSection

MAX_GAP = timedelta(seconds=60)
GRACE_SECONDS = 60.0
HEARTBEAT_SECONDS = 15
MAX_TEXT = 500
NUMERIC = re.compile(r"^-?\d{1,9}([.,]\d{1,6})?$")


class PlayerError(ApplicationError):
    """A request the player cannot honour, with the reason shown to the student."""


class SectionEnded(PlayerError):
    pass


def section_submitted() -> Callable[..., None]:
    """The receiver of submitted sections named by settings.EXAMDESK_SECTION_SUBMITTED (marking's, in this
    product): a dotted path, so the player does not import the app above it. It runs inside the submit's
    transaction, so its writes commit or roll back with the section's."""
    return import_string(settings.EXAMDESK_SECTION_SUBMITTED)  # type: ignore[no-any-return]


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(20))


def token_matches(attempt_section: AttemptSection, token: str) -> bool:
    return bool(attempt_section.token) and hmac.compare_digest(attempt_section.token, token)


def base_limit_seconds(section: Section) -> float | None:
    return None if section.time_limit_minutes is None else section.time_limit_minutes * 60.0


def extra_seconds(attempt: Attempt, base: float) -> float:
    """What the attempt's access arrangements add to a timed section of `base` seconds."""
    arrangements = arrangements_for(attempt)
    return base * arrangements.extra_time_percent / 100 + arrangements.extra_time_minutes * 60.0


def added_seconds(attempt_section: AttemptSection) -> float:
    """Minutes invigilators added to this section, in seconds."""
    total = TimeAdded.objects.filter(attempt_section=attempt_section).aggregate(total=Sum("minutes"))["total"]
    return (total or 0) * 60.0


def limit_seconds(attempt_section: AttemptSection) -> float | None:
    """The section's limit for this attempt: its own, the access arrangements' extra time and time added. Kept on
    the row once worked out (a row lives for one request)."""
    cached = getattr(attempt_section, "_limit", False)
    if cached is not False:
        return cached
    base = base_limit_seconds(attempt_section.section)
    limit = None
    if base is not None:
        limit = base + extra_seconds(attempt_section.attempt, base) + added_seconds(attempt_section)
    attempt_section._limit = limit  # type: ignore[attr-defined]
    return limit


def open_pause(attempt_id: int) -> Pause | None:
    return Pause.objects.filter(attempt_id=attempt_id, ended_at=None).first()


def time_left(attempt_section: AttemptSection) -> float | None:
    limit = limit_seconds(attempt_section)
    return None if limit is None else max(0.0, limit - attempt_section.time_used_seconds)


def time_is_up(attempt_section: AttemptSection) -> bool:
    left = time_left(attempt_section)
    return left is not None and left <= 0


def _past_grace(attempt_section: AttemptSection) -> bool:
    limit = limit_seconds(attempt_section)
    return limit is not None and attempt_section.time_used_seconds >= limit + GRACE_SECONDS


def section_closes_at(attempt_section: AttemptSection) -> datetime:
    """The wall-clock moment after which no answer of this section can count: the sitting's close, and for a timed
    section the time left at the last contact (plus the grace) counted on from that contact, as the player's own
    timer goes on counting while it cannot reach the server. A finished section closed when it finished."""
    closes = attempt_section.attempt.sitting.closes_at
    if attempt_section.finished_at is not None:
        return min(closes, attempt_section.finished_at)
    left = time_left(attempt_section)
    contact = attempt_section.last_tick_at or attempt_section.started_at
    if left is None or contact is None or open_pause(attempt_section.attempt_id) is not None:
        return closes
    return min(closes, contact + timedelta(seconds=left + GRACE_SECONDS))


def attempt_sections(attempt: Attempt) -> list[AttemptSection]:
    return list(attempt.sections.select_related("section").order_by("section__position", "section_id"))


def current_section(sections: list[AttemptSection]) -> AttemptSection | None:
    return next((s for s in sections if s.state != AttemptSection.State.DONE), None)


def _locked(attempt: Attempt, section_id: int) -> AttemptSection:
    row = (
        AttemptSection.objects.select_for_update()
        .select_related("section", "attempt")
        .filter(attempt=attempt, section_id=section_id)
        .first()
    )
    if row is None:
        raise PlayerError(_("This section is not part of your assessment."))
    return row


def tick(row: AttemptSection, at: datetime) -> None:
    """Count the time since the last save or heartbeat, at most MAX_GAP (the timer rule); nothing while paused."""
    if row.last_tick_at is not None and at > row.last_tick_at and open_pause(row.attempt_id) is None:
        row.time_used_seconds += min(at - row.last_tick_at, MAX_GAP).total_seconds()
    row.last_tick_at = at


def seen(attempt: Attempt, at: datetime) -> None:
    """The player was in touch now (the invigilator's console shows who is connected)."""
    Attempt.objects.filter(pk=attempt.pk).update(last_seen_at=at)


def section_start(*, attempt: Attempt, section_id: int, at: datetime | None = None) -> AttemptSection:
    """Start the attempt's current section (issuing its token and starting the timer), or resume it."""
    at = at or current_time()
    with transaction.atomic():
        row = _locked(attempt, section_id)
        current = current_section(attempt_sections(attempt))
        if row.state == AttemptSection.State.DONE:
            raise SectionEnded(_("You have already finished this section."))
        if current is None or current.pk != row.pk:
            raise PlayerError(_("Finish the earlier sections first."))
        if row.state == AttemptSection.State.NOT_STARTED:
            row.state = AttemptSection.State.IN_PROGRESS
            row.started_at = at
            row.token = new_token()
            row.time_used_seconds = 0
            row.last_tick_at = at
        else:
            tick(row, at)
        row.save(update_fields=["state", "started_at", "token", "time_used_seconds", "last_tick_at"])
        Attempt.objects.filter(pk=attempt.pk).update(last_seen_at=at)
    return row


def _in_progress(row: AttemptSection) -> None:
    if row.state == AttemptSection.State.NOT_STARTED:
        raise PlayerError(_("Start the section first."))
    if row.state == AttemptSection.State.DONE:
        raise SectionEnded(_("This section has finished: your answers were sent."))


def heartbeat(*, attempt: Attempt, section_id: int, at: datetime | None = None) -> AttemptSection:
    at = at or current_time()
    with transaction.atomic():
        row = _locked(attempt, section_id)
        _in_progress(row)
        tick(row, at)
        row.save(update_fields=["time_used_seconds", "last_tick_at"])
        seen(attempt, at)
        if _past_grace(row):
            _finish(row, at)
    return row


def clean_answer(item: Item, answer: Any) -> Any:
    """The answer as stored, or PlayerError when it cannot be an answer to this item (None clears it)."""
    if answer is None or answer == "" or answer == []:
        return None
    options = {str(option["id"]) for option in item.options}
    if item.kind == Item.Kind.SINGLE:
        if isinstance(answer, str) and answer in options:
            return answer
    elif item.kind == Item.Kind.MULTIPLE:
        if isinstance(answer, list) and all(isinstance(a, str) and a in options for a in answer):
            return sorted(set(answer))
    elif item.kind == Item.Kind.SHORT_TEXT:
        if isinstance(answer, str) and len(answer) <= MAX_TEXT:
            return answer
    elif item.kind == Item.Kind.NUMERIC:
        if isinstance(answer, str) and len(answer) <= 40:
            return answer.strip()
    raise PlayerError(_("This answer does not fit the question."))


def _store(row: AttemptSection, item: Item, answer: Any, seq: int, at: datetime) -> bool:
    """Keep the save when its sequence number is higher than the stored one. True when it changed the row.
    Safe under concurrency: a conditional UPDATE, else an INSERT that the unique constraint guards."""
    for _attempt in range(3):
        updated = Response.objects.filter(attempt_section=row, item=item, seq__lt=seq).update(
            answer=answer, seq=seq, saved_at=at
        )
        if updated:
            return True
        if Response.objects.filter(attempt_section=row, item=item).exists():
            return False
        try:
            with transaction.atomic():
                Response.objects.create(attempt_section=row, item=item, answer=answer, seq=seq, saved_at=at)
            return True
        except IntegrityError:
            continue
    return False


def _item(row: AttemptSection, item_id: Any) -> Item:
    if not isinstance(item_id, int) or isinstance(item_id, bool):
        raise PlayerError(_("Which question is this answer for?"))
    item = Item.objects.filter(section_id=row.section_id, pk=item_id).first()
    if item is None:
        raise PlayerError(_("This question is not in this section."))
    return item


def _seq(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1 or value > 2**31 - 1:
        raise PlayerError(_("The save has no sequence number."))
    return value


@dataclass(frozen=True)
class Saved:
    attempt_section: AttemptSection
    changed: bool


def answer_save(
    *, attempt: Attempt, section_id: int, item_id: Any, answer: Any, seq: Any, at: datetime | None = None
) -> Saved:
    """Save one answer (see the module's rules). Counts the time since the last save (the timer rule)."""
    at = at or current_time()
    seq = _seq(seq)
    with transaction.atomic():
        # The lock serialises the timer of one section; the answer itself is safe without it (see _store).
        row = _locked(attempt, section_id)
        _in_progress(row)
        if _past_grace(row):
            _finish(row, at)
            raise SectionEnded(_("Time is up for this section: your answers were sent."))
        item = _item(row, item_id)
        changed = _store(row, item, clean_answer(item, answer), seq, at)
        tick(row, at)
        row.save(update_fields=["time_used_seconds", "last_tick_at"])
        seen(attempt, at)
    return Saved(row, changed)


def answers_of(row: AttemptSection) -> dict[int, tuple[Any, int]]:
    return {r.item_id: (r.answer, r.seq) for r in Response.objects.filter(attempt_section=row)}


def last_seq(row: AttemptSection) -> int:
    return Response.objects.filter(attempt_section=row).aggregate(top=Max("seq"))["top"] or 0


@dataclass(frozen=True)
class Submitted:
    attempt_section: AttemptSection
    already: bool
    finished_attempt: bool


def section_submit(*, attempt: Attempt, section_id: int, answers: Any, at: datetime | None = None) -> Submitted:
    """The student submits the section with their final answers [{item, answer, seq}, …] (each kept by the save
    rule): the section is done and marked. Submitting a finished section again changes nothing."""
    at = at or current_time()
    if not isinstance(answers, list):
        raise PlayerError(_("The answers were not sent."))
    with transaction.atomic():
        row = _locked(attempt, section_id)
        if row.state == AttemptSection.State.DONE:
            return Submitted(row, already=True, finished_attempt=_all_done(attempt))
        if row.state == AttemptSection.State.NOT_STARTED:
            raise PlayerError(_("Start the section first."))
        tick(row, at)
        if not _past_grace(row):
            for entry in answers:
                if not isinstance(entry, dict):
                    raise PlayerError(_("The answers were not sent."))
                item = _item(row, entry.get("item"))
                _store(row, item, clean_answer(item, entry.get("answer")), _seq(entry.get("seq")), at)
        finished = _finish(row, at)
    return Submitted(row, already=False, finished_attempt=finished)


def _all_done(attempt: Attempt) -> bool:
    return not AttemptSection.objects.filter(attempt=attempt).exclude(state=AttemptSection.State.DONE).exists()


def _finish(row: AttemptSection, at: datetime) -> bool:
    """Mark the section done and hand it to marking; returns whether the attempt has no section left."""
    row.state = AttemptSection.State.DONE
    row.finished_at = at
    row.save(update_fields=["state", "finished_at", "time_used_seconds", "last_tick_at"])
    Attempt.objects.filter(pk=row.attempt_id).update(last_seen_at=at)
    # Marking records the section, queues its marking once this transaction commits, and moves the attempt to
    # "Marking" when this was its last section.
    section_submitted()(attempt_section=row)
    return _all_done(row.attempt)
