"""Response codes staff paste or upload on the sitting's progress page.

A code is decoded with the player's decoder (the CRC catches a mistyped or altered code), then checked: its
attempt belongs to this sitting and its section token matches the one the server issued (hmac.compare_digest).
It is ingested exactly once (the SHA-256 of the normalised code is unique among ingested codes); a section the
server already holds (submitted online or by an earlier code) is acknowledged and left unchanged. Ingesting
submits the section (whose submit asks for marking), so the server marks the raw answers itself: a code carries no
score and cannot raise one.

A code may carry only what the server could not have received, and only up to the section's close
(player.sections.section_closes_at: the sitting's close, or the time left at the last contact counted on from it):
- an answer to a question the server already holds an answer for is not taken: the server's stays, because the
  player sends every answer as it is given, and the section token alone (which the player received) must not let
  anyone replace it;
- an answer given after the section's close, by the time the code says it was given, is not taken, nor any answer of
  a code made after the close; an answer of a version-2 code without its time is not taken either;
- the page says how many answers were left out and why.
So a code crafted with the section token after the section's time cannot change anything the server holds. What
it can do, as the student's own code would, is give answers to questions the server has none for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from examdesk.audit.services import audit_record
from examdesk.core.time import format_in_zone
from examdesk.marking.models import Ingestion
from examdesk.marking.services import ACTION_RESPONSE_CODE
from examdesk.player import response_code
from examdesk.player.sections import PlayerError, answers_of, section_closes_at, section_submit, token_matches
from examdesk.sittings.models import Attempt, AttemptSection, Sitting

FOREIGN = "This code does not belong to an attempt of this sitting."
EMPTY = "Paste the response code or choose the file the player saved."
ONLINE = "This section was already received online; nothing changed."
CLOSED = "This attempt is {state}: its answers are no longer taken; nothing changed."
MADE_LATE = (
    "This code was made on {made}, after the section's time ended on {closes}: its answers are not taken; "
    "nothing changed."
)
KEPT = "{count} kept as the server already had them"
LATE = "{count} given after the section's time ended ({closes}) not taken"
UNTIMED = "{count} without the time it was given not taken"


def _answers(count: int) -> str:
    return f"{count} {'answer' if count == 1 else 'answers'}"


@dataclass(frozen=True)
class IngestionResult:
    outcome: str
    message: str
    ingestion: Ingestion

    @property
    def ok(self) -> bool:
        return self.outcome != Ingestion.Outcome.REFUSED


def code_hash(text: str) -> str:
    return hashlib.sha256(response_code.normalise(text).encode("ascii", "replace")).hexdigest()


def response_code_ingest(
    *, actor: Any, sitting: Sitting, text: str, request: HttpRequest | None = None
) -> IngestionResult:
    """Check and ingest one response code for `sitting` (see the module). Every outcome is recorded and audited."""
    text = text.strip()
    if not text:
        return _record(actor, sitting, "", None, Ingestion.Outcome.REFUSED, EMPTY, request)
    digest = code_hash(text)
    try:
        code = response_code.decode(text)
    except response_code.ResponseCodeError as error:
        return _record(actor, sitting, digest, None, Ingestion.Outcome.REFUSED, error.message, request)
    try:
        with transaction.atomic():
            return _ingest(actor, sitting, digest, code, request)
    except IntegrityError:
        # Another request ingested the same code at the same moment.
        return _already(actor, sitting, digest, None, request)


def _ingest(
    actor: Any, sitting: Sitting, digest: str, code: response_code.ResponseCode, request: HttpRequest | None
) -> IngestionResult:
    row = (
        AttemptSection.objects.select_for_update()
        .select_related("attempt", "section")
        .filter(attempt_id=code.attempt_id, attempt__sitting=sitting, section_id=code.section_id)
        .first()
    )
    if row is None or not token_matches(row, code.token):
        return _record(actor, sitting, digest, None, Ingestion.Outcome.REFUSED, FOREIGN, request)
    if Ingestion.objects.filter(code_hash=digest, outcome=Ingestion.Outcome.INGESTED).exists():
        return _already(actor, sitting, digest, row, request)
    if row.state == AttemptSection.State.DONE:
        earlier = (
            Ingestion.objects.filter(attempt_section=row, outcome=Ingestion.Outcome.INGESTED).order_by("at").first()
        )
        message = ONLINE
        if earlier is not None:
            when = format_in_zone(earlier.at, sitting.centre.time_zone)
            message = f"This section's answers were already received from a response code on {when}; nothing changed."
        return _record(actor, sitting, digest, row, Ingestion.Outcome.ALREADY_ONLINE, message, request)
    attempt = row.attempt
    if attempt.state in (Attempt.State.VOID, Attempt.State.EXPIRED):
        message = CLOSED.format(state=attempt.get_state_display().lower())
        return _record(actor, sitting, digest, row, Ingestion.Outcome.REFUSED, message, request)
    zone = sitting.centre.time_zone
    closes = section_closes_at(row)
    if code.made_at is not None and code.made_at > closes:
        message = MADE_LATE.format(made=format_in_zone(code.made_at, zone), closes=format_in_zone(closes, zone))
        return _record(actor, sitting, digest, row, Ingestion.Outcome.REFUSED, message, request, code=code)
    held = answers_of(row)
    taken: dict[int, Any] = {}
    kept = late = untimed = 0
    for item_id, answer in code.answers.items():
        given = code.answered_at.get(item_id)
        if item_id in held:
            kept += 1
        elif code.made_at is not None and given is None:
            untimed += 1
        elif given is not None and given > closes:
            late += 1
        else:
            taken[item_id] = answer
    sequence = max(code.sequence, 1)
    answers = [{"item": item_id, "answer": answer, "seq": sequence} for item_id, answer in taken.items()]
    try:
        with transaction.atomic():  # a refused answer undoes the whole code, not the record of the refusal
            submitted = section_submit(attempt=attempt, section_id=row.section_id, answers=answers)
    except PlayerError as error:
        reason = f"{error.message} Nothing changed."
        return _record(actor, sitting, digest, row, Ingestion.Outcome.REFUSED, reason, request)
    if submitted.already:
        return _record(actor, sitting, digest, row, Ingestion.Outcome.ALREADY_ONLINE, ONLINE, request)
    message = (
        f"Response code received: {row.section.title} for {attempt.candidate.full_name} is submitted and being marked."
    )
    left_out = [
        template.format(count=_answers(count), closes=format_in_zone(closes, zone))
        for template, count in ((KEPT, kept), (LATE, late), (UNTIMED, untimed))
        if count
    ]
    if left_out:
        message += f" Of the code's answers, {'; '.join(left_out)}."
    return _record(actor, sitting, digest, row, Ingestion.Outcome.INGESTED, message, request, len(answers), code=code)


def _already(
    actor: Any, sitting: Sitting, digest: str, row: AttemptSection | None, request: HttpRequest | None
) -> IngestionResult:
    first = Ingestion.objects.filter(code_hash=digest, outcome=Ingestion.Outcome.INGESTED).first()
    when = f" on {format_in_zone(first.at, sitting.centre.time_zone)}" if first else ""
    row = row or (first.attempt_section if first else None)
    message = f"This response code was already received{when}; nothing changed."
    return _record(actor, sitting, digest, row, Ingestion.Outcome.ALREADY_RECEIVED, message, request)


def _record(
    actor: Any,
    sitting: Sitting,
    digest: str,
    row: AttemptSection | None,
    outcome: str,
    message: str,
    request: HttpRequest | None,
    written: int = 0,
    *,
    code: response_code.ResponseCode | None = None,
) -> IngestionResult:
    made_at: datetime | None = code.made_at if code else None
    ingestion = Ingestion.objects.create(
        sitting=sitting,
        code_hash=digest,
        attempt_section=row,
        outcome=outcome,
        reason=message[:500],
        answers_written=written,
        made_at=made_at,
        by=actor if getattr(actor, "pk", None) else None,
    )
    summary = f"Response code for {sitting.name}: {Ingestion.Outcome(outcome).label}"
    if row is not None:
        summary += f" ({row.attempt.candidate.full_name}, {row.section.title})"
    audit_record(
        action=ACTION_RESPONSE_CODE,
        request=request,
        actor=actor,
        centre=sitting.centre,
        summary=summary[:500],
        data={
            "sitting": sitting.pk,
            "ingestion": ingestion.pk,
            "outcome": outcome,
            "attempt_section": row.pk if row else None,
            "code_hash": digest,
            "made_at": made_at.isoformat() if made_at else None,
            "answers_written": written,
        },
    )
    return IngestionResult(outcome, message, ingestion)
