"""E-mailing each candidate their own login letter from a run, with a delivery status per candidate.

The same pattern as statements e-mailed to candidates (results/statements/emails.py): one row per candidate of
the run, decided once (queued with the letter attached, or skipped with the reason), the row, the e-mail and
the checkpoint committed together so a resumed job never e-mails one letter twice; once queued, delivery is the
outbound e-mail's own status (sent, or failed with the mail system's reason after its retries).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext

from examdesk.access.letters import in_scope_ids, letter_member
from examdesk.access.models import CandidateCredential, LetterEmail, LetterRun
from examdesk.access.selectors import access_get
from examdesk.access.services import EMAIL_JOB_KIND
from examdesk.accounts.generated_logins import is_login_email
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.core import recipient_emails
from examdesk.core.mail import Attachment
from examdesk.people.models import Candidate
from examdesk.results.languages import candidate_language

DELIVERY = recipient_emails.DELIVERY
NO_ADDRESS = "No e-mail address on record"
REPLACED = "A newer letter replaces this one (new password)"
NO_ACCESS = "No access to Results Online now"
GONE = "The letters have been deleted"


def emails_start(*, actor: Any, run: LetterRun, request: HttpRequest | None = None) -> Any:
    from examdesk.jobs.services import job_create

    if not run.has_files:
        raise Http404("These letters have been deleted.")
    with transaction.atomic():
        job = job_create(
            owner=actor,
            centre=run.centre,
            kind=EMAIL_JOB_KIND,
            title=f"Login letters e-mailed to candidates of centre {run.centre.number}",
            params={"run_id": str(run.pk)},
        )
        audit_record(
            action=AuditEvent.Action.EXPORT_REQUESTED,
            request=request,
            actor=actor,
            centre=run.centre,
            summary=f"Results Online login letters e-mailed to candidates ({run.letters} letters)",
            data={"run": str(run.pk)},
        )
    return job


def email_body(candidate: Candidate, *, centre_name: str, contact: str, file_name: str) -> str:
    """No username or password in the body: they are only in the attached letter."""
    return gettext(
        "Dear {first_name} {last_name},\n\n"
        "{centre} has set up your Results Online login. Your letter, {file_name}, is attached: it has "
        "your username and password, the steps to sign in and when your results are released.\n\n"
        "Keep it private. When you first sign in you are asked to choose your own password.\n\n"
        "Questions? Contact {contact}.\n"
    ).format(
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        centre=centre_name,
        file_name=file_name,
        contact=contact,
    )


def skip_reason(candidate: Candidate, *, run: LetterRun, current_run_id: Any, in_scope: set[int]) -> str:
    address = (candidate.email or "").strip()
    if not address or is_login_email(address):
        return NO_ADDRESS
    if current_run_id != run.pk:
        return REPLACED
    if candidate.pk not in in_scope:
        return NO_ACCESS
    return ""


def emails_run(ctx: Any, run: LetterRun) -> tuple[int, int]:
    """List every candidate of the run once, then decide row by row; returns (queued, skipped)."""
    rows = LetterEmail.objects.filter(run=run)
    if not ctx.checkpoint.get("listed"):
        ids = [int(pk) for pk in run.members]
        LetterEmail.objects.bulk_create(
            [LetterEmail(run=run, candidate_id=pk) for pk in ids], ignore_conflicts=True, batch_size=1000
        )
        recipient_emails.progress_start(ctx, total=len(ids))
    access = access_get(centre=run.centre)
    contact = access.contact
    in_scope = in_scope_ids(run.centre)

    def decide_batch(batch: list[LetterEmail]) -> Iterator[recipient_emails.Decision]:
        candidates = {c.pk: c for c in Candidate.objects.filter(pk__in=[row.candidate_id for row in batch])}
        current = dict(
            CandidateCredential.objects.filter(candidate_id__in=candidates).values_list("candidate_id", "letter_run_id")
        )
        for row in batch:
            candidate = candidates[row.candidate_id]
            address = (candidate.email or "").strip()
            reason = skip_reason(candidate, run=run, current_run_id=current.get(candidate.pk), in_scope=in_scope)
            member = None if reason else letter_member(run, candidate.pk)
            if member is None:
                yield recipient_emails.Decision(row_id=row.pk, address=address, reason=reason or GONE)
                continue
            name, content = member
            with translation.override(candidate_language(candidate)):
                outgoing = recipient_emails.Outgoing(
                    subject=gettext("Your Results Online login: {centre}").format(centre=run.centre.name),
                    body=email_body(
                        candidate,
                        centre_name=run.centre.name,
                        contact=contact or gettext("the exams officer at {centre}").format(centre=run.centre.name),
                        file_name=name,
                    ),
                    attachments=[Attachment(name=name, content=content, content_type="application/pdf")],
                )
            yield recipient_emails.Decision(row_id=row.pk, address=address, outgoing=outgoing)

    return recipient_emails.send_waiting(ctx, rows, decide_batch)


def run_for_centre(*, number: str, run_id: str) -> LetterRun:
    try:
        key = uuid.UUID(run_id)
    except ValueError:
        raise Http404("No such letters.") from None
    run = LetterRun.objects.select_related("centre").filter(pk=key, centre__number=number).first()
    if run is None:
        raise Http404("No such letters.")
    return run


def run_rows(run: LetterRun) -> QuerySet[LetterEmail]:
    return (
        recipient_emails.with_delivery(LetterEmail.objects.filter(run=run))
        .select_related("candidate", "email")
        .order_by("candidate__last_name", "candidate__first_name", "id")
    )


def run_counts(run: LetterRun) -> dict[str, int]:
    return recipient_emails.delivery_counts(LetterEmail.objects.filter(run=run))
