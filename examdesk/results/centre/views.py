"""Centre staff: the results search (exam and preparation centres), a candidate's results, exports and links to
preparation centres. A candidate's Results Online letters are registrations/views.py's; statements from the search
are statements/views.py's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability, can
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now
from examdesk.results import gate
from examdesk.results.centre.exports import FORMATS, results_export_request
from examdesk.results.centre.forms import (
    LinkForm,
    ResultsSearchForm,
    criteria_pairs,
    criteria_query,
    selection_from_post,
)
from examdesk.results.centre.search import Criteria, Viewer, describe, search
from examdesk.results.centre.selectors import (
    candidate_entries,
    candidate_entry_for_link,
    candidate_for_results,
    not_online_message,
    preparation_centre_choices,
    registration_of,
    result_rows,
    search_answers,
    viewer_for,
)
from examdesk.results.registrations.forms import IdentityCheckForm
from examdesk.results.services import entries_preparation_centre_set, login_withdrawn
from examdesk.results.statements.data import profile_for

PAGE_SIZE = 50
#: The sortable columns: sort key, header, and the direction of a first click.
SORTABLE = {"number": "Candidate number", "name": "Name", "qualification": "Qualification", "score": "Score"}
FIRST_DESCENDING = {"score"}  # the best scores first


def _audit_preview(request: HttpRequest, centre: Centre, rows: list[gate.Shown]) -> None:
    """Board staff looking at scores before their release time leave a trace."""
    early = [s for s in rows if s.preview and s.result is not None and not gate.is_released(s.released_at, now=now())]
    if early:
        audit_record(
            action=AuditEvent.Action.RESULTS_PREVIEWED,
            request=request,
            centre=centre,
            summary=f"Board preview of {len(early)} unreleased result{'' if len(early) == 1 else 's'}",
            data={"entries": [s.entry.pk for s in early][:100]},
        )


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    href: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)


def _sort_columns(criteria: Criteria) -> dict[str, SortColumn]:
    current = criteria.sort.lstrip("-")
    descending = criteria.sort.startswith("-")
    columns = {}
    for key, label in SORTABLE.items():
        if key == current:
            aria = "descending" if descending else "ascending"
            following = key if descending else f"-{key}"
        else:
            aria = ""
            following = f"-{key}" if key in FIRST_DESCENDING else key
        columns[key] = SortColumn(key, label, "?" + criteria_query(criteria, sort=following), aria)
    return columns


def _viewer(request: HttpRequest, number: str, capability: Capability = Capability.VIEW_RESULTS) -> Viewer:
    centre = access_centre_by_number(actor=request.user, number=number, capability=capability)
    return viewer_for(actor=request.user, centre=centre)


def _may_link(request: HttpRequest, viewer: Viewer) -> bool:
    return not viewer.is_preparation_centre and can(request.user, viewer.centre, Capability.MANAGE_REGISTRATIONS)


@login_required
@require_GET
def results_list(request: HttpRequest, number: str) -> HttpResponse:
    """Seed 000's report: criteria, a sortable page of 50, what the search found or why nothing shows."""
    viewer = _viewer(request, number)
    centre = viewer.centre
    params = request.GET.copy()
    params.pop("page", None)
    form = ResultsSearchForm(params or None, viewer=viewer)
    context: dict[str, Any] = {
        "centre": centre,
        "viewer": viewer,
        "form": form,
        "preview": viewer.preview,
        "searched": False,
        "can_letters": not viewer.is_preparation_centre and can(request.user, centre, Capability.MANAGE_REGISTRATIONS),
        "can_link": _may_link(request, viewer),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "results/centre/list.html", context)
    criteria = form.criteria()
    entries = search(viewer, criteria)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = result_rows(page.object_list, viewer=viewer)
    _audit_preview(request, centre, [row.shown for row in rows])
    count = page.paginator.count
    context.update(
        searched=True,
        criteria=criteria,
        described=describe(criteria, names=form.names()),
        page=page,
        rows=rows,
        count=count,
        answers=search_answers(viewer=viewer, criteria=criteria, entries=entries, rows=rows, count=count),
        columns=_sort_columns(criteria),
        hidden_criteria=criteria_pairs(criteria),
        query=criteria_query(criteria),
        link_form=LinkForm(centre=centre) if context["can_link"] else None,
    )
    return render(request, "results/centre/list.html", context)


def _back_to_search(viewer: Viewer, criteria: Criteria | None, page: str = "") -> HttpResponse:
    url = reverse("centres:centre_results:list", args=[viewer.centre.number])
    if criteria is not None:
        query = criteria_query(criteria, page=page if page.isdigit() else "")
        if query:
            url += "?" + query
    return redirect(url)


@login_required
@require_POST
def results_export(request: HttpRequest, number: str) -> HttpResponse:
    """Export the search (the criteria posted as hidden fields) as CSV or XLSX, as a job."""
    viewer = _viewer(request, number)
    form = ResultsSearchForm(request.POST, viewer=viewer)
    if not form.is_valid():
        messages.error(request, gettext("The search could not be exported: search again, then export."))
        return _back_to_search(viewer, None)
    fmt = request.POST.get("format", "csv")
    job = results_export_request(
        actor=request.user,
        viewer=viewer,
        criteria=form.criteria(),
        fmt=fmt if fmt in FORMATS else "csv",
        names=form.names(),
        request=request,
    )
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_POST
def entries_link(request: HttpRequest, number: str) -> HttpResponse:
    """Link the ticked entries (or every entry of the search) to a preparation centre, or unlink them."""
    viewer = _viewer(request, number, Capability.MANAGE_REGISTRATIONS)
    if viewer.is_preparation_centre:
        raise Http404("Preparation centres do not link entries.")
    try:
        criteria, ticked = selection_from_post(request.POST, viewer)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back_to_search(viewer, None)
    back = _back_to_search(viewer, criteria, request.POST.get("page", ""))
    form = LinkForm(request.POST, centre=viewer.centre)
    if not form.is_valid():
        messages.error(request, str(form.errors["link_to"][0]))
        return back
    if ticked is None:
        ticked = list(search(viewer, criteria).prefetch_related(None).values_list("pk", flat=True))
    if not ticked:
        messages.error(request, gettext("Tick at least one entry to link."))
        return back
    target = form.target()
    try:
        changed = entries_preparation_centre_set(
            actor=request.user,
            centre=viewer.centre,
            entry_ids=ticked,
            preparation_centre=target,
            request=request,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return back
    messages.success(request, _link_message(changed, len(ticked), target))
    return back


def _link_message(changed: int, chosen: int, target: Centre | None) -> str:
    plural = "entry" if changed == 1 else "entries"
    where = f"{target.number} {target.name}" if target else ""
    if changed == 0:
        return f"Nothing changed: {'they were' if chosen > 1 else 'it was'} already " + (
            f"linked to {where}." if target else "not linked to a preparation centre."
        )
    if target is None:
        return f"{changed} {plural} unlinked from their preparation centre."
    return f"{changed} {plural} linked to {where}. Its staff see {'their' if changed > 1 else 'its'} results " + (
        "from the release time."
    )


@login_required
@require_GET
def candidate_results(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    viewer = _viewer(request, number)
    centre = viewer.centre
    candidate = candidate_for_results(viewer=viewer, candidate_id=candidate_id)
    entries = candidate_entries(viewer=viewer, candidate=candidate)
    rows = result_rows(entries, viewer=viewer)
    _audit_preview(request, centre, [row.shown for row in rows])
    details = [
        (row, profile_for(row.entry, row.shown.result))
        for row in rows
        if row.shown.result is not None and row.shown.state is gate.State.RELEASED
    ]
    prep = viewer.is_preparation_centre
    registration = None if prep else registration_of(candidate=candidate)
    return render(
        request,
        "results/centre/candidate.html",
        {
            "centre": centre,
            "viewer": viewer,
            "candidate": candidate,
            "rows": rows,
            "details": details,
            "preview": viewer.preview,
            "not_online_message": not_online_message(viewer),
            "registration": registration,
            "login_withdrawn": registration is not None and login_withdrawn(registration=registration),
            "can_letters": not prep and can(request.user, centre, Capability.MANAGE_REGISTRATIONS),
            "can_link": _may_link(request, viewer),
            "preparation_centres": list(preparation_centre_choices(centre=centre)) if not prep else [],
            "identity_form": IdentityCheckForm(),
        },
    )


@login_required
@require_POST
def entry_link(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    """Link one entry of the candidate to a preparation centre, or unlink it (the candidate's page)."""
    viewer = _viewer(request, number, Capability.MANAGE_REGISTRATIONS)
    if viewer.is_preparation_centre:
        raise Http404("Preparation centres do not link entries.")
    centre = viewer.centre
    candidate = candidate_for_results(viewer=viewer, candidate_id=candidate_id)
    entry_id = request.POST.get("entry", "")
    entry = candidate_entry_for_link(
        centre=centre, candidate=candidate, entry_id=int(entry_id) if entry_id.isdigit() else 0
    )
    back = redirect("centres:centre_results:candidate", number=centre.number, candidate_id=candidate.pk)
    form = LinkForm(request.POST, centre=centre)
    if not form.is_valid():
        messages.error(request, str(form.errors["link_to"][0]))
        return back
    target = form.target()
    try:
        changed = entries_preparation_centre_set(
            actor=request.user, centre=centre, entry_ids=[entry.pk], preparation_centre=target, request=request
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return back
    what = f"{entry.qualification.name}, {entry.series.name}"
    if not changed:
        messages.success(request, f"Nothing changed for {what}.")
    elif target is None:
        messages.success(request, f"{what} is no longer linked to a preparation centre.")
    else:
        messages.success(request, f"{what} is now linked to {target.number} {target.name}.")
    return back
