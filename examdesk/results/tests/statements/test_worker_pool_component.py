"""A real worker pool of two processes on a real Redis broker shares a statements job's chunks; the machine is
killed in the middle, and the next worker finishes the job without drawing a finished chunk again."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from examdesk.core.tests.factories import CentreFactory, member
from examdesk.core.time import now
from examdesk.jobs import services
from examdesk.jobs.models import Job, JobPart
from examdesk.jobs.tests.test_worker_killed_component import (
    REDIS_URL,
    _database_url,
    _redis_or_skip,
    _wait_for,
    _wait_for_group_to_exit,
)
from examdesk.results.centre.search import Criteria
from examdesk.results.statements.bulk import KIND, statements_start
from examdesk.results.tests.statements.support import cohort

pytestmark = [
    pytest.mark.component,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

ROOT = Path(__file__).resolve().parents[4]
COUNT = 1800  # ten chunks (chunks of 500, the last 1,000 statements in chunks of 125)


def _start_pool(var_dir: Path, name: str) -> subprocess.Popen:
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
        "EXAMDESK_DB_CONN_MAX_AGE": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = open(var_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "2", "--loglevel", "INFO",
               "--hostname", f"{name}@%h", "--beat", "--schedule", str(var_dir / f"{name}-beat")]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _pid(run_token: str) -> str:
    return run_token.split(":")[1]


def _drawn_by(job: Job) -> set[str]:
    """The pool processes that have drawn (claimed) at least one chunk of the job, finished or not."""
    tokens = JobPart.objects.filter(job=job).exclude(run_token="").values_list("run_token", flat=True)
    return {_pid(token) for token in tokens}


def test_two_worker_processes_share_the_chunks_and_a_killed_pool_is_resumed_by_the_next(tmp_path, monkeypatch):
    _redis_or_skip()
    from config.celery import app

    centre = CentreFactory()
    officer = member(centre)
    cohort(centre, COUNT, released_at=now() - timedelta(minutes=1))
    monkeypatch.setattr(services, "job_enqueue", lambda **kwargs: None)  # sent below, to the test's broker
    job = statements_start(actor=officer, centre=centre, criteria=Criteria(), entry_ids=None)

    first = _start_pool(tmp_path, "first")
    try:
        with app.connection_for_write(REDIS_URL) as conn:
            app.send_task("examdesk.jobs.tasks.job_run_task", args=[str(job.pk)], connection=conn)
        # Both pool processes must have drawn a chunk before the crash; the second one starts helping a moment
        # after the first (its help task goes through the broker), so wait for both, not only for a count.
        _wait_for(
            lambda: (
                JobPart.objects.filter(job=job, status=JobPart.Status.DONE).count() >= 3 and len(_drawn_by(job)) == 2
            ),
            120,
            "both pool processes to draw chunks and three chunks to be finished",
            tmp_path,
        )
        os.killpg(first.pid, signal.SIGKILL)  # the machine dies: the worker, both pool processes and beat at once
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)

    before = {part.index: part.run_token for part in JobPart.objects.filter(job=job, status=JobPart.Status.DONE)}
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING, "the job must have been cut off mid-way"
    assert 3 <= len(before) < JobPart.objects.filter(job=job).count()
    assert len(_drawn_by(job)) == 2, "both pool processes drew chunks"

    second = _start_pool(tmp_path, "second")
    try:
        finished = _wait_for(
            lambda: Job.objects.filter(pk=job.pk, status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED]).first(),
            180,
            "the second pool to finish the job",
            tmp_path,
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
        _wait_for_group_to_exit(second.pid)

    assert finished.status == Job.Status.SUCCEEDED, finished.error
    assert finished.kind == KIND and finished.attempts == 2
    parts = list(JobPart.objects.filter(job=job))
    for part in parts:
        if part.index in before:  # finished before the crash: kept, not drawn again
            assert part.run_token == before[part.index] and part.attempts == 1, part.index
    assert all(part.status == JobPart.Status.DONE for part in parts)
    files = {file.key: tmp_path / "private" / file.path for file in finished.files.all()}
    assert len(PdfReader(io.BytesIO(files["print"].read_bytes())).pages) == COUNT
    with zipfile.ZipFile(files["singles"]) as archive:
        names = archive.namelist()
    assert len(names) == len(set(names)) == COUNT
    assert names[0].startswith("0001-") and names[-1].startswith(f"{COUNT:04d}-")
    assert not list((tmp_path / "private" / "jobs" / str(job.pk)).glob("parts/*")), "parts cleaned away"
