"""E-mailing each candidate their own statement of results, as a job, with a delivery status per candidate.

A centre's staff select results on the search page (ticked rows, or the whole search) and confirm. A run
(`StatementEmailRun`) lists every selected entry once (`StatementEmail`, waiting), then decides entry by entry,
through the release gate at that very moment (never a board preview):
- a released, issued result whose candidate has an e-mail address on record: the statement is rendered and an
  e-mail with the PDF attached is queued, in the same transaction that marks the row queued, so a resumed job
  never e-mails one entry twice in one run;
- anything else (no address, not released yet, pending, withheld, not online, no result): skipped, with the
  reason.
Once queued, a row's delivery is the outbound e-mail's own status: sent, or failed with the mail system's reason
after its retries (core/mail.py, core/tasks.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.models import Qualification, Series
from examdesk.centres.models import Centre
from examdesk.core import recipient_emails
from examdesk.core.mail import Attachment
from examdesk.core.models import OutboundEmail
from examdesk.core.time import format_in_zone
from examdesk.documents.statements import StatementData, render_statement
from examdesk.jobs.models import Job
from examdesk.jobs.registry import job_handler
from examdesk.jobs.runner import JobContext, JobResult
from examdesk.results import gate
from examdesk.results.centre.search import Criteria, Viewer, describe, search
from examdesk.results.languages import candidate_language
from examdesk.results.models import Entry, Result, StatementEmail, StatementEmailRun
from examdesk.results.statements.data import statement_data, statement_entries, statement_issue_date, verification_url
from examdesk.results.statements.names import statement_file_name

JOB_KIND = "results.statement_emails"
LIST_CHUNK = 2000
DELIVERY = recipient_emails.DELIVERY

NO_ADDRESS = "No e-mail address on record"
NO_ID_NUMBER = "No Results Online ID number, so no statement can be made"
GONE = "The entry is no longer at this centre"
REASONS = {
    gate.State.NOT_ONLINE: "Results for this qualification are not available online",
    gate.State.NO_RESULT: "No result yet",
    gate.State.PENDING: "Result pending",
    gate.State.WITHHELD: "Result withheld",
}


# --- What was selected ---------------------------------------------------------------------------------------


def sending_viewer(centre: Centre) -> Viewer:
    """E-mails go to candidates: what they carry is decided as a candidate would see it, never as a preview."""
    return Viewer(centre=centre, preview=False)


def selected_entries(viewer: Viewer, criteria: Criteria, ticked: list[int] | None) -> QuerySet[Entry]:
    entries = search(viewer, criteria)
    if ticked is not None:
        entries = entries.filter(pk__in=ticked)
    return entries


@dataclass(frozen=True)
class SelectionCounts:
    total: int
    ready: int  # released, issued, with an address: e-mailed if nothing changes before the job reaches them
    no_address: int
    no_statement: int  # with an address but nothing to send (not released, pending, withheld, not online…)
    sent_before: int  # of the ready ones, already e-mailed by an earlier run


def selection_counts(entries: QuerySet[Entry], *, centre: Centre) -> SelectionCounts:
    """What a run would do now, for the confirmation page (the job decides again, entry by entry)."""
    plain = entries.order_by().prefetch_related(None)
    issued = Result.objects.filter(entry=OuterRef("pk"), is_current=True, status=Result.Status.ISSUED)
    with_address = plain.exclude(candidate__email="")
    ready = with_address.filter(gate.released_entries_q(), Exists(issued))
    earlier = StatementEmail.objects.filter(
        run__centre=centre, entry=OuterRef("pk"), status=StatementEmail.Status.QUEUED
    ).exclude(email__status=OutboundEmail.Status.FAILED)
    total = plain.count()
    ready_count = ready.count()
    no_address = total - with_address.count()
    return SelectionCounts(
        total=total,
        ready=ready_count,
        no_address=no_address,
        no_statement=total - no_address - ready_count,
        sent_before=ready.filter(Exists(earlier)).count() if ready_count else 0,
    )


def describe_selection(criteria: Criteria, ticked: list[int] | None, *, centre: Centre) -> str:
    names: dict[str, str] = {}
    if criteria.series_id:
        names["series"] = str(Series.objects.filter(pk=criteria.series_id).values_list("name", flat=True).first())
    if criteria.qualification_id:
        names["qualification"] = str(
            Qualification.objects.filter(pk=criteria.qualification_id).values_list("name", flat=True).first()
        )
    if criteria.preparation_centre_id:
        prep = Centre.objects.filter(pk=criteria.preparation_centre_id).first()
        names["preparation_centre"] = f"{prep.number} {prep.name}" if prep else str(criteria.preparation_centre_id)
    words = describe(criteria, names=names)
    if ticked is not None:
        return f"{len(ticked)} ticked result{'' if len(ticked) == 1 else 's'} of the search: {words}"[:500]
    return f"The whole search: {words}"[:500]


# --- Starting a run -----------------------------------------------------------------------------------------


def may_email(centre: Centre) -> bool:
    """Only an exam centre e-mails its candidates; a preparation centre has no candidates of its own."""
    return centre.kind == Centre.Kind.EXAM


def statement_emails_start(
    *,
    actor: Any,
    centre: Centre,
    criteria: Criteria,
    ticked: list[int] | None,
    request: HttpRequest | None = None,
) -> StatementEmailRun:
    """Record the run and start its job, together (audited)."""
    from examdesk.jobs.services import job_create

    if not may_email(centre):
        raise Http404("Preparation centres do not e-mail candidates.")
    described = describe_selection(criteria, ticked, centre=centre)
    selection = {"criteria": criteria.as_params(), "ticked": ticked}
    with transaction.atomic():
        run = StatementEmailRun.objects.create(centre=centre, owner=actor, selection=selection, described=described)
        job = job_create(
            owner=actor,
            centre=centre,
            kind=JOB_KIND,
            title=f"Statements e-mailed to candidates of centre {centre.number}",
            params={"run_id": str(run.pk)},
        )
        run.job = job
        run.save(update_fields=["job"])
        audit_record(
            action=AuditEvent.Action.EXPORT_REQUESTED,
            request=request,
            actor=actor,
            centre=centre,
            summary="Statements of results e-mailed to candidates",
            data={"run": str(run.pk), "selection": described},
        )
    return run


def status_url(run: StatementEmailRun) -> str:
    return reverse(
        "centres:centre_results:statement_emails_status", kwargs={"number": run.centre.number, "run_id": run.pk}
    )


# --- The e-mail ---------------------------------------------------------------------------------------------


def email_subject(data: StatementData) -> str:
    return gettext("Your statement of results: {qualification}, {series}").format(
        qualification=data.qualification_name, series=data.series_name
    )[:200]


def email_body(data: StatementData, *, file_name: str) -> str:
    """No scores in the body: the statement is attached. In the active language (the caller chose it)."""
    return gettext(
        "Dear {first_name} {last_name},\n\n"
        "Your statement of results for {qualification} ({series}) is attached to this e-mail as a PDF file, "
        "{file_name}.\n\n"
        "{centre} (centre {centre_number}) has sent it to you. Please keep it safe: you may be asked for it when "
        "you apply for a course or a job. Anyone you show it to can check that it is genuine with the verification "
        "code printed on it:\n{verification_url}\n\n"
        "If you have a question about your result, or would like it to be checked, please contact the exams "
        "officer at {centre}. They will explain what can be done and how to ask for it.\n\n"
        "With our best wishes for what comes next,\n"
        "{board}\n"
    ).format(
        first_name=data.candidate_first_name,
        last_name=data.candidate_last_name,
        qualification=data.qualification_name,
        series=data.series_name,
        file_name=file_name,
        centre=data.centre_name,
        centre_number=data.centre_number,
        verification_url=data.verification_url,
        board=data.board_name,
    )


def skip_reason(shown: gate.Shown, *, address: str, zone: str) -> str:
    """Why this entry's statement is not e-mailed now; empty when it is."""
    if not address:
        return NO_ADDRESS
    if shown.state is gate.State.NOT_YET:
        if shown.released_at is None:
            return "Not released yet: the release date is to be announced"
        return f"Not released yet: available {format_in_zone(shown.released_at, zone)}"
    if shown.state is not gate.State.RELEASED or shown.result is None:
        return REASONS.get(shown.state, "No statement to send")
    return ""


# --- The job ------------------------------------------------------------------------------------------------


def _list_selection(ctx: JobContext, run: StatementEmailRun) -> None:
    """Phase 1: one waiting row per selected entry, in entry order. Safe to repeat (one row per entry)."""
    cp = ctx.checkpoint
    selection = run.selection or {}
    criteria = Criteria.from_params(selection.get("criteria") or {})
    entries = (
        selected_entries(sending_viewer(run.centre), criteria, selection.get("ticked"))
        .order_by("id")
        .prefetch_related(None)
    )
    if "max_id" not in cp:
        cp.update(max_id=entries.order_by("-id").values_list("id", flat=True).first() or 0, listed_after=0)
    while True:
        batch = list(
            entries.filter(id__gt=cp["listed_after"], id__lte=cp["max_id"]).values_list("id", "candidate__email")[
                :LIST_CHUNK
            ]
        )
        if not batch:
            break
        with transaction.atomic():
            StatementEmail.objects.bulk_create(
                [StatementEmail(run=run, entry_id=entry_id, address=email or "") for entry_id, email in batch],
                ignore_conflicts=True,
            )
            cp["listed_after"] = batch[-1][0]
            listed = StatementEmail.objects.filter(run=run).count()
            ctx.progress(done=0, total=listed, message=f"{listed} selected results listed")
    recipient_emails.progress_start(ctx, total=StatementEmail.objects.filter(run=run).count())


def _decision(run: StatementEmailRun, row_id: int, entry: Entry | None) -> recipient_emails.Decision:
    """Skip with the reason, or the e-mail with the statement, decided through the gate at this very moment."""
    if entry is None:
        return recipient_emails.Decision(row_id=row_id, address="", reason=GONE)
    address = (entry.candidate.email or "").strip()
    shown = gate.show(entry)  # never a preview: what the candidate would see at this moment
    reason = skip_reason(shown, address=address, zone=run.centre.time_zone)
    if reason:
        return recipient_emails.Decision(row_id=row_id, address=address, reason=reason)
    # The candidate's language if they chose one, else the centre's: the e-mail and its statement alike.
    with translation.override(candidate_language(entry.candidate)):
        try:
            data = statement_data(
                shown, issue_date=statement_issue_date(shown), verification_url=verification_url(entry)
            )
        except ValueError:
            return recipient_emails.Decision(row_id=row_id, address=address, reason=NO_ID_NUMBER)
        file_name = statement_file_name(entry)[1]
        attachment = Attachment(name=file_name, content=render_statement(data), content_type="application/pdf")
        outgoing = recipient_emails.Outgoing(
            subject=email_subject(data), body=email_body(data, file_name=file_name), attachments=[attachment]
        )
    return recipient_emails.Decision(row_id=row_id, address=address, outgoing=outgoing)


@job_handler(JOB_KIND)
def statement_emails_job(ctx: JobContext) -> JobResult:
    run = StatementEmailRun.objects.select_related("centre").get(pk=uuid.UUID(ctx.params["run_id"]))
    if not may_email(run.centre):
        raise ValueError("Preparation centres do not e-mail candidates.")
    if not ctx.checkpoint.get("listed"):
        _list_selection(ctx, run)

    def decide_batch(batch: list[StatementEmail]) -> Iterator[recipient_emails.Decision]:
        fetched = statement_entries(Entry.objects.filter(pk__in=[row.entry_id for row in batch], centre=run.centre))
        entries = {entry.pk: entry for entry in fetched}
        for row in batch:
            yield _decision(run, row.pk, entries.get(row.entry_id))

    queued, skipped = recipient_emails.send_waiting(ctx, StatementEmail.objects.filter(run=run), decide_batch)
    return JobResult(
        message=f"{queued} statement{'' if queued == 1 else 's'} e-mailed, {skipped} skipped",
        url=status_url(run),
    )


# --- Reading a run --------------------------------------------------------------------------------------------


def run_for_centre(*, centre: Centre, run_id: str) -> StatementEmailRun:
    """A run of this centre (the caller has checked the actor's capability there); anything else is 404."""
    try:
        key = uuid.UUID(run_id)
    except ValueError:
        raise Http404("No such run.") from None
    run = StatementEmailRun.objects.select_related("centre", "owner", "job").filter(pk=key, centre=centre).first()
    if run is None:
        raise Http404("No such run.")
    return run


def run_rows(*, run: StatementEmailRun, status: str = "") -> QuerySet[StatementEmail]:
    rows = recipient_emails.with_delivery(StatementEmail.objects.filter(run=run)).select_related(
        "entry__candidate", "entry__qualification", "entry__series", "email"
    )
    if status:
        rows = rows.filter(**{DELIVERY: status})
    return rows.order_by("entry__candidate_number", "entry__qualification__name", "id")


def run_counts(*, run: StatementEmailRun) -> dict[str, int]:
    """How many rows are in each delivery status, every status present (0 when none), and `total`."""
    return recipient_emails.delivery_counts(StatementEmail.objects.filter(run=run))


def run_is_settled(run: StatementEmailRun, counts: dict[str, int]) -> bool:
    """Nothing more will change on its own: the job has ended and no e-mail is waiting to be sent."""
    job_over = run.job is None or run.job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED)
    return job_over and not counts[StatementEmail.Status.QUEUED]
