"""Jobs through the API: a candidate import (checked, then applied), a statements job, their status and result.

The same services start them as the pages (transfer.services, results.statements.bulk); a key sees only the jobs
of its own centre that its creator may see (jobs.selectors.access_job_by_id), anything else is a 404.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.core.files.storage import storages
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from examdesk.api.auth import actor_of, centre_key
from examdesk.api.problems import ApiError
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.core.time import now
from examdesk.jobs.models import Job
from examdesk.jobs.selectors import access_job_by_id
from examdesk.results.centre.search import Criteria
from examdesk.results.statements.bulk import statements_start
from examdesk.transfer import selectors as transfer_selectors
from examdesk.transfer import services as transfer_services
from examdesk.transfer.forms import ImportUploadForm

router = Router(tags=["jobs"])
FAMILY = "jobs"
MAX_ID = 2**62
NOT_FINISHED = "The job has not finished with a file."
EXPIRED = "The job's file is no longer kept."


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str = Field(..., description="queued, running, succeeded or failed")
    done: int
    total: int
    message: str
    error: str
    created_at: datetime
    finished_at: datetime | None
    download: str | None = Field(..., description="Where the result file is, once the job succeeded.")


class ImportOut(Schema):
    id: uuid.UUID
    status: str = Field(..., description="previewing, ready, committing, committed, failed or cancelled")
    file_name: str
    summary: dict[str, Any]
    problems: list[dict[str, Any]]
    job: JobOut | None


class StatementsIn(Schema):
    series: int | None = Field(None, ge=1, le=MAX_ID)
    qualification: int | None = Field(None, ge=1, le=MAX_ID)
    entry_ids: list[int] | None = Field(None, max_length=10000, description="Only these entries (else all found)")


def job_out(job: Job) -> dict[str, Any]:
    download = None
    if job.status == Job.Status.SUCCEEDED and job.result_path:
        download = reverse("api-v1:job_download", kwargs={"job_id": job.pk})
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "download": download,
    }


def _job(request: HttpRequest, job_id: uuid.UUID) -> Job:
    key, centre = centre_key(request, FAMILY)
    job = access_job_by_id(actor=key.created_by, job_id=job_id)
    if job.centre_id != centre.pk:
        raise ApiError(404, "No such job.")
    return job


@router.get("/{uuid:job_id}", response=JobOut, summary="A job's status and progress")
def job_get(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    return job_out(_job(request, job_id))


@router.get(
    "/{uuid:job_id}/download",
    response={200: bytes},
    url_name="job_download",
    summary="Download a finished job's file",
    openapi_extra={"responses": {200: {"description": "The file", "content": {"application/octet-stream": {}}}}},
)
def job_download(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    job = _job(request, job_id)
    if job.status != Job.Status.SUCCEEDED or not job.result_path:
        raise ApiError(404, NOT_FINISHED)
    if job.expires_at is not None and job.expires_at <= now():
        raise ApiError(404, EXPIRED)
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        request=request,
        actor=actor_of(request),
        centre=job.centre,
        summary=f"Downloaded {job.result_name} with an API key",
        data={"job": str(job.pk)},
    )
    handle = storages["private"].open(job.result_path, "rb")
    response = FileResponse(
        handle, as_attachment=True, filename=job.result_name, content_type="application/octet-stream"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _import_out(batch: Any, job: Job | None) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "status": batch.status,
        "file_name": batch.file_name,
        "summary": batch.summary or {},
        "problems": batch.problems or [],
        "job": job_out(job) if job is not None else None,
    }


@router.post("/candidate-imports", response={202: ImportOut}, summary="Upload a candidate file to check")
def import_start(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """The spreadsheet import of the Candidates page: the file is checked in a job (nothing is written yet); poll
    the job, read the import's summary and problems, then apply it with `…/commit`."""
    _, centre = centre_key(request, FAMILY, write=True)
    centre_key(request, "candidates", write=True)
    form = ImportUploadForm(data={}, files=MultiValueDict({"file": [file]}))
    if not form.is_valid():
        errors = [{"path": "file", "detail": str(message)} for message in form.errors.get("file", [])]
        raise ApiError(422, "The file cannot be imported.", errors=errors)
    batch, job = transfer_services.import_batch_start(
        actor=actor_of(request), centre=centre, upload=form.cleaned_data["file"]
    )
    return Status(202, _import_out(batch, job))


@router.get("/candidate-imports/{uuid:batch_id}", response=ImportOut, summary="An import's check: summary, problems")
def import_get(request: HttpRequest, batch_id: uuid.UUID) -> dict[str, Any]:
    _, centre = centre_key(request, FAMILY)
    return _import_out(transfer_selectors.import_batch_get(centre=centre, batch_id=batch_id), None)


@router.post("/candidate-imports/{uuid:batch_id}/commit", response={202: JobOut}, summary="Apply a checked import")
def import_commit(request: HttpRequest, batch_id: uuid.UUID) -> Status[dict[str, Any]]:
    _, centre = centre_key(request, FAMILY, write=True)
    centre_key(request, "candidates", write=True)
    batch = transfer_selectors.import_batch_get(centre=centre, batch_id=batch_id)
    job = transfer_services.import_batch_commit(actor=actor_of(request), batch=batch)
    return Status(202, job_out(job))


@router.post("/statements", response={202: JobOut}, summary="Make statements of results (PDF) for released results")
def statements_create(request: HttpRequest, body: StatementsIn) -> Status[dict[str, Any]]:
    _, centre = centre_key(request, FAMILY, write=True)
    centre_key(request, "results")
    criteria = Criteria(series_id=body.series, qualification_id=body.qualification)
    job = statements_start(
        actor=actor_of(request), centre=centre, criteria=criteria, entry_ids=body.entry_ids, request=request
    )
    return Status(202, job_out(job))
