from __future__ import annotations

import uuid

from celery import shared_task

from examdesk.jobs import runner, services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def job_run_task(job_id: str) -> None:
    runner.job_run(job_id=uuid.UUID(job_id))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def job_parts_help_task(job_id: str) -> None:
    runner.job_parts_help(job_id=uuid.UUID(job_id))


@shared_task
def jobs_recover_task() -> None:
    services.jobs_recover()
    services.jobs_expired_files_delete()
