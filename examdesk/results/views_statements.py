"""Statements of results in bulk: the search page posts its selection here; the job makes the print file and the
zip of single files, and its page (jobs app) shows the progress, the downloads and what was left out."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.jobs.models import Job
from examdesk.jobs.selectors import access_job_by_id
from examdesk.results.forms_centre import criteria_query, selection_from_post
from examdesk.results.search import Criteria
from examdesk.results.statements_bulk import KIND, statements_start, statements_viewer

NOTHING_TICKED = "Tick at least one result, or choose every result of the search."


def _back(centre: Centre, criteria: Criteria | None) -> HttpResponse:
    url = reverse("centres:centre_results:list", kwargs={"number": centre.number})
    query = criteria_query(criteria) if criteria is not None else ""
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, number: str) -> HttpResponse:
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
def status(request: HttpRequest, number: str, run_id: str) -> HttpResponse:
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
