"""What happens around a student's attempt while they take it: pauses (an invigilator's, or a supervised rest break
the student takes when their access arrangements allow one), time added to a section, irregularities written down,
and each student's live state for the invigilator's console. Every action is audited, and listed on the attempt
(attempt_history).

A pause stops the server's clock (sections.tick counts nothing while one is open). Starting one counts the time
up to its start; ending one starts counting afresh from its end, so the pause itself is never charged."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.models import Item
from examdesk.core.time import now as current_time
from examdesk.player import sections as play
from examdesk.player.models import Irregularity, Pause, Response, TimeAdded
from examdesk.sittings.arrangements import arrangements_for
from examdesk.sittings.models import Attempt, AttemptSection, Sitting

#: A student whose player has not been in touch for this long is shown as offline. The player sends a heartbeat
#: every 15 seconds (sections.HEARTBEAT_SECONDS), and the console asks every CONSOLE_POLL_SECONDS: a student who
#: goes offline is shown as offline at most 27 seconds later.
OFFLINE_AFTER = timedelta(seconds=22)
CONSOLE_POLL_SECONDS = 5
MAX_ADDED_MINUTES = 120

ALREADY_PAUSED = gettext_lazy("This student's assessment is already paused.")
NOT_PAUSED = gettext_lazy("This student's assessment is not paused.")
NOT_RUNNING = gettext_lazy("This student is not taking the assessment now.")
NO_REST_BREAKS = gettext_lazy("Rest breaks are not among your access arrangements. Ask your invigilator.")
INVIGILATOR_RESUMES = gettext_lazy("Your invigilator paused the assessment and will resume it.")
NO_TIMED_SECTION = gettext_lazy("This student has no timed section left to add time to.")


class InvigilationError(play.PlayerError):
    pass


def _running(attempt: Attempt) -> None:
    if attempt.state not in Attempt.VALID_STATES:
        raise InvigilationError(str(NOT_RUNNING))


def _in_progress_rows(attempt: Attempt) -> list[AttemptSection]:
    return list(
        AttemptSection.objects.select_for_update()
        .select_related("section", "attempt")
        .filter(attempt=attempt, state=AttemptSection.State.IN_PROGRESS)
    )


def _audit(action: str, attempt: Attempt, summary: str, request: HttpRequest | None, actor: Any, **data: Any) -> None:
    audit_record(
        action=action,
        request=request,
        actor=actor,
        centre=attempt.sitting.centre,
        summary=summary,
        data={"attempt": attempt.pk, "sitting": attempt.sitting_id, **data},
    )


def pause_start(
    *, attempt: Attempt, kind: str, actor: Any = None, request: HttpRequest | None = None, at: datetime | None = None
) -> Pause:
    """Stop the attempt's clock: the invigilator's pause (actor), or the student's rest break (no actor)."""
    at = at or current_time()
    with transaction.atomic():
        Attempt.objects.select_for_update().filter(pk=attempt.pk).first()
        _running(attempt)
        if kind == Pause.Kind.REST_BREAK and not arrangements_for(attempt).rest_breaks:
            raise InvigilationError(str(NO_REST_BREAKS))
        if play.open_pause(attempt.pk) is not None:
            raise InvigilationError(str(ALREADY_PAUSED))
        for row in _in_progress_rows(attempt):
            play.tick(row, at)
            row.save(update_fields=["time_used_seconds", "last_tick_at"])
        pause = Pause.objects.create(attempt=attempt, kind=kind, started_at=at, started_by=actor)
        name = attempt.candidate.full_name
        if kind == Pause.Kind.REST_BREAK:
            _audit(
                AuditEvent.Action.ATTEMPT_REST_BREAK,
                attempt,
                _("%(name)s started a rest break") % {"name": name},
                request,
                None,
                pause=pause.pk,
                started=True,
            )
        else:
            _audit(
                AuditEvent.Action.ATTEMPT_PAUSED,
                attempt,
                _("%(name)s paused") % {"name": name},
                request,
                actor,
                pause=pause.pk,
            )
    return pause


def pause_end(
    *, attempt: Attempt, actor: Any = None, request: HttpRequest | None = None, at: datetime | None = None
) -> Pause:
    """Start the clock again. The student may end only their own rest break; an invigilator ends any pause."""
    at = at or current_time()
    with transaction.atomic():
        Attempt.objects.select_for_update().filter(pk=attempt.pk).first()
        pause = play.open_pause(attempt.pk)
        if pause is None:
            raise InvigilationError(str(NOT_PAUSED))
        if actor is None and pause.kind != Pause.Kind.REST_BREAK:
            raise InvigilationError(str(INVIGILATOR_RESUMES))
        pause.ended_at, pause.ended_by = at, actor
        pause.save(update_fields=["ended_at", "ended_by"])
        for row in _in_progress_rows(attempt):
            row.last_tick_at = at
            row.save(update_fields=["last_tick_at"])
        minutes = max(0, round((at - pause.started_at).total_seconds() / 60))
        name = attempt.candidate.full_name
        if actor is None:
            _audit(
                AuditEvent.Action.ATTEMPT_REST_BREAK,
                attempt,
                _("%(name)s ended a rest break (%(minutes)s min)") % {"name": name, "minutes": minutes},
                request,
                None,
                pause=pause.pk,
                started=False,
            )
        else:
            _audit(
                AuditEvent.Action.ATTEMPT_RESUMED,
                attempt,
                _("%(name)s resumed after %(minutes)s min") % {"name": name, "minutes": minutes},
                request,
                actor,
                pause=pause.pk,
            )
    return pause


def time_add(
    *,
    attempt: Attempt,
    minutes: int,
    reason: str,
    actor: Any,
    request: HttpRequest | None = None,
    at: datetime | None = None,
) -> TimeAdded:
    """Add minutes to the student's current timed section (the one in progress, else the next to start)."""
    at = at or current_time()
    with transaction.atomic():
        _running(attempt)
        row = play.current_section(play.attempt_sections(attempt))
        if row is None or row.section.time_limit_minutes is None:
            raise InvigilationError(str(NO_TIMED_SECTION))
        added = TimeAdded.objects.create(attempt_section=row, minutes=minutes, reason=reason, added_by=actor, at=at)
        _audit(
            AuditEvent.Action.ATTEMPT_TIME_ADDED,
            attempt,
            ngettext(
                "%(n)s minute added to %(section)s for %(name)s: %(reason)s",
                "%(n)s minutes added to %(section)s for %(name)s: %(reason)s",
                minutes,
            )
            % {"n": minutes, "section": row.section.title, "name": attempt.candidate.full_name, "reason": reason},
            request,
            actor,
            section=row.section_id,
            minutes=minutes,
        )
    return added


def irregularity_record(
    *, attempt: Attempt, note: str, actor: Any, request: HttpRequest | None = None, at: datetime | None = None
) -> Irregularity:
    at = at or current_time()
    with transaction.atomic():
        row = Irregularity.objects.create(attempt=attempt, note=note, recorded_by=actor, at=at)
        _audit(
            AuditEvent.Action.ATTEMPT_IRREGULARITY,
            attempt,
            _("Irregularity for %(name)s: %(note)s") % {"name": attempt.candidate.full_name, "note": note},
            request,
            actor,
            irregularity=row.pk,
        )
    return row


# --- What the console shows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveState:
    attempt: Attempt
    status: str  # not_started | in_section | between | paused | rest_break | marking | finished | closed
    section_number: int | None
    section_title: str
    answered: int
    questions: int
    time_left: float | None
    connected: bool
    last_seen_at: datetime | None

    @property
    def running(self) -> bool:
        return self.attempt.state in Attempt.VALID_STATES

    @property
    def paused(self) -> bool:
        return self.status in ("paused", "rest_break")


def live_states(*, sitting: Sitting, at: datetime | None = None) -> list[LiveState]:
    """Every student's state in the sitting now, in a fixed number of queries."""
    at = at or current_time()
    attempts = list(sitting.attempts.exclude(state=Attempt.State.VOID).select_related("candidate", "sitting"))
    rows_by_attempt: dict[int, list[AttemptSection]] = defaultdict(list)
    for row in (
        AttemptSection.objects.filter(attempt__in=attempts)
        .select_related("section")
        .order_by("section__position", "section_id")
    ):
        rows_by_attempt[row.attempt_id].append(row)
    answered = dict(
        Response.objects.filter(attempt_section__attempt__in=attempts)
        .exclude(answer=None)
        .values_list("attempt_section_id")
        .annotate(n=Count("id"))
        .values_list("attempt_section_id", "n")
    )
    questions = dict(
        Item.objects.filter(section__product_id=sitting.product_id)
        .values("section_id")
        .annotate(n=Count("id"))
        .values_list("section_id", "n")
    )
    pauses = {p.attempt_id: p for p in Pause.objects.filter(attempt__in=attempts, ended_at=None)}
    states = []
    for attempt in attempts:
        rows = rows_by_attempt[attempt.pk]
        for row in rows:
            row.attempt = attempt
        current = play.current_section(rows)
        pause = pauses.get(attempt.pk)
        connected = attempt.last_seen_at is not None and at - attempt.last_seen_at <= OFFLINE_AFTER
        if attempt.state == Attempt.State.MARKING:
            status = "marking"
        elif attempt.state == Attempt.State.COMPLETED:
            status = "finished"
        elif attempt.state == Attempt.State.EXPIRED:
            status = "closed"
        elif pause is not None:
            status = "rest_break" if pause.kind == Pause.Kind.REST_BREAK else "paused"
        elif attempt.state == Attempt.State.NOT_STARTED:
            status = "not_started"
        elif current is not None and current.state == AttemptSection.State.IN_PROGRESS:
            status = "in_section"
        else:
            status = "between"
        show = current if attempt.state in Attempt.VALID_STATES else None
        states.append(
            LiveState(
                attempt=attempt,
                status=status,
                section_number=None if show is None else rows.index(show) + 1,
                section_title="" if show is None else show.section.title,
                answered=0 if show is None else answered.get(show.pk, 0),
                questions=0 if show is None else questions.get(show.section_id, 0),
                time_left=None if show is None else play.time_left(show),
                connected=connected,
                last_seen_at=attempt.last_seen_at,
            )
        )
    return states


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    text: str
    by: str


def attempt_history(*, attempt: Attempt) -> list[HistoryEntry]:
    """What was done during the attempt, oldest first: pauses, rest breaks, time added, irregularities."""
    entries: list[HistoryEntry] = []
    for pause in Pause.objects.filter(attempt=attempt).select_related("started_by", "ended_by"):
        if pause.kind == Pause.Kind.REST_BREAK:
            entries.append(HistoryEntry(pause.started_at, _("Rest break started"), _("The student")))
        else:
            by = pause.started_by.display_name if pause.started_by else ""
            entries.append(HistoryEntry(pause.started_at, _("Paused by the invigilator"), by))
        if pause.ended_at is not None:
            by = pause.ended_by.display_name if pause.ended_by else _("The student")
            entries.append(HistoryEntry(pause.ended_at, _("Resumed"), by))
    for added in TimeAdded.objects.filter(attempt_section__attempt=attempt).select_related(
        "added_by", "attempt_section__section"
    ):
        text = ngettext(
            "%(n)s minute added to %(section)s: %(reason)s",
            "%(n)s minutes added to %(section)s: %(reason)s",
            added.minutes,
        ) % {"n": added.minutes, "section": added.attempt_section.section.title, "reason": added.reason}
        entries.append(HistoryEntry(added.at, text, added.added_by.display_name))
    for note in Irregularity.objects.filter(attempt=attempt).select_related("recorded_by"):
        entries.append(
            HistoryEntry(note.at, _("Irregularity: %(note)s") % {"note": note.note}, note.recorded_by.display_name)
        )
    return sorted(entries, key=lambda entry: entry.at)


def running_attempts(*, sitting: Sitting) -> list[Attempt]:
    return list(
        sitting.attempts.filter(state__in=Attempt.VALID_STATES)
        .filter(~Q(started_at=None))
        .select_related("candidate", "sitting__centre")
    )
