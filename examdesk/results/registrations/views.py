"""Exam centre staff: a candidate's Results Online registration letter (print or e-mail), a new Secret Number,
a corrected e-mail address, and the letters of a whole series (a job)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.core.http import attachment
from examdesk.results.centre.search import Viewer
from examdesk.results.centre.selectors import candidate_for_results, registration_of
from examdesk.results.registrations import services as registrations
from examdesk.results.registrations.forms import EmailCorrectForm, IdentityCheckForm, SeriesLettersForm


def _registrations_page(request: HttpRequest, number: str, candidate_id: int) -> tuple:  # type: ignore[type-arg]
    """An exam centre's own candidate: letters and sign-in help are the exam centre's, never a preparation
    centre's."""
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_REGISTRATIONS)
    if centre.kind != Centre.Kind.EXAM:
        raise Http404("Results Online letters are the exam centre's.")
    return centre, candidate_for_results(viewer=Viewer(centre), candidate_id=candidate_id)


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
        "results/registrations/email_correct.html",
        {"centre": centre, "candidate": candidate, "registration": registration, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_letters(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_REGISTRATIONS)
    if centre.kind != Centre.Kind.EXAM:
        raise Http404("Results Online letters are the exam centre's.")
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
    return render(request, "results/registrations/series_letters.html", {"centre": centre, "form": form})
