"""Writes for a centre's Results access: the mode, the query contact, the selection, the logins.

Rules:
- Access is derived whenever it is needed: a candidate has access when they are active at the centre and the
  centre's mode is "all", or it is "selected" and they are selected. Nothing else grants or keeps it.
- A login is generated once per candidate and never changed by confirming again; "new password" on chosen
  candidates replaces theirs, and their earlier letters stop working.
- A candidate who registered themselves with their ID number and Secret Number keeps that account and gets no
  generated login (they sign in as before). A generated login's account is linked to the candidate through the
  candidate's Results Online registration, which then counts as used: one account per candidate.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest

from examdesk.access import selectors
from examdesk.access.models import CandidateCredential, LetterRun, ResultsAccess, SelectedCandidate
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Centre
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now
from examdesk.people.models import Candidate

JOB_KIND = "access.letters"
EMAIL_JOB_KIND = "access.letter_emails"

TICK_REQUIRED = "Tick the box to confirm that your centre will deal with candidates' queries."
NAME_REQUIRED = "Enter the name of the person who will deal with candidates' queries."
PHONE_OR_EMAIL = "Enter a phone number or an e-mail address (or both) for candidates' queries."
PHONE_INVALID = "Enter a phone number with 7 to 15 digits, like +44 1223 553554 or 01223 553554."
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-]{5,28}$")


# --- Changing the settings ------------------------------------------------------------------------------------


def contact_problems(*, confirmed: bool, name: str, phone: str, email: str) -> dict[str, str]:
    """Field name → message, for everything that stops a confirmation."""
    problems: dict[str, str] = {}
    if not confirmed:
        problems["queries_confirmed"] = TICK_REQUIRED
    if not name.strip():
        problems["contact_name"] = NAME_REQUIRED
    if not phone.strip() and not email.strip():
        problems["contact_phone"] = PHONE_OR_EMAIL
    if phone.strip():
        digits = re.sub(r"\D", "", phone)
        if not _PHONE.match(phone.strip()) or not 7 <= len(digits) <= 15:
            problems["contact_phone"] = PHONE_INVALID
    if email.strip():
        try:
            validate_email(email.strip())
        except ValidationError:
            problems["contact_email"] = "Enter an e-mail address in the right format, like name@example.org."
    return problems


def access_confirm(
    *,
    actor: Any,
    centre: Centre,
    mode: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    queries_confirmed: bool,
    request: HttpRequest | None = None,
) -> LetterRun | None:
    """Save the settings and, if anyone with access lacks a login, start the letters job (returned)."""
    if mode not in ResultsAccess.Mode.values:
        raise ApplicationError("Choose no candidates, all candidates or selected candidates.")
    problems = contact_problems(
        confirmed=queries_confirmed, name=contact_name, phone=contact_phone, email=contact_email
    )
    if problems:
        raise ApplicationError(" ".join(problems.values()))
    with transaction.atomic():
        access, _ = ResultsAccess.objects.select_for_update().get_or_create(centre=centre)
        before = access.mode
        access.mode = mode
        access.contact_name = contact_name.strip()
        access.contact_phone = contact_phone.strip()
        access.contact_email = contact_email.strip().lower()
        access.queries_confirmed = True
        access.changed_at = now()
        access.changed_by = actor
        access.save()
        audit_record(
            action=AuditEvent.Action.CENTRE_UPDATED,
            request=request,
            actor=actor,
            centre=centre,
            summary=f"Results access: {access.get_mode_display()} (was {ResultsAccess.Mode(before).label})",
            data={"mode": mode, "before": before, "contact": access.contact},
        )
        if not selectors.needing_logins(centre=centre, access=access).exists():
            return None
        return letters_start(actor=actor, centre=centre, kind=LetterRun.Kind.NEW, request=request)


def selection_change(
    *, actor: Any, centre: Centre, candidate_ids: list[int], select: bool, request: HttpRequest | None = None
) -> int:
    """Select or deselect candidates of this centre; returns how many changed. Deselecting revokes at once."""
    with transaction.atomic():
        access, _ = ResultsAccess.objects.select_for_update().get_or_create(centre=centre)
        ids = list(Candidate.objects.filter(centre=centre, pk__in=candidate_ids).values_list("pk", flat=True))
        if select:
            already = set(
                SelectedCandidate.objects.filter(access=access, candidate_id__in=ids).values_list(
                    "candidate_id", flat=True
                )
            )
            SelectedCandidate.objects.bulk_create(
                [SelectedCandidate(access=access, candidate_id=pk) for pk in ids if pk not in already],
                ignore_conflicts=True,
            )
            changed = len(ids) - len(already)
        else:
            changed, _ = SelectedCandidate.objects.filter(access=access, candidate_id__in=ids).delete()
        access.changed_at = now()
        access.changed_by = actor
        access.save(update_fields=["changed_at", "changed_by"])
        audit_record(
            action=AuditEvent.Action.CENTRE_UPDATED,
            request=request,
            actor=actor,
            centre=centre,
            summary=f"Results access: {changed} candidate{'' if changed == 1 else 's'} "
            f"{'selected' if select else 'deselected'}",
            data={"select": select, "candidates": ids[:1000], "changed": changed},
        )
    return changed


def letters_start(
    *,
    actor: Any,
    centre: Centre,
    kind: str,
    candidate_ids: list[int] | None = None,
    request: HttpRequest | None = None,
) -> LetterRun:
    """Record a letters run and start its job, together."""
    from examdesk.jobs.services import job_create

    with transaction.atomic():
        run = LetterRun.objects.create(centre=centre, owner=actor, kind=kind, candidate_ids=candidate_ids or [])
        title = (
            f"Results Online logins and letters, centre {centre.number}"
            if kind == LetterRun.Kind.NEW
            else f"New Results Online passwords and letters, centre {centre.number}"
        )
        run.job = job_create(owner=actor, centre=centre, kind=JOB_KIND, title=title, params={"run_id": str(run.pk)})
        run.save(update_fields=["job"])
    return run


def regenerate_start(
    *, actor: Any, centre: Centre, candidate_ids: list[int], request: HttpRequest | None = None
) -> LetterRun | None:
    """New passwords (and letters) for chosen candidates of this centre who have a login."""
    ids = list(
        CandidateCredential.objects.filter(candidate__centre=centre, candidate_id__in=candidate_ids)
        .order_by("candidate_id")
        .values_list("candidate_id", flat=True)
    )
    if not ids:
        return None
    with transaction.atomic():
        run = letters_start(
            actor=actor, centre=centre, kind=LetterRun.Kind.REGENERATE, candidate_ids=ids, request=request
        )
        audit_record(
            action=AuditEvent.Action.CENTRE_UPDATED,
            request=request,
            actor=actor,
            centre=centre,
            summary=f"Results access: new passwords for {len(ids)} candidate{'' if len(ids) == 1 else 's'}",
            data={"candidates": ids[:1000], "run": str(run.pk)},
        )
    return run
