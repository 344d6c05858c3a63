"""The Results access pages at /centres/<number>/results-access/ for centre admins and exams officers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from examdesk.access import emails, letters, selectors, services
from examdesk.access.forms import AccessForm, CandidateFilterForm
from examdesk.access.models import LetterRun, ResultsAccess
from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError

PAGE_SIZE = 100


def _centre(request: HttpRequest, number: str) -> Centre:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_REGISTRATIONS)
    if centre.kind != Centre.Kind.EXAM:
        raise Http404("Results access is the exam centre's.")
    return centre


@login_required
@require_GET
def status(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number)
    access = selectors.access_get(centre=centre)
    runs = selectors.letter_run_list_recent(centre=centre)
    context = {
        "centre": centre,
        "access": access,
        "counts": selectors.counts(centre=centre, access=access),
        "runs": runs,
        "may_download": letters.may_download(request.user, centre),
        "retention_days": settings.EXAMDESK_LETTER_RETENTION_DAYS,
    }
    return render(request, "access/status.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number)
    access = selectors.access_get(centre=centre)
    initial = {
        "mode": access.mode,
        "contact_name": access.contact_name,
        "contact_phone": access.contact_phone,
        "contact_email": access.contact_email,
    }
    form = AccessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.access_confirm(
                actor=request.user,
                centre=centre,
                mode=data["mode"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                queries_confirmed=data["queries_confirmed"],
                request=request,
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            if run is not None and run.job is not None:
                messages.success(
                    request, gettext("Settings saved. Logins and letters are being made for candidates without one.")
                )
                return redirect("jobs:detail", job_id=run.job.pk)
            if data["mode"] == ResultsAccess.Mode.SELECTED:
                messages.success(
                    request, gettext("Settings saved. Now select the candidates who may see their results online.")
                )
                return redirect("centres:access:candidates", number=centre.number)
            messages.success(request, gettext("Settings saved."))
            return redirect("centres:access:status", number=centre.number)
    return render(request, "access/edit.html", {"centre": centre, "access": access, "form": form})


@login_required
@require_POST
def make_letters(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number)
    access = selectors.access_get(centre=centre)
    if access.pk is None or not access.queries_confirmed:
        messages.error(request, gettext("Confirm the settings first, with your contact for candidates' queries."))
        return redirect("centres:access:edit", number=centre.number)
    if not selectors.needing_logins(centre=centre, access=access).exists():
        messages.info(request, gettext("Every candidate with access already has a login."))
        return redirect("centres:access:status", number=centre.number)
    run = services.letters_start(actor=request.user, centre=centre, kind=LetterRun.Kind.NEW, request=request)
    assert run.job is not None
    return redirect("jobs:detail", job_id=run.job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def candidates(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number)
    access = selectors.access_get(centre=centre)
    form = CandidateFilterForm(request.GET or None, centre=centre)
    matching = selectors.candidate_list_filtered(
        centre=centre, access=access, filters=form.cleaned_data if form.is_valid() else None
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action.endswith("-matching"):
            ids = list(matching.values_list("pk", flat=True))
        else:
            ids = [int(v) for v in request.POST.getlist("candidate") if v.isascii() and v.isdigit()]
        if not ids:
            messages.error(request, gettext("Tick at least one candidate first."))
        elif action in ("select", "select-matching", "deselect", "deselect-matching"):
            select = action.startswith("select")
            changed = services.selection_change(
                actor=request.user, centre=centre, candidate_ids=ids, select=select, request=request
            )
            word = "selected" if select else "deselected"
            note = "" if select else " Their logins stop working at once."
            messages.success(request, f"{changed} candidate{'' if changed == 1 else 's'} {word}.{note}")
            if access.mode != ResultsAccess.Mode.SELECTED:
                messages.info(request, gettext("The selection is used when the status is 'Selected candidates'."))
        elif action == "regenerate":
            run = services.regenerate_start(actor=request.user, centre=centre, candidate_ids=ids, request=request)
            if run is None or run.job is None:
                messages.error(
                    request, gettext("None of the ticked candidates has a login yet: make their letters instead.")
                )
            else:
                return redirect("jobs:detail", job_id=run.job.pk)
        return redirect(request.get_full_path())
    page = Paginator(matching, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [candidate.pk for candidate in page]
    allowed = selectors.candidate_ids_with_access(centre=centre, access=access, candidate_ids=ids)
    logins = selectors.credentials_by_candidate(centre=centre, candidate_ids=ids)
    rows = [(candidate, candidate.pk in allowed, logins.get(candidate.pk)) for candidate in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "centre": centre,
        "access": access,
        "form": form,
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
        "matching_count": page.paginator.count,
    }
    return render(request, "access/candidates.html", context)


@login_required
@require_GET
def download(request: HttpRequest, number: str, run_id: str, which: str) -> FileResponse:
    run = letters.run_for_download(user=request.user, number=number, run_id=run_id)
    return letters.letters_download(user=request.user, run=run, which=which, request=request)


@login_required
@require_POST
def emails_start(request: HttpRequest, number: str, run_id: str) -> HttpResponse:
    run = letters.run_for_download(user=request.user, number=number, run_id=run_id)
    job = emails.emails_start(actor=request.user, run=run, request=request)
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_GET
def emails_status(request: HttpRequest, number: str, run_id: str) -> HttpResponse:
    centre = _centre(request, number)
    run = emails.run_for_centre(number=centre.number, run_id=run_id)
    rows = Paginator(emails.run_rows(run), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "centre": centre,
        "run": run,
        "page": rows,
        "counts": emails.run_counts(run),
        "query": "",
    }
    return render(request, "access/emails.html", context)
