"""Writes of the transfer app: uploads become import batches; batches are previewed, committed or dropped."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from examdesk.centres.models import Centre
from examdesk.core.errors import ApplicationError
from examdesk.jobs.models import Job
from examdesk.jobs.services import job_create
from examdesk.people.services import value_mapping_set
from examdesk.transfer.models import ImportBatch

NOT_READY = "This import cannot be applied now: it is {status}."


@transaction.atomic
def import_batch_start(
    *, actor: Any, centre: Centre, upload: UploadedFile, oneroster_unique_id: str = ""
) -> tuple[ImportBatch, Job]:
    """Keep the uploaded file privately and start checking it. Nothing is written to the register.

    `oneroster_unique_id` (identifier or username) is used when the file is a OneRoster package.
    """
    batch = ImportBatch(
        centre=centre,
        owner=actor,
        file_name=(upload.name or "upload")[:255],
        file_size=upload.size or 0,
        oneroster_unique_id=oneroster_unique_id,
    )
    batch.file_path = storages["private"].save(f"imports/{centre.number}/{batch.pk}", upload)
    batch.save()
    return batch, _preview_job(actor=actor, batch=batch)


def _preview_job(*, actor: Any, batch: ImportBatch) -> Job:
    return job_create(
        owner=actor,
        centre=batch.centre,
        kind="transfer.candidate_preview",
        title=f"Checking {batch.file_name}",
        params={"batch": str(batch.pk)},
    )


@transaction.atomic
def import_batch_set_date_order(*, actor: Any, batch: ImportBatch, date_order: str) -> Job:
    batch.date_order = date_order
    batch.status = ImportBatch.Status.PREVIEWING
    batch.save(update_fields=["date_order", "status"])
    return _preview_job(actor=actor, batch=batch)


@transaction.atomic
def import_batch_map_value(*, actor: Any, batch: ImportBatch, field: str, value: str, code: str) -> Job:
    """Say what a value of the file means for the centre (people.services.value_mapping_set), then check the
    file again so the preview shows it. Raises ApplicationError (field "code") on a bad choice."""
    if batch.status != ImportBatch.Status.READY:
        raise ApplicationError(NOT_READY.format(status=batch.get_status_display().lower()))
    value_mapping_set(actor=actor, centre=batch.centre, field=field, value=value, code=code)
    batch.status = ImportBatch.Status.PREVIEWING
    batch.save(update_fields=["status"])
    return _preview_job(actor=actor, batch=batch)


@transaction.atomic
def import_batch_commit(*, actor: Any, batch: ImportBatch) -> Job:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if (
        batch.status != ImportBatch.Status.READY
        or batch.summary.get("file_problems")
        or batch.summary.get("date_question")
    ):
        raise ApplicationError(NOT_READY.format(status=batch.get_status_display().lower()))
    batch.status = ImportBatch.Status.COMMITTING
    batch.save(update_fields=["status"])
    return job_create(
        owner=actor,
        centre=batch.centre,
        kind="transfer.candidate_commit",
        title=f"Importing {batch.file_name}",
        params={"batch": str(batch.pk)},
    )


@transaction.atomic
def import_batch_cancel(*, batch: ImportBatch) -> None:
    if batch.status in (ImportBatch.Status.READY, ImportBatch.Status.FAILED):
        batch.status = ImportBatch.Status.CANCELLED
        batch.save(update_fields=["status"])
        storages["private"].delete(batch.file_path)


def candidate_export_start(*, actor: Any, centre: Centre, fmt: str, include_deactivated: bool) -> Job:
    what = "all candidates" if include_deactivated else "active candidates"
    kind = f"OneRoster {fmt.removeprefix('oneroster-')}" if fmt.startswith("oneroster-") else fmt.upper()
    return job_create(
        owner=actor,
        centre=centre,
        kind="transfer.candidate_export",
        title=f"Export of {what} ({kind})",
        params={"format": fmt, "include_deactivated": include_deactivated},
    )


# --- What the import's jobs record -------------------------------------------------------------------------------


def import_batch_fail(*, batch: ImportBatch, error: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED, summary={"error": error})


def import_batch_ready(*, batch: ImportBatch, summary: dict[str, Any], problems: list[dict[str, Any]]) -> None:
    """The preview is written: the batch waits for the person to commit or cancel."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.READY, summary=summary, problems=problems)


def import_batch_committed(*, batch: ImportBatch, summary: dict[str, Any], report_path: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.COMMITTED, committed_at=timezone.now(), summary=summary, report_path=report_path
    )
