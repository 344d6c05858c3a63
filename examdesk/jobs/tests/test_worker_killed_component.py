"""A real Celery worker on a real Redis broker is killed in the middle of a job; the job finishes once.

This is the behaviour that lives in the components (worker processes, the broker, the database), so
it is tested with them: no eager mode, no mocks.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from examdesk.audit.models import AuditEvent
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.core.tests.redis_support import redis_or_skip
from examdesk.jobs.models import Job

pytestmark = [
    pytest.mark.component,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied before the test
EVENTS = 60_000


def _redis_or_skip() -> None:
    redis_or_skip(REDIS_URL)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(var_dir: Path, name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": _database_url(),
        "EXAMDESK_BROKER_URL": REDIS_URL,
        "EXAMDESK_VAR_DIR": str(var_dir),
        "EXAMDESK_SECRET_KEY": "component-test-secret-key-" + "x" * 40,
        "EXAMDESK_JOB_STALE_SECONDS": "3",
        "EXAMDESK_JOB_HEARTBEAT_SECONDS": "0.5",
        "EXAMDESK_JOB_RECOVER_SECONDS": "1",
        "EXAMDESK_JOB_CHUNK_ROWS": "100",
        "EXAMDESK_DB_CONN_MAX_AGE": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = open(var_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--hostname",
            f"{name}@%h",
            "--beat",
            "--schedule",
            str(var_dir / f"{name}-beat"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for_group_to_exit(pgid: int, seconds: float = 30) -> None:
    """The worker's pool and scheduler exit after it; their database sessions must be gone too."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(pgid, signal.SIGKILL)


def _wait_for(predicate, seconds: float, what: str, logs: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = predicate()
        if job:
            return job
        time.sleep(0.02)
    details = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs.glob("*.log"))
    raise AssertionError(f"Timed out waiting for {what}.\n{details}")


def test_a_job_killed_with_its_worker_is_finished_once_by_the_next_worker(tmp_path):
    _redis_or_skip()
    from config.celery import app

    centre = CentreFactory()
    admin = member(centre)
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(action=AuditEvent.Action.CENTRE_UPDATED, centre_id=centre.pk, summary=f"event {n}")
            for n in range(EVENTS)
        ),
        batch_size=5000,
    )
    job = Job.objects.create(owner=admin, centre=centre, kind="audit.export", title="Audit log export")

    first = _start_worker(tmp_path, "first")
    try:
        with app.connection_for_write(REDIS_URL) as conn:
            app.send_task("examdesk.jobs.tasks.job_run_task", args=[str(job.pk)], connection=conn)
        running = _wait_for(
            lambda: Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, done__gt=0).first(),
            120,
            "the first worker to start the job",
            tmp_path,
        )
        os.killpg(first.pid, signal.SIGKILL)  # the machine dies: worker, pool and beat at once
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)

    stopped = Job.objects.get(pk=job.pk)
    assert stopped.status == Job.Status.RUNNING, "the job must have been cut off mid-way"
    assert 0 < running.done <= stopped.done < EVENTS

    second = _start_worker(tmp_path, "second")
    try:
        finished = _wait_for(
            lambda: Job.objects.filter(pk=job.pk, status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED]).first(),
            180,
            "the second worker to finish the job",
            tmp_path,
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
        _wait_for_group_to_exit(second.pid)

    assert finished.status == Job.Status.SUCCEEDED, finished.error
    assert finished.attempts == 2, "claimed once by each worker"
    assert finished.checkpoint["done"] == EVENTS
    result = tmp_path / "private" / finished.result_path
    rows = list(csv.reader(io.StringIO(result.read_text(encoding="utf-8-sig"))))[1:]
    ids = [int(row[-1]) for row in rows]
    assert len(ids) == EVENTS and len(set(ids)) == EVENTS, "every event exactly once: nothing lost, nothing twice"
    assert not list((tmp_path / "private" / "jobs" / str(job.pk)).glob("parts/*")), "part files cleaned away"
