"""Centre staff: their entries and, once released, results; Results Online letters and help for candidates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability, can
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.core.http import attachment
from examdesk.core.time import now
from examdesk.results import gate, registrations
from examdesk.results.exports import results_export_request
from examdesk.results.forms_centre import EmailCorrectForm, IdentityCheckForm, ResultsFilterForm, SeriesLettersForm
from examdesk.results.selectors import (
    candidate_entries,
    candidate_for_results,
    entries_for_centre,
    may_preview,
    registration_of,
)

PAGE_SIZE = 50


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


@login_required
def results_list(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_RESULTS)
    form = ResultsFilterForm(request.GET or None, centre=centre)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = entries_for_centre(
        centre=centre,
        series=filters.get("series"),
        qualification=filters.get("qualification"),
        search=filters.get("q") or "",
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    preview = may_preview(actor=request.user, centre=centre)
    query = request.GET.copy()
    query.pop("page", None)
    rows = gate.show_all(page.object_list, preview=preview)
    _audit_preview(request, centre, rows)
    return render(
        request,
        "results/centre/list.html",
        {
            "centre": centre,
            "form": form,
            "page": page,
            "rows": rows,
            "preview": preview,
            "query": query.urlencode(),
            "can_letters": can(request.user, centre, Capability.MANAGE_REGISTRATIONS),
        },
    )


@login_required
@require_POST
def results_export(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_RESULTS)
    form = ResultsFilterForm(request.POST, centre=centre)
    filters = form.cleaned_data if form.is_valid() else {}
    job = results_export_request(
        actor=request.user,
        centre=centre,
        filters=filters,
        preview=may_preview(actor=request.user, centre=centre),
        request=request,
    )
    return redirect("jobs:detail", job_id=job.pk)


@login_required
def candidate_results(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_RESULTS)
    candidate = candidate_for_results(centre=centre, candidate_id=candidate_id)
    preview = may_preview(actor=request.user, centre=centre)
    rows = gate.show_all(candidate_entries(centre=centre, candidate=candidate), preview=preview)
    _audit_preview(request, centre, rows)
    return render(
        request,
        "results/centre/candidate.html",
        {
            "centre": centre,
            "candidate": candidate,
            "rows": rows,
            "preview": preview,
            "registration": registration_of(candidate=candidate),
            "can_letters": can(request.user, centre, Capability.MANAGE_REGISTRATIONS),
            "identity_form": IdentityCheckForm(),
        },
    )


def _registrations_page(request: HttpRequest, number: str, candidate_id: int) -> tuple:  # type: ignore[type-arg]
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_REGISTRATIONS)
    return centre, candidate_for_results(centre=centre, candidate_id=candidate_id)


@login_required
@require_POST
def letter(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    """Print (download) or e-mail one candidate's registration letter, after the identity check."""
    centre, candidate = _registrations_page(request, number, candidate_id)
    form = IdentityCheckForm(request.POST)
    back = redirect("centres:centre_results:candidate", number=centre.number, candidate_id=candidate.pk)
    if not form.is_valid():
        messages.error(request, str(form.errors["identity_checked"][0]))
        return back
    if request.POST.get("how") == "email":
        try:
            address = registrations.registration_letter_email(
                actor=request.user, centre=centre, candidate=candidate, request=request
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The registration letter has been e-mailed to {address}.")
        return back
    pdf = registrations.registration_letter_pdf(actor=request.user, centre=centre, candidate=candidate, request=request)
    return attachment(
        pdf,
        content_type="application/pdf",
        name=f"registration-letter-{candidate.last_name}-{candidate.first_name}.pdf",
    )


@login_required
@require_POST
def secret_reissue(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    centre, candidate = _registrations_page(request, number, candidate_id)
    form = IdentityCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["identity_checked"][0]))
    else:
        try:
            registrations.secret_reissue(actor=request.user, centre=centre, candidate=candidate, request=request)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"{candidate.full_name} has a new Secret Number. Their old letter no longer works: "
                "print or e-mail the new one.",
            )
    return redirect("centres:centre_results:candidate", number=centre.number, candidate_id=candidate.pk)


@login_required
@require_http_methods(["GET", "POST"])
def email_correct(request: HttpRequest, number: str, candidate_id: int) -> HttpResponse:
    centre, candidate = _registrations_page(request, number, candidate_id)
    registration = registration_of(candidate=candidate)
    form = EmailCorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = registrations.registered_email_correct(
                actor=request.user,
                centre=centre,
                candidate=candidate,
                email=form.cleaned_data["email"],
                request=request,
            )
        except ApplicationError as error:
            form.add_error("email" if error.field == "email" else None, error.message)
        else:
            messages.success(
                request, f"{candidate.full_name}'s e-mail is now {user.email}. A new password link has been sent there."
            )
            return redirect("centres:centre_results:candidate", number=centre.number, candidate_id=candidate.pk)
    return render(
        request,
        "results/centre/email_correct.html",
        {"centre": centre, "candidate": candidate, "registration": registration, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_letters(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_REGISTRATIONS)
    form = SeriesLettersForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        job = registrations.letters_job_start(
            actor=request.user,
            centre=centre,
            series_id=form.cleaned_data["series"].pk,
            send_emails=form.cleaned_data["send_emails"],
            request=request,
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "results/centre/series_letters.html", {"centre": centre, "form": form})
