"""Sittings at /centres/<number>/sittings/ and credits at /centres/<number>/credits/."""

from __future__ import annotations

import csv
import io
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability, can, is_board_staff_for, roles_at
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.core.http import attachment
from examdesk.core.spreadsheet import neutralise
from examdesk.core.time import now as current_time
from examdesk.sittings import selectors, services
from examdesk.sittings.forms import AllocationForm, MeasuresForm, NewSittingForm, SittingForm, VoidForm
from examdesk.sittings.models import Attempt, Sitting
from examdesk.sittings.slips import Slip, render_slips
from examdesk.sittings.windows import window_text

LEDGER_PAGE = 50


def _centre(request: HttpRequest, number: str, capability: Capability) -> Centre:
    return access_centre_by_number(actor=request.user, number=number, capability=capability)


def _sitting(request: HttpRequest, centre: Centre, sitting_id: int, capability: Capability) -> Sitting:
    return selectors.access_sitting_by_id(
        actor=request.user, centre=centre, sitting_id=sitting_id, capability=capability
    )


def _attempt(request: HttpRequest, centre: Centre, sitting_id: int, attempt_id: int, capability: Capability) -> Attempt:
    return selectors.access_attempt_by_id(
        actor=request.user, centre=centre, sitting_id=sitting_id, attempt_id=attempt_id, capability=capability
    )


def _form_error(form: Any, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --- Credits -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def credits(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number, Capability.MANAGE_CREDITS)
    allocations = selectors.allocation_list(centre=centre)
    left = selectors.allocation_balances(allocations=allocations)
    at = current_time()
    rows = [{"allocation": a, "left": left[a.pk], "expired": a.is_expired(at)} for a in allocations]
    page = Paginator(selectors.ledger_list(centre=centre), LEDGER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sittings/credits.html",
        {
            "centre": centre,
            "rows": rows,
            "page": page,
            "may_allocate": is_board_staff_for(request.user, centre),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number, Capability.VIEW_CENTRE)
    if not is_board_staff_for(request.user, centre):
        raise PermissionDenied("Only the board's staff allocate credits.")
    form = AllocationForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.allocation_create(
                actor=request.user,
                centre=centre,
                product=data["product"],
                quantity=data["quantity"],
                expires_on=data["expires_on"],
                request=request,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{data['quantity']} credits for {data['product'].name} allocated.")
            return redirect("centres:sittings:credits", number=centre.number)
    return render(request, "sittings/allocate.html", {"centre": centre, "form": form})


@login_required
@require_GET
def ledger_export(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number, Capability.MANAGE_CREDITS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["At", "Time zone", "Assessment", "Allocation", "Movement", "Quantity", "Sitting", "Candidate", "By", "Reason"]
    )
    zone = centre.time_zone
    for entry in selectors.ledger_iter_for_export(centre=centre):
        candidate = entry.attempt.candidate.full_name if entry.attempt else ""
        row = [
            entry.at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S"),
            zone,
            entry.product.name,
            entry.allocation_id,
            entry.get_kind_display(),
            entry.quantity,
            entry.sitting.name if entry.sitting else "",
            candidate,
            entry.actor.email if entry.actor else "",
            entry.reason,
        ]
        writer.writerow([neutralise(value) for value in row])
    audit_record(
        action=AuditEvent.Action.EXPORT_REQUESTED, request=request, centre=centre, summary="Credit ledger (CSV)"
    )
    return attachment(
        ("\ufeff" + out.getvalue()).encode(), content_type="text/csv; charset=utf-8", name=f"credits-{number}.csv"
    )


# --- Sittings --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def sitting_list(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number, Capability.VIEW_SITTINGS)
    page = Paginator(selectors.sitting_list(centre=centre), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sittings/list.html",
        {
            "centre": centre,
            "page": page,
            "may_manage": can(request.user, centre, Capability.MANAGE_SITTINGS),
            "may_credits": can(request.user, centre, Capability.MANAGE_CREDITS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sitting_new(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number, Capability.MANAGE_SITTINGS)
    rows = selectors.product_credit_list(centre=centre)
    offered = [row for row in rows if row.candidates_possible > 0]
    refused = [row for row in rows if row.candidates_possible == 0]
    context: dict[str, Any] = {
        "centre": centre,
        "offered": offered,
        "refused": refused,
        "no_credit": services.no_credit_message(centre=centre) if not rows else "",
        "show_deactivated": request.GET.get("deactivated") == "1" or bool(request.POST.get("include_deactivated")),
    }
    if not offered:
        return render(request, "sittings/new.html", context)
    initial = {"include_deactivated": context["show_deactivated"]}
    if len(offered) == 1:
        initial["product"] = offered[0].product.pk
    form = NewSittingForm(request.POST or None, centre=centre, offered=offered, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sitting = services.sitting_create(
                actor=request.user,
                centre=centre,
                product=data["product"],
                name=data["name"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                candidates=form.chosen,
                request=request,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"Sitting created with {len(form.chosen)} candidates. Print their access-code slips."
            )
            return redirect("centres:sittings:detail", number=centre.number, sitting_id=sitting.pk)
    context["form"] = form
    return render(request, "sittings/new.html", context)


@login_required
@require_GET
def sitting_detail(request: HttpRequest, number: str, sitting_id: int) -> HttpResponse:
    centre = _centre(request, number, Capability.VIEW_SITTINGS)
    sitting = _sitting(request, centre, sitting_id, Capability.VIEW_SITTINGS)
    attempts = selectors.attempt_list_with_progress(sitting=sitting)
    measures = selectors.measure_definitions(product=sitting.product)
    values = selectors.measure_values_by_attempt(sitting=sitting)
    may_manage = can(request.user, centre, Capability.MANAGE_SITTINGS)
    return render(
        request,
        "sittings/detail.html",
        {
            "centre": centre,
            "sitting": sitting,
            "attempts": attempts,
            "measures": measures,
            "values": values,
            "window": window_text(sitting),
            "closed_reason": services.editing_closed_reason(sitting=sitting),
            "may_manage": may_manage,
            "code_address": _code_address(),
        },
    )


def _code_address() -> str:
    return f"{settings.EXAMDESK_SITE_URL}{reverse('player:code')}"


@login_required
@require_http_methods(["GET", "POST"])
def sitting_edit(request: HttpRequest, number: str, sitting_id: int) -> HttpResponse:
    centre = _centre(request, number, Capability.MANAGE_SITTINGS)
    sitting = _sitting(request, centre, sitting_id, Capability.MANAGE_SITTINGS)
    reason = services.editing_closed_reason(sitting=sitting)
    if reason:
        messages.error(request, reason)
        return redirect("centres:sittings:detail", number=centre.number, sitting_id=sitting.pk)
    opens_on, closes_on = services.local_dates(sitting=sitting)
    current = selectors.candidate_ids_in_sitting(sitting=sitting)
    show_deactivated = request.GET.get("deactivated") == "1" or bool(request.POST.get("include_deactivated"))
    initial = {
        "name": sitting.name,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "candidates": current,
        "include_deactivated": show_deactivated,
    }
    form = SittingForm(request.POST or None, centre=centre, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sitting_update(
                actor=request.user,
                sitting=sitting,
                name=data["name"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                candidates=form.chosen,
                request=request,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, gettext("Sitting saved."))
            return redirect("centres:sittings:detail", number=centre.number, sitting_id=sitting.pk)
    return render(
        request,
        "sittings/edit.html",
        {"centre": centre, "sitting": sitting, "form": form, "show_deactivated": show_deactivated},
    )


@login_required
@require_GET
def slips_pdf(request: HttpRequest, number: str, sitting_id: int) -> HttpResponse:
    centre = _centre(request, number, Capability.MANAGE_SITTINGS)
    sitting = _sitting(request, centre, sitting_id, Capability.MANAGE_SITTINGS)
    attempts = selectors.attempt_list_live(sitting=sitting)
    if not attempts:
        messages.error(request, gettext("No candidate in this sitting has a code that still works."))
        return redirect("centres:sittings:detail", number=centre.number, sitting_id=sitting.pk)
    address = _code_address()
    # The students' slips speak the centre's language (its candidates' documents do), whatever the staff page's.
    with translation.override(centre.language):
        window = window_text(sitting)
        slips = [
            Slip(
                candidate_name=a.candidate.full_name,
                unique_id=a.candidate.unique_id,
                assessment=sitting.product.name,
                code=a.grouped_code,
                address=address,
                window=window,
                centre=f"{centre.number} {centre.name}",
            )
            for a in attempts
        ]
        content = render_slips(slips, title=f"Access codes: {sitting.name}", author=centre.board.name)
    audit_record(
        action=AuditEvent.Action.DOWNLOAD, request=request, centre=centre, summary=f"Access-code slips: {sitting.name}"
    )
    return attachment(content, content_type="application/pdf", name=f"access-codes-{sitting.pk}.pdf")


@login_required
@require_GET
def codes_csv(request: HttpRequest, number: str, sitting_id: int) -> HttpResponse:
    centre = _centre(request, number, Capability.MANAGE_SITTINGS)
    sitting = _sitting(request, centre, sitting_id, Capability.MANAGE_SITTINGS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Unique ID", "First name", "Last name", "Assessment", "Access code", "Web address", "Window"])
    address, window = _code_address(), window_text(sitting)
    for a in selectors.attempt_list_live(sitting=sitting):
        row = [
            a.candidate.unique_id,
            a.candidate.first_name,
            a.candidate.last_name,
            sitting.product.name,
            a.grouped_code,
            address,
            window,
        ]
        writer.writerow([neutralise(v) for v in row])
    audit_record(
        action=AuditEvent.Action.DOWNLOAD, request=request, centre=centre, summary=f"Access codes (CSV): {sitting.name}"
    )
    return attachment(
        ("\ufeff" + out.getvalue()).encode(),
        content_type="text/csv; charset=utf-8",
        name=f"access-codes-{sitting.pk}.csv",
    )


@login_required
@require_http_methods(["GET", "POST"])
def measures(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre = _centre(request, number, Capability.MANAGE_SITTINGS)
    attempt = _attempt(request, centre, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    sitting = attempt.sitting
    definitions = selectors.measure_definitions(product=sitting.product)
    if not definitions:
        raise Http404("This assessment has no extra measures.")
    form = MeasuresForm(request.POST or None, request.FILES or None, attempt=attempt, measures=definitions)
    if request.method == "POST" and form.is_valid():
        services.measures_record(
            actor=request.user,
            attempt=attempt,
            numbers=form.numbers(),
            texts=form.texts(),
            files=form.evidence,
            request=request,
        )
        messages.success(request, f"Extra measures saved for {attempt.candidate.full_name}.")
        return redirect("centres:sittings:detail", number=centre.number, sitting_id=sitting.pk)
    files = selectors.evidence_files(attempt=attempt)
    return render(
        request,
        "sittings/measures.html",
        {"centre": centre, "sitting": sitting, "attempt": attempt, "form": form, "files": files},
    )


@login_required
@require_GET
def evidence(request: HttpRequest, number: str, sitting_id: int, attempt_id: int, measure_code: str) -> HttpResponse:
    centre = _centre(request, number, Capability.VIEW_SITTINGS)
    if not roles_at(request.user, centre):
        raise PermissionDenied("Evidence files are for the centre's own staff only.")
    attempt = _attempt(request, centre, sitting_id, attempt_id, Capability.VIEW_SITTINGS)
    value = selectors.evidence_get(attempt=attempt, measure_code=measure_code)
    with storages["private"].open(value.file_path, "rb") as handle:
        content = handle.read()
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        request=request,
        centre=centre,
        summary=f"Evidence for {attempt.candidate.full_name}: {value.file_name}",
    )
    return attachment(content, content_type=value.file_type, name=value.file_name)


@login_required
@require_http_methods(["GET", "POST"])
def void(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre = _centre(request, number, Capability.MANAGE_SITTINGS)
    attempt = _attempt(request, centre, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    sitting = attempt.sitting
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attempt_void(
                actor=request.user, attempt=attempt, reason=form.cleaned_data["reason"], request=request
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"{attempt.candidate.full_name}'s attempt is void and their credit has been given back."
            )
            return redirect("centres:sittings:detail", number=centre.number, sitting_id=sitting.pk)
    return render(
        request, "sittings/void.html", {"centre": centre, "sitting": sitting, "attempt": attempt, "form": form}
    )
