from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.transfer import selectors, services
from examdesk.transfer.candidate_export import candidate_template
from examdesk.transfer.forms import DateOrderForm, ExportForm, ImportUploadForm

TEMPLATES = {
    "xlsx": ("xlsx", False, "candidate-template.xlsx"),
    "csv": ("csv", False, "candidate-template.csv"),
    "legacy-xlsx": ("xlsx", True, "candidate-template-legacy.xlsx"),
    "legacy-csv": ("csv", True, "candidate-template-legacy.csv"),
}
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


def _centre(request: HttpRequest, number: str) -> Centre:
    return access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_CANDIDATES)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if request.method == "POST" and form.is_valid():
        _, job = services.import_batch_start(
            actor=request.user,
            centre=centre,
            upload=form.cleaned_data["file"],
            oneroster_unique_id=form.cleaned_data["oneroster_unique_id"] or "identifier",
        )
        return redirect("jobs:detail", job_id=job.pk)
    recent = selectors.import_batch_list_recent(centre=centre)
    return render(request, "transfer/import_start.html", {"centre": centre, "form": form, "recent": recent})


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, number: str, batch_id: uuid.UUID) -> HttpResponse:
    centre = _centre(request, number)
    batch = selectors.import_batch_get(centre=centre, batch_id=batch_id)
    date_form = DateOrderForm(request.POST if request.POST.get("action") == "date_order" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "date_order" and date_form.is_valid():
            job = services.import_batch_set_date_order(
                actor=request.user, batch=batch, date_order=date_form.cleaned_data["date_order"]
            )
            return redirect("jobs:detail", job_id=job.pk)
        if action == "commit":
            try:
                job = services.import_batch_commit(actor=request.user, batch=batch)
            except ApplicationError as error:
                messages.error(request, error.message)
                return redirect("centres:transfer:preview", number=centre.number, batch_id=batch.pk)
            return redirect("jobs:detail", job_id=job.pk)
        if action == "cancel":
            services.import_batch_cancel(batch=batch)
            messages.success(request, "Nothing was imported. Fix the file and upload it again when you are ready.")
            return redirect("centres:transfer:import", number=centre.number)
    report_job = selectors.import_report_job(batch=batch)
    return render(
        request,
        "transfer/import_preview.html",
        {
            "centre": centre,
            "batch": batch,
            "summary": batch.summary,
            "problems": batch.problems,
            "date_form": date_form,
            "report_job": report_job,
        },
    )


@login_required
@require_GET
def template_download(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    centre = _centre(request, number)
    if kind not in TEMPLATES:
        raise Http404("No such template.")
    fmt, legacy, name = TEMPLATES[kind]
    response = HttpResponse(candidate_template(centre=centre, fmt=fmt, legacy=legacy), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = services.candidate_export_start(
            actor=request.user,
            centre=centre,
            fmt=form.cleaned_data["format"],
            include_deactivated=form.cleaned_data["include_deactivated"],
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "transfer/export.html", {"centre": centre, "form": form})
