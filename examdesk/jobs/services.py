"""Writes for jobs: create and enqueue, claim, report progress, finish, recover after a worker died."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from examdesk.core.time import now
from examdesk.jobs.models import Job, JobFile, JobPart

log = logging.getLogger(__name__)


class JobLost(Exception):
    """Another worker run holds the job now (this one was taken for dead): stop without effects."""


@transaction.atomic
def job_create(
    *,
    owner: Any,
    kind: str,
    title: str,
    centre: Any = None,
    params: dict[str, Any] | None = None,
    shared_with: str = "",
) -> Job:
    """A new job, sent to the workers once the transaction commits. `shared_with` names a capability at `centre`
    whose holders may open the job and download its files (and only they, the owner included)."""
    if shared_with and centre is None:
        raise ValueError("Only a centre's job can be shared with its staff.")
    job = Job.objects.create(
        owner=owner,
        centre=centre,
        kind=kind,
        title=title,
        params=params or {},
        shared_with=shared_with,
        enqueued_at=now(),
        message="Waiting for a worker…",
    )
    transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    return job


def job_enqueue(*, job_id: uuid.UUID) -> None:
    """Send the job to the workers. If the broker is down the job stays queued and jobs_recover sends it later,
    so the person who started it still sees its page instead of an error."""
    from examdesk.jobs.tasks import job_run_task

    try:
        job_run_task.delay(str(job_id))
    except Exception:  # noqa: BLE001 - any broker failure; the job row is safe in the database
        log.exception("Could not send job %s to the broker; job recovery will send it again.", job_id)


def job_claim(*, job_id: uuid.UUID, run_token: str) -> Job | None:
    """Take the job for this run if it is waiting, or running under a worker that stopped beating."""
    moment = now()
    stale = moment - timedelta(seconds=settings.EXAMDESK_JOB_STALE_SECONDS)
    claimed = (
        Job.objects.filter(pk=job_id)
        .filter(Q(status=Job.Status.QUEUED) | Q(status=Job.Status.RUNNING, heartbeat_at__lt=stale))
        .update(
            status=Job.Status.RUNNING,
            run_token=run_token,
            heartbeat_at=moment,
            started_at=Coalesce(F("started_at"), moment),
            attempts=F("attempts") + 1,
            message="Started",
        )
    )
    if not claimed:
        return None
    return Job.objects.get(pk=job_id)


def _held(job: Job, run_token: str) -> Any:
    return Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, run_token=run_token)


def job_heartbeat(*, job: Job, run_token: str) -> bool:
    return bool(_held(job, run_token).update(heartbeat_at=now()))


def job_progress(*, job: Job, run_token: str, done: int, total: int, message: str, checkpoint: dict[str, Any]) -> None:
    updated = _held(job, run_token).update(
        done=done, total=total, message=message[:300], checkpoint=checkpoint, heartbeat_at=now()
    )
    if not updated:
        raise JobLost(str(job.pk))
    job.done, job.total, job.message, job.checkpoint = done, total, message, checkpoint


def job_succeed(
    *,
    job: Job,
    run_token: str,
    path: str,
    name: str,
    content_type: str,
    message: str,
    url: str = "",
    report: dict[str, Any] | None = None,
) -> None:
    moment = now()
    extra = {} if report is None else {"report": report}
    updated = _held(job, run_token).update(
        **extra,
        status=Job.Status.SUCCEEDED,
        result_path=path,
        result_name=name,
        result_content_type=content_type,
        result_url=url,
        message=message[:300],
        finished_at=moment,
        heartbeat_at=moment,
        done=F("total"),
        expires_at=moment + timedelta(days=settings.EXAMDESK_JOB_RESULT_DAYS),
    )
    if not updated:
        raise JobLost(str(job.pk))


def job_fail(*, job: Job, run_token: str, error: str) -> None:
    _held(job, run_token).update(status=Job.Status.FAILED, error=error[:4000], message="Failed", finished_at=now())


def jobs_recover() -> int:
    """Enqueue again every job whose worker died, and every job whose message seems lost.

    Runs when a worker starts and every 30 seconds from celery beat. A duplicate message is harmless:
    job_claim lets exactly one run hold a job.
    """
    moment = now()
    stale = moment - timedelta(seconds=settings.EXAMDESK_JOB_STALE_SECONDS)
    forgotten = moment - timedelta(minutes=10)
    orphaned = Q(status=Job.Status.RUNNING, heartbeat_at__lt=stale) | Q(
        status=Job.Status.QUEUED, enqueued_at__lt=forgotten
    )
    job_ids = list(Job.objects.filter(orphaned).values_list("pk", flat=True)[:500])
    for job_id in job_ids:
        Job.objects.filter(pk=job_id).update(enqueued_at=moment)
        job_enqueue(job_id=job_id)
    return len(job_ids)


def job_file_save(
    *,
    job: Job,
    run_token: str,
    key: str,
    label: str,
    name: str,
    content_type: str,
    path: str,
    size: int,
    position: int = 0,
) -> JobFile:
    """Offer one more file of the job for download (once the job has succeeded). Saving a key again replaces it."""
    if not _held(job, run_token).exists():
        raise JobLost(str(job.pk))
    file, _ = JobFile.objects.update_or_create(
        job=job,
        key=key,
        defaults={
            "label": label,
            "name": name,
            "content_type": content_type,
            "path": path,
            "size": size,
            "position": position,
        },
    )
    return file


# Parts: a job whose work splits into independent parts lets every free worker process take some (see
# runner.JobContext.run_parts). Each part is held by one run at a time and recorded done once.


def job_parts_plan(*, job: Job, run_token: str, count: int) -> None:
    """Make parts 0..count-1 of the job (the ones that exist already are kept as they are)."""
    if not _held(job, run_token).exists():
        raise JobLost(str(job.pk))
    JobPart.objects.bulk_create(
        [JobPart(job=job, index=index) for index in range(count)], ignore_conflicts=True, batch_size=500
    )


def job_part_claim(*, job_id: uuid.UUID, run_token: str) -> JobPart | None:
    """Take the first part that waits, or whose run stopped beating; None when every part is done or held."""
    while True:
        moment = now()
        stale = moment - timedelta(seconds=settings.EXAMDESK_JOB_STALE_SECONDS)
        free = (
            JobPart.objects.filter(job_id=job_id)
            .filter(Q(status=JobPart.Status.WAITING) | Q(status=JobPart.Status.RUNNING, heartbeat_at__lt=stale))
            .order_by("index")
            .values_list("pk", "status", "run_token")
            .first()
        )
        if free is None:
            return None
        pk, status, holder = free
        taken = JobPart.objects.filter(pk=pk, status=status, run_token=holder).update(
            status=JobPart.Status.RUNNING,
            run_token=run_token,
            heartbeat_at=moment,
            started_at=moment,
            attempts=F("attempts") + 1,
        )
        if taken:
            return JobPart.objects.get(pk=pk)
        # Another run took it between the read and the update: look again.


def job_part_heartbeat(*, part: JobPart, run_token: str) -> bool:
    return bool(
        JobPart.objects.filter(pk=part.pk, status=JobPart.Status.RUNNING, run_token=run_token).update(
            heartbeat_at=now()
        )
    )


def job_part_finish(*, part: JobPart, run_token: str, data: dict[str, Any]) -> bool:
    """Record the part done with what it made. False when another run holds it now (this run's work is dropped)."""
    moment = now()
    return bool(
        JobPart.objects.filter(pk=part.pk, status=JobPart.Status.RUNNING, run_token=run_token).update(
            status=JobPart.Status.DONE, data=data, finished_at=moment, heartbeat_at=moment
        )
    )


def job_part_release(*, part: JobPart, run_token: str) -> None:
    """Give a part back (its run failed), so that another run takes it at once."""
    JobPart.objects.filter(pk=part.pk, status=JobPart.Status.RUNNING, run_token=run_token).update(
        status=JobPart.Status.WAITING, run_token=""
    )


def jobs_expired_files_delete(*, limit: int = 100) -> int:
    """Delete the stored files (JobFile) of jobs whose downloads have expired; the job rows stay, and their pages
    say the files have expired. A job's result file (result_path) is left alone: some jobs point it at a file that
    belongs to something else (an import's report)."""
    from django.core.files.storage import storages

    storage = storages["private"]
    expired = list(
        Job.objects.filter(expires_at__lte=now(), files__isnull=False).distinct().order_by("expires_at")[:limit]
    )
    for job in expired:
        for file in JobFile.objects.filter(job=job):
            if file.path and storage.exists(file.path):
                storage.delete(file.path)
        JobFile.objects.filter(job=job).delete()
    return len(expired)
