"""Reads of a centre's imports, scoped to a centre the caller has already guarded
(`centres.selectors.access_centre_by_number`): an import of another centre does not exist here (404)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from examdesk.centres.models import Centre
from examdesk.jobs.models import Job
from examdesk.transfer.models import ImportBatch

RECENT_IMPORTS = 10
COMMIT_JOB = "transfer.candidate_commit"
PREVIEW_JOB = "transfer.candidate_preview"


def import_batch_get(*, centre: Centre, batch_id: uuid.UUID) -> ImportBatch:
    batch = ImportBatch.objects.filter(centre=centre, pk=batch_id).first()
    if batch is None:
        raise Http404("No such import at this centre.")
    return batch


def import_batch_list_recent(*, centre: Centre) -> QuerySet[ImportBatch]:
    """The centre's latest imports (the model's order), each with who uploaded it."""
    return ImportBatch.objects.filter(centre=centre).select_related("owner")[:RECENT_IMPORTS]


def import_report_job(*, batch: ImportBatch) -> Job | None:
    """The finished commit job of this import, whose result is the import report; None before it has run."""
    return Job.objects.filter(kind=COMMIT_JOB, params__batch=str(batch.pk), status=Job.Status.SUCCEEDED).first()


def import_batch_get_for_job(*, batch_id: str) -> ImportBatch:
    """The import a job works on (its owner was checked when the job was created), with its centre."""
    return ImportBatch.objects.select_related("centre").get(pk=batch_id)


def import_batches_committed_between(
    *, centre_ids: Iterable[int], since: datetime, until: datetime
) -> QuerySet[ImportBatch]:
    """Imports of these centres committed in (since, until]."""
    return ImportBatch.objects.filter(
        centre_id__in=list(centre_ids),
        status=ImportBatch.Status.COMMITTED,
        committed_at__gt=since,
        committed_at__lte=until,
    )


def import_batch_latest_job(*, batch: ImportBatch) -> Job | None:
    """The newest job that checks or imports this file: its progress is shown on the import's own page."""
    return (
        Job.objects.filter(kind__in=[PREVIEW_JOB, COMMIT_JOB], params__batch=str(batch.pk))
        .order_by("-created_at")
        .first()
    )
