"""Worker start-up: pick up jobs whose worker died while this one was down."""

from __future__ import annotations

from typing import Any

from celery.signals import worker_ready


@worker_ready.connect
def recover_jobs_on_worker_start(**kwargs: Any) -> None:
    from examdesk.jobs.tasks import jobs_recover_task

    jobs_recover_task.delay()
