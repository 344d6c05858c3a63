"""Statements from the search page: in bulk (the job makes the print file and the zip of single files; its page in
the jobs app shows the progress, the downloads and what was left out), and e-mailed to candidates (confirm what was
selected, start the job, and follow each candidate's delivery on the run's status page, which refreshes itself while
e-mails are queued)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.jobs.models import Job
from examdesk.jobs.selectors import access_job_by_id
from examdesk.results.centre.forms import criteria_query, selection_from_post
from examdesk.results.centre.search import Criteria
from examdesk.results.models import StatementEmail
from examdesk.results.statements.bulk import KIND, statements_start, statements_viewer
from examdesk.results.statements.emails import (
    describe_selection,
    may_email,
    run_counts,
    run_for_centre,
    run_is_settled,
    run_rows,
    selected_entries,
    selection_counts,
    sending_viewer,
    statement_emails_start,
    status_url,
)

# --- In bulk: the print file and the zip of single files ---------------------------------------------------------

NOTHING_TICKED = "Tick at least one result, or choose every result of the search."


def _back(centre: Centre, criteria: Criteria | None) -> HttpResponse:
    url = reverse("centres:centre_results:list", kwargs={"number": centre.number})
    query = criteria_query(criteria) if criteria is not None else ""
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_http_methods(["GET", "POST"])
def bulk_start(request: HttpRequest, number: str) -> HttpResponse:
    """POST from the results search: the ticked results (scope "ticked") or every result of the search (scope
    "search"), in any number. Starts the job and shows its page."""
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_RESULTS)
    if request.method == "GET":
        return _back(centre, None)
    viewer = statements_viewer(centre)
    try:
        criteria, entry_ids = selection_from_post(request.POST, viewer)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back(centre, None)
    if entry_ids is not None and not entry_ids:
        messages.error(request, NOTHING_TICKED)
        return _back(centre, criteria)
    job = statements_start(actor=request.user, centre=centre, criteria=criteria, entry_ids=entry_ids, request=request)
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_GET
def bulk_status(request: HttpRequest, number: str, run_id: str) -> HttpResponse:
    """A statements job of this centre, by its id: its page in the jobs app (404 for anything else)."""
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_RESULTS)
    try:
        job_id = uuid.UUID(run_id)
    except ValueError:
        raise Http404("No such statements job.") from None
    job = access_job_by_id(actor=request.user, job_id=job_id)
    if job.kind != KIND or job.centre_id != centre.pk:
        raise Http404("No such statements job.")
    assert isinstance(job, Job)
    return redirect("jobs:detail", job_id=job.pk)


# --- E-mailed to candidates ---------------------------------------------------------------------------------

PAGE_SIZE = 50
NOTHING_TICKED_TO_EMAIL = "Tick at least one result, or choose to e-mail every result of the search."
# htmx stops polling when a response has this status.
HTMX_STOP_POLLING = 286
FILTERS = [
    ("", "All"),
    (StatementEmail.Status.QUEUED, "Queued"),
    (StatementEmail.Status.SENT, "Sent"),
    (StatementEmail.Status.FAILED, "Failed"),
    (StatementEmail.Status.SKIPPED, "Skipped"),
    (StatementEmail.Status.WAITING, "Waiting"),
]


def _emailing_centre(request: HttpRequest, number: str) -> Centre:
    """The exam centre, for its centre admins and exams officers (and its board's staff); 404 for anyone else's
    centre, and for a preparation centre, which does not e-mail candidates."""
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_REGISTRATIONS)
    if not may_email(centre):
        raise Http404("Preparation centres do not e-mail candidates.")
    return centre


@login_required
@require_http_methods(["GET", "POST"])
def emails_start(request: HttpRequest, number: str) -> HttpResponse:
    """POST from the search page: the confirmation. POST with confirm=yes: start the run."""
    centre = _emailing_centre(request, number)
    if request.method == "GET":
        return redirect("centres:centre_results:list", number=centre.number)
    viewer = sending_viewer(centre)
    try:
        criteria, ticked = selection_from_post(request.POST, viewer)
    except ApplicationError as error:
        return render(request, "results/statements/emails/confirm.html", {"centre": centre, "problem": error.message})
    if ticked == []:
        return render(
            request, "results/statements/emails/confirm.html", {"centre": centre, "problem": NOTHING_TICKED_TO_EMAIL}
        )
    counts = selection_counts(selected_entries(viewer, criteria, ticked), centre=centre)
    if request.POST.get("confirm") == "yes" and counts.ready:
        run = statement_emails_start(
            actor=request.user, centre=centre, criteria=criteria, ticked=ticked, request=request
        )
        return redirect(status_url(run))
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirm")
        for value in values
    ]
    return render(
        request,
        "results/statements/emails/confirm.html",
        {
            "centre": centre,
            "counts": counts,
            "described": describe_selection(criteria, ticked, centre=centre),
            "carried": carried,
        },
    )


@login_required
@require_GET
def emails_status(request: HttpRequest, number: str, run_id: str) -> HttpResponse:
    """Each selected candidate with their delivery status: counts, a filter, a page of rows."""
    centre = _emailing_centre(request, number)
    run = run_for_centre(centre=centre, run_id=run_id)
    wanted = request.GET.get("status", "")
    if wanted not in StatementEmail.Status.values:
        wanted = ""
    counts = run_counts(run=run)
    page = Paginator(run_rows(run=run, status=wanted), PAGE_SIZE).get_page(request.GET.get("page"))
    settled = run_is_settled(run, counts)
    query = request.GET.copy()
    query.pop("page", None)
    filters = [
        (value, label, counts["total"] if not value else counts[value])
        for value, label in FILTERS
        if not value or value != StatementEmail.Status.WAITING or counts[value]
    ]
    context = {
        "centre": centre,
        "run": run,
        "job": run.job,
        "counts": counts,
        "filters": filters,
        "wanted": wanted,
        "page": page,
        "query": query.urlencode(),
        "settled": settled,
    }
    response = render(
        request,
        "results/statements/emails/_status.html"
        if request.headers.get("HX-Request")
        else "results/statements/emails/status.html",
        context,
    )
    if settled and request.headers.get("HX-Request"):
        response.status_code = HTMX_STOP_POLLING
    response["Cache-Control"] = "private, no-store"
    return response
