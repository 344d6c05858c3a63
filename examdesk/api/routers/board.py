"""The board's resources for a board key: series, releases, qualifications (read, catalogue.selectors), and the
results file, checked then applied in jobs (results.files.services), as on the board's results-file page."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from examdesk.api.auth import actor_of, board_key
from examdesk.api.problems import ApiError
from examdesk.api.routers.jobs import JobOut, job_out
from examdesk.catalogue import selectors
from examdesk.jobs.selectors import access_job_by_id
from examdesk.results.files import services as results_files
from examdesk.results.files.forms import MAX_UPLOAD_MB
from examdesk.results.files.selectors import access_results_file_by_id
from examdesk.results.models import ResultsFile

router = Router(tags=["board"])


class SeriesOut(Schema):
    id: int
    code: str
    name: str
    starts_on: date | None


class ReleaseOut(Schema):
    qualification_code: str
    series_code: str
    released_at: datetime | None


class QualificationOut(Schema):
    id: int
    code: str
    name: str
    results_online: bool


@router.get("/series", response=list[SeriesOut], summary="The board's series")
def series_list(request: HttpRequest) -> list[dict[str, Any]]:
    _, board = board_key(request, "catalogue")
    return [
        {"id": s.pk, "code": s.code, "name": s.name, "starts_on": s.starts_on}
        for s in selectors.series_list(board=board)
    ]


@router.get("/qualifications", response=list[QualificationOut], summary="The board's qualifications")
def qualification_list(request: HttpRequest) -> list[dict[str, Any]]:
    _, board = board_key(request, "catalogue")
    return [
        {"id": q.pk, "code": q.code, "name": q.name, "results_online": q.results_online}
        for q in selectors.qualification_list(board=board)
    ]


@router.get("/releases", response=list[ReleaseOut], summary="Release times of every qualification and series")
def release_list(request: HttpRequest) -> list[dict[str, Any]]:
    _, board = board_key(request, "catalogue")
    rows = []
    for qualification in selectors.qualification_list(board=board):
        for release in selectors.releases_of_qualification(qualification=qualification):
            rows.append(
                {
                    "qualification_code": qualification.code,
                    "series_code": release.series.code,
                    "released_at": release.released_at,
                }
            )
    return rows


# --- The results file -----------------------------------------------------------------------------------------

FILES = "results_files"
TOO_BIG = f"The file is larger than {MAX_UPLOAD_MB} MB."


class ResultsFileOut(Schema):
    id: uuid.UUID
    status: str
    file_name: str
    summary: dict[str, Any]
    job: JobOut | None


def _file_out(results_file: ResultsFile, job: Any) -> dict[str, Any]:
    return {
        "id": results_file.pk,
        "status": results_file.status,
        "file_name": results_file.file_name,
        "summary": results_file.summary or {},
        "job": job_out(job) if job is not None else None,
    }


@router.post("/results-files", response={202: ResultsFileOut}, summary="Upload a results file to check")
def results_file_upload(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Checked in a job (nothing is written yet): poll the job, read the summary, then apply with `…/commit`."""
    _, board = board_key(request, FILES, write=True)
    if (file.size or 0) > MAX_UPLOAD_MB * 1024 * 1024 or not file.size:
        detail = TOO_BIG if file.size else "The file is empty."
        raise ApiError(422, detail, errors=[{"path": "file", "detail": detail}])
    upload = cast(DjangoUploadedFile, file)  # ninja's UploadedFile is Django's, typed for pydantic
    results_file, job = results_files.results_file_start(actor=actor_of(request), board=board, upload=upload)
    return Status(202, _file_out(results_file, job))


@router.get("/results-files/{uuid:file_id}", response=ResultsFileOut, summary="A results file's check")
def results_file_get(request: HttpRequest, file_id: uuid.UUID) -> dict[str, Any]:
    _, board = board_key(request, FILES)
    return _file_out(access_results_file_by_id(board=board, file_id=file_id), None)


@router.post("/results-files/{uuid:file_id}/commit", response={202: JobOut}, summary="Apply a checked results file")
def results_file_commit(request: HttpRequest, file_id: uuid.UUID) -> Status[dict[str, Any]]:
    _, board = board_key(request, FILES, write=True)
    results_file = access_results_file_by_id(board=board, file_id=file_id)
    return Status(
        202, job_out(results_files.results_file_commit_start(actor=actor_of(request), results_file=results_file))
    )


@router.get("/jobs/{uuid:job_id}", response=JobOut, summary="A board job's status and progress")
def board_job_get(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    key, _ = board_key(request, FILES)
    job = access_job_by_id(actor=key.created_by, job_id=job_id)
    if job.centre_id is not None or job.owner_id != key.created_by_id:
        raise ApiError(404, "No such job.")
    return job_out(job)
