from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.core.time import now
from examdesk.jobs.models import Job
from examdesk.jobs.selectors import access_job_by_id, job_list_for_owner

# htmx stops polling when a response has this status.
HTMX_STOP_POLLING = 286


def _context(job: Job) -> dict[str, object]:
    expired = job.expires_at is not None and job.expires_at <= now()
    return {"job": job, "files": list(job.files.all()), "expired": expired}


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/job_list.html", {"jobs": job_list_for_owner(actor=request.user)})


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = access_job_by_id(actor=request.user, job_id=job_id)
    return render(request, "jobs/job_detail.html", _context(job))


@login_required
@require_GET
def job_progress(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = access_job_by_id(actor=request.user, job_id=job_id)
    status = HTMX_STOP_POLLING if job.is_finished and request.headers.get("HX-Request") else 200
    return render(request, "jobs/_progress.html", _context(job), status=status)


def _send(request: HttpRequest, job: Job, *, path: str, name: str, content_type: str) -> HttpResponseBase:
    if job.expires_at is not None and job.expires_at <= now():
        return render(request, "jobs/job_expired.html", {"job": job}, status=410)
    if job.status != Job.Status.SUCCEEDED or not path:
        return render(request, "jobs/job_detail.html", _context(job), status=404)
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        request=request,
        centre=job.centre,
        summary=f"Downloaded {name}",
        data={"job": str(job.pk)},
    )
    handle = storages["private"].open(path, "rb")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: uuid.UUID) -> HttpResponseBase:
    job = access_job_by_id(actor=request.user, job_id=job_id)
    return _send(request, job, path=job.result_path, name=job.result_name, content_type=job.result_content_type)


@login_required
@require_GET
def job_file_download(request: HttpRequest, job_id: uuid.UUID, key: str) -> HttpResponseBase:
    """One of the job's other files (JobFile), by its key."""
    job = access_job_by_id(actor=request.user, job_id=job_id)
    file = job.files.filter(key=key).first()
    if file is None:
        raise Http404("No such file.")
    return _send(request, job, path=file.path, name=file.name, content_type=file.content_type)
