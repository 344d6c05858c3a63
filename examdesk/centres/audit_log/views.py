from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from examdesk.audit.selectors import audit_event_list_for_centre
from examdesk.centres.audit_log.forms import AuditFilterForm
from examdesk.centres.audit_log.services import audit_export_request
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number, member_ids_for_centre


@login_required
@require_GET
def audit_log(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"action": "", "search": ""}
    events = audit_event_list_for_centre(
        centre=centre,
        member_ids=member_ids_for_centre(centre=centre),
        action=filters.get("action") or "",
        search=filters.get("search") or "",
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "centres/audit_log.html",
        {
            "centre": centre,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@login_required
@require_POST
def audit_export(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.VIEW_AUDIT)
    form = AuditFilterForm(request.POST)
    filters = form.cleaned_data if form.is_valid() else {}
    job = audit_export_request(
        actor=request.user,
        centre=centre,
        action=filters.get("action") or "",
        search=filters.get("search") or "",
        request=request,
    )
    return redirect("jobs:detail", job_id=job.pk)
