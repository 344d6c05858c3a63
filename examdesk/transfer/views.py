from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.people.models import ValueMapping
from examdesk.people.selectors import value_mapping_choices
from examdesk.transfer import selectors, services
from examdesk.transfer.candidate_export import candidate_template
from examdesk.transfer.columns import BY_FIELD, NATIONALITY_FORMAT
from examdesk.transfer.forms import DateOrderForm, ExportForm, ImportUploadForm, ValueMappingForm
from examdesk.transfer.models import ImportBatch

TEMPLATES = {
    "xlsx": ("xlsx", False, "candidate-template.xlsx"),
    "csv": ("csv", False, "candidate-template.csv"),
    "legacy-xlsx": ("xlsx", True, "candidate-template-legacy.xlsx"),
    "legacy-csv": ("csv", True, "candidate-template-legacy.csv"),
}
SHOWN_MAPPING_FORMS = 50
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


def _centre(request: HttpRequest, number: str) -> Centre:
    return access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_CANDIDATES)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if request.method == "POST" and form.is_valid():
        batch, _job = services.import_batch_start(
            actor=request.user,
            centre=centre,
            upload=form.cleaned_data["file"],
            oneroster_unique_id=form.cleaned_data["oneroster_unique_id"] or "identifier",
        )
        return redirect("centres:transfer:preview", number=centre.number, batch_id=batch.pk)
    recent = selectors.import_batch_list_recent(centre=centre)
    return render(
        request,
        "transfer/import_start.html",
        {"centre": centre, "form": form, "recent": recent, "nationality_format": NATIONALITY_FORMAT},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, number: str, batch_id: uuid.UUID) -> HttpResponse:
    centre = _centre(request, number)
    batch = selectors.import_batch_get(centre=centre, batch_id=batch_id)
    date_form = DateOrderForm(request.POST if request.POST.get("action") == "date_order" else None)
    action = request.POST.get("action") if request.method == "POST" else None
    mapping_forms = _mapping_forms(request, centre, batch) if batch.status == batch.Status.READY else []
    invalid_mapping = None
    if action == "map":
        posted = next((form for form in mapping_forms if form.is_bound), None)
        if posted is not None and posted.is_valid():
            try:
                services.import_batch_map_value(
                    actor=request.user,
                    batch=batch,
                    field=posted.cleaned_data["field"],
                    value=posted.cleaned_data["value"],
                    code=posted.cleaned_data["code"],
                )
            except ApplicationError as error:
                posted.add_error("code" if error.field == "code" else None, error.message)
            else:
                return _follow(centre, batch)
        invalid_mapping = posted
    if request.method == "POST" and action != "map":
        if action == "date_order" and date_form.is_valid():
            services.import_batch_set_date_order(
                actor=request.user, batch=batch, date_order=date_form.cleaned_data["date_order"]
            )
            return _follow(centre, batch)
        if action == "commit":
            try:
                services.import_batch_commit(actor=request.user, batch=batch)
            except ApplicationError as error:
                messages.error(request, error.message)
            return _follow(centre, batch)
        if action == "cancel":
            services.import_batch_cancel(batch=batch)
            messages.success(
                request, gettext("Nothing was imported. Fix the file and upload it again when you are ready.")
            )
            return redirect("centres:transfer:import", number=centre.number)
    report_job = selectors.import_report_job(batch=batch)
    running = batch.status in (batch.Status.PREVIEWING, batch.Status.COMMITTING)
    return render(
        request,
        "transfer/import_preview.html",
        {
            "centre": centre,
            "batch": batch,
            "running": running,
            "job": selectors.import_batch_latest_job(batch=batch),
            "summary": batch.summary,
            "problems": batch.problems,
            "date_form": date_form,
            "report_job": report_job,
            "mapping_forms": mapping_forms,
            "invalid_mapping": invalid_mapping,
        },
    )


def _follow(centre: Centre, batch: ImportBatch) -> HttpResponse:
    """After every step (upload, a date order, a mapped value, the import) the person stays on the import's page,
    which shows the job's progress in place (htmx polls it) and then the preview or the outcome."""
    return redirect("centres:transfer:preview", number=centre.number, batch_id=batch.pk)


def _mapping_forms(request: HttpRequest, centre: Centre, batch: ImportBatch) -> list[ValueMappingForm]:
    """One small form for each value of the file that matched nothing (the most frequent first)."""
    posted = request.POST.get("mapping") if request.POST.get("action") == "map" else None
    choices: dict[str, dict[str, str]] = {}
    forms = []
    # Only list values can be mapped; a UPN or an e-mail address is fixed on the candidate's page.
    mappable = [entry for entry in batch.summary.get("unmatched", []) if entry["field"] in ValueMapping.Field.values]
    for number, entry in enumerate(mappable[:SHOWN_MAPPING_FORMS]):
        field = entry["field"]
        if field not in choices:
            choices[field] = value_mapping_choices(centre=centre, field=field)
        prefix = f"map-{number}"
        form = ValueMappingForm(
            request.POST if posted == prefix else None,
            prefix=prefix,
            initial={"field": field, "value": entry["value"]},
            what=BY_FIELD[field].header if field in BY_FIELD else entry["column"],
            value=entry["value"],
            choices=choices[field],
            suggestions=[(code, name) for code, name in entry["suggestions"]],
        )
        form.entry = entry  # type: ignore[attr-defined]
        forms.append(form)
    return forms


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
