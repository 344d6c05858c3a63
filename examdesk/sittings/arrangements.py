"""Which access arrangements hold for an attempt (the sitting's own, else the candidate's, else none), and the
service that sets or removes the sitting's own."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.people.arrangements import apply, describe
from examdesk.people.models import Arrangements, CandidateArrangements
from examdesk.sittings.models import Attempt, AttemptArrangements


def arrangements_for(attempt: Attempt) -> Arrangements:
    """The arrangements in force for this attempt; an unsaved, empty row when there are none."""
    own = AttemptArrangements.objects.filter(attempt=attempt).first()
    if own is not None:
        return own
    return CandidateArrangements.objects.filter(candidate_id=attempt.candidate_id).first() or CandidateArrangements()


def has_own(attempt: Attempt) -> bool:
    return AttemptArrangements.objects.filter(attempt=attempt).exists()


@transaction.atomic
def attempt_arrangements_set(
    *, actor: Any, attempt: Attempt, values: dict[str, Any] | None, request: HttpRequest | None = None
) -> Arrangements:
    """Give this sitting's entry arrangements of its own (values), or remove them (None: the candidate's hold)."""
    before = describe(arrangements_for(attempt))
    if values is None:
        AttemptArrangements.objects.filter(attempt=attempt).delete()
    else:
        row = AttemptArrangements.objects.filter(attempt=attempt).first() or AttemptArrangements(attempt=attempt)
        apply(row, values, actor)
        row.save()
    now = arrangements_for(attempt)
    audit_record(
        action=AuditEvent.Action.ATTEMPT_ARRANGEMENTS,
        request=request,
        actor=actor,
        centre=attempt.sitting.centre,
        summary=_("Access arrangements of %(name)s in %(sitting)s: %(now)s")
        % {"name": attempt.candidate.full_name, "sitting": attempt.sitting.name, "now": describe(now)},
        data={"attempt": attempt.pk, "before": before, "after": now.values(), "own": values is not None},
    )
    return now
