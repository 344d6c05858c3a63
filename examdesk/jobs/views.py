from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.core.time import now
from examdesk.jobs.models import Job
from examdesk.jobs.selectors import access_job_by_id, job_list_for_owner

# htmx stops polling when a response has this status.
HTMX_STOP_POLLING = 286


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/job_list.html", {"jobs": job_list_for_owner(actor=request.user)})


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = access_job_by_id(actor=request.user, job_id=job_id)
    return render(request, "jobs/job_detail.html", {"job": job})


@login_required
@require_GET
def job_progress(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = access_job_by_id(actor=request.user, job_id=job_id)
    status = HTMX_STOP_POLLING if job.is_finished and request.headers.get("HX-Request") else 200
    return render(request, "jobs/_progress.html", {"job": job}, status=status)


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: uuid.UUID) -> HttpResponseBase:
    job = access_job_by_id(actor=request.user, job_id=job_id)
    if job.status != Job.Status.SUCCEEDED or not job.result_path:
        return render(request, "jobs/job_detail.html", {"job": job}, status=404)
    if job.expires_at is not None and job.expires_at <= now():
        return render(request, "jobs/job_expired.html", {"job": job}, status=410)
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        request=request,
        centre=job.centre,
        summary=f"Downloaded {job.result_name}",
        data={"job": str(job.pk)},
    )
    handle = storages["private"].open(job.result_path, "rb")
    return FileResponse(handle, as_attachment=True, filename=job.result_name, content_type=job.result_content_type)
