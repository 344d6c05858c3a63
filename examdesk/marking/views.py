"""Staff side of marking on the sitting's progress page: response codes, an attempt's marks, overrides and
"Mark again". Mounted at /centres/<number>/sittings/<sitting_id>/…"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.marking import services
from examdesk.marking.forms import OverrideForm, ResponseCodeForm
from examdesk.marking.ingestion import response_code_ingest
from examdesk.marking.models import Ingestion
from examdesk.marking.selectors import attempt_marks, item_mark_get
from examdesk.sittings.models import Attempt, Sitting
from examdesk.sittings.selectors import access_attempt_by_id, access_sitting_by_id


def _sitting(request: HttpRequest, number: str, sitting_id: int, capability: Capability) -> tuple[Centre, Sitting]:
    centre = access_centre_by_number(actor=request.user, number=number, capability=capability)
    sitting = access_sitting_by_id(actor=request.user, centre=centre, sitting_id=sitting_id, capability=capability)
    return centre, sitting


def _attempt(
    request: HttpRequest, number: str, sitting_id: int, attempt_id: int, capability: Capability
) -> tuple[Centre, Attempt]:
    centre = access_centre_by_number(actor=request.user, number=number, capability=capability)
    attempt = access_attempt_by_id(
        actor=request.user, centre=centre, sitting_id=sitting_id, attempt_id=attempt_id, capability=capability
    )
    return centre, attempt


def _progress(centre: Centre, sitting: Sitting) -> HttpResponse:
    return redirect("centres:sittings:detail", number=centre.number, sitting_id=sitting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def response_code(request: HttpRequest, number: str, sitting_id: int) -> HttpResponse:
    centre, sitting = _sitting(request, number, sitting_id, Capability.MANAGE_SITTINGS)
    form = ResponseCodeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = response_code_ingest(
            actor=request.user, sitting=sitting, text=form.cleaned_data["text"], request=request
        )
        if result.outcome == Ingestion.Outcome.REFUSED:
            form.add_error("code", f"Refused: {result.message}")
        else:
            if result.outcome == Ingestion.Outcome.INGESTED:
                messages.success(request, result.message)
            else:
                messages.info(request, result.message)
            return _progress(centre, sitting)
    return render(request, "marking/response_code.html", {"centre": centre, "sitting": sitting, "form": form})


@login_required
@require_http_methods(["GET"])
def marks(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre, attempt = _attempt(request, number, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    sitting = attempt.sitting
    return render(
        request,
        "marking/marks.html",
        {"centre": centre, "sitting": sitting, "attempt": attempt, "sections": attempt_marks(attempt=attempt)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def override(request: HttpRequest, number: str, sitting_id: int, attempt_id: int, mark_id: int) -> HttpResponse:
    centre, attempt = _attempt(request, number, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    sitting = attempt.sitting
    mark = item_mark_get(attempt=attempt, mark_id=mark_id)
    initial = {"awarded": mark.awarded.normalize(), "reason": ""}
    form = OverrideForm(request.POST or None, initial=initial, maximum=mark.max)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_override(
                actor=request.user,
                item_mark=mark,
                awarded=form.cleaned_data["awarded"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Mark for item {mark.item.code} changed; the scores are updated.")
            return redirect("centres:marking:marks", number=centre.number, sitting_id=sitting.pk, attempt_id=attempt.pk)
    return render(
        request,
        "marking/override.html",
        {"centre": centre, "sitting": sitting, "attempt": attempt, "mark": mark, "form": form},
    )


@login_required
@require_POST
def mark_again(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre, attempt = _attempt(request, number, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    sitting = attempt.sitting
    try:
        count = services.attempt_mark_again(actor=request.user, attempt=attempt, request=request)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        noun = "section" if count == 1 else "sections"
        messages.success(request, f"{attempt.candidate.full_name}: {count} {noun} sent for marking again.")
    return _progress(centre, sitting)
