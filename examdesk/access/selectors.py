"""Reads of a centre's Results access, scoped to a centre the caller has already guarded
(`centres.selectors.access_centre_by_number`).

Access is derived whenever it is needed: a candidate has access when they are active at the centre and the
centre's mode is "all", or it is "selected" and they are selected (see services.py for the rules that write)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from examdesk.access.models import CandidateCredential, LetterRun, ResultsAccess, SelectedCandidate
from examdesk.accounts.generated_logins import is_login_email
from examdesk.centres.models import Centre
from examdesk.core.text import fold
from examdesk.people.models import Candidate
from examdesk.results.models import Entry, OnlineRegistration

RECENT_RUNS = 10

REGISTERED_OWN = (
    "This login is no longer used: you registered with your own e-mail address. Sign in with it, or use "
    "'Forgotten your password?'."
)
NO_ACCESS = (
    "Your centre has not given you access to Results Online, or has withdrawn it. Contact your centre: {contact}"
)


def access_get(*, centre: Centre) -> ResultsAccess:
    """The centre's settings; a centre that never chose has "No candidates" (an unsaved row)."""
    found = ResultsAccess.objects.select_related("changed_by").filter(centre=centre).first()
    return found if found is not None else ResultsAccess(centre=centre)


def candidates_with_access(*, centre: Centre, access: ResultsAccess | None = None) -> QuerySet[Candidate]:
    """Who has access now: derived from the mode and, for "selected", the selection."""
    access = access if access is not None else access_get(centre=centre)
    active = Candidate.objects.filter(centre=centre, is_active=True)
    if access.mode == ResultsAccess.Mode.ALL:
        return active
    if access.mode == ResultsAccess.Mode.SELECTED and access.pk is not None:
        return active.filter(Exists(SelectedCandidate.objects.filter(access=access, candidate=OuterRef("pk"))))
    return active.none()


def registered_themselves_q() -> Q:
    """Candidates who registered with their ID number and Secret Number (an account that is not a login)."""
    own = OnlineRegistration.objects.filter(candidate=OuterRef("pk"), user__isnull=False).exclude(
        user__results_credential__isnull=False
    )
    return Q(Exists(own))


def needing_logins(*, centre: Centre, access: ResultsAccess | None = None) -> QuerySet[Candidate]:
    """Candidates with access who have no login yet and did not register themselves."""
    return (
        candidates_with_access(centre=centre, access=access)
        .filter(results_credential__isnull=True)
        .exclude(registered_themselves_q())
    )


def has_access(*, candidate: Candidate) -> bool:
    return candidates_with_access(centre=candidate.centre).filter(pk=candidate.pk).exists()


def refusal_for(*, user: Any) -> str:
    """Why a generated login may not be used now (empty when it may). Anyone else: always empty."""
    user_id = getattr(user, "pk", None)
    if user_id is None or not is_login_email(getattr(user, "email", "")):
        return ""  # only generated logins have an address under the reserved domain: no query for anyone else
    credential = (
        CandidateCredential.objects.select_related("candidate__centre", "candidate__online_registration")
        .filter(user_id=user_id)
        .first()
    )
    if credential is None:
        return ""
    registration = getattr(credential.candidate, "online_registration", None)
    if registration is not None and registration.user_id not in (None, credential.user_id):
        # Registered with their own account while the login was withdrawn: that account is theirs now.
        return REGISTERED_OWN
    if has_access(candidate=credential.candidate):
        return ""
    access = access_get(centre=credential.candidate.centre)
    centre = credential.candidate.centre
    contact = access.contact or f"the exams officer at {centre.name}"
    return NO_ACCESS.format(contact=contact)


@dataclass(frozen=True)
class Counts:
    with_access: int
    logins: int  # generated logins of the centre's candidates
    letters_pending: int  # candidates with access still waiting for a login letter
    registered_themselves: int  # with access, signing in with their own registration


def counts(*, centre: Centre, access: ResultsAccess | None = None) -> Counts:
    access = access if access is not None else access_get(centre=centre)
    scope = candidates_with_access(centre=centre, access=access)
    waiting = needing_logins(centre=centre, access=access).count() + (
        CandidateCredential.objects.filter(candidate__in=scope, letter_issued_at__isnull=True).count()
    )
    return Counts(
        with_access=scope.count(),
        logins=CandidateCredential.objects.filter(candidate__centre=centre).count(),
        letters_pending=waiting,
        registered_themselves=scope.filter(registered_themselves_q()).count(),
    )


def page_url(*, centre: Centre) -> str:
    return reverse("centres:access:status", args=[centre.number])


# --- The pages' lists ---------------------------------------------------------------------------------------------


def letter_run_list_recent(*, centre: Centre) -> list[LetterRun]:
    """The centre's latest letter runs (the model's order), with who made them and their job."""
    return list(LetterRun.objects.filter(centre=centre).select_related("owner", "job")[:RECENT_RUNS])


def candidate_list_filtered(
    *, centre: Centre, access: ResultsAccess, filters: dict[str, Any] | None
) -> QuerySet[Candidate]:
    """The centre's active candidates in name order, narrowed by the filter form's cleaned data (None: no filter):
    a name or unique ID, a group, a qualification and series they are entered for, with or without access."""
    rows = Candidate.objects.filter(centre=centre, is_active=True)
    if filters is None:
        return rows.order_by("last_name", "first_name", "pk")
    if filters.get("q"):
        text = fold(filters["q"].strip())
        rows = rows.filter(
            Q(first_name_folded__icontains=text) | Q(last_name_folded__icontains=text) | Q(unique_id__iexact=text)
        )
    if filters.get("group"):
        rows = rows.filter(groups=filters["group"])
    entries = Entry.objects.filter(centre=centre, candidate=OuterRef("pk"))
    if filters.get("qualification"):
        entries = entries.filter(qualification=filters["qualification"])
    if filters.get("series"):
        entries = entries.filter(series=filters["series"])
    if filters.get("qualification") or filters.get("series"):
        rows = rows.filter(Exists(entries))
    with_access = candidates_with_access(centre=centre, access=access).values("pk")
    if filters.get("show") == "access":
        rows = rows.filter(pk__in=with_access)
    elif filters.get("show") == "no-access":
        rows = rows.exclude(pk__in=with_access)
    return rows.order_by("last_name", "first_name", "pk")


def candidate_ids_with_access(*, centre: Centre, access: ResultsAccess, candidate_ids: list[int]) -> set[int]:
    """Which of these candidates have access now."""
    scope = candidates_with_access(centre=centre, access=access).filter(pk__in=candidate_ids)
    return set(scope.values_list("pk", flat=True))


def credentials_by_candidate(*, centre: Centre, candidate_ids: list[int]) -> dict[int, CandidateCredential]:
    """The generated logins of these candidates of the centre, keyed by candidate id."""
    rows = CandidateCredential.objects.filter(candidate__centre=centre, candidate_id__in=candidate_ids)
    return {credential.candidate_id: credential for credential in rows}


def letter_run_get_for_job(*, run_id: str) -> LetterRun:
    """The letter run a job works on (its owner was checked when the job was created), with its centre and board."""
    return LetterRun.objects.select_related("centre__board").get(pk=uuid.UUID(run_id))
