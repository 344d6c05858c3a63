"""Runs one job in a worker: claim, heartbeat, call the handler, store the result file, finish."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.db import close_old_connections, connection

from examdesk.core.time import now
from examdesk.jobs import services
from examdesk.jobs.models import Job, JobPart
from examdesk.jobs.registry import PartHandler, handler_for, part_handler_for

log = logging.getLogger(__name__)
FRIENDLY_FAILURE = "Something went wrong while running this job. It has been recorded; please try again."


@dataclass(frozen=True)
class JobResult:
    message: str
    name: str = ""  # the file name the person downloads, when the job made a file
    content_type: str = ""
    url: str = ""  # where the person goes on from here (e.g. the preview of an import), if anywhere
    report: dict[str, Any] | None = None  # a small table for the job page (Job.report), if any


class JobContext:
    """What a handler sees: its parameters, its checkpoint, progress reporting and part files."""

    def __init__(self, job: Job, run_token: str) -> None:
        self.job = job
        self.run_token = run_token
        self.params: dict[str, Any] = job.params
        self.checkpoint: dict[str, Any] = dict(job.checkpoint)
        self.storage = storages["private"]
        self._helpers_sent = False

    def progress(self, *, done: int, total: int, message: str) -> None:
        """Report progress and save the checkpoint, together. Raises JobLost if the job was taken over."""
        services.job_progress(
            job=self.job,
            run_token=self.run_token,
            done=done,
            total=total,
            message=message,
            checkpoint=self.checkpoint,
        )

    def _part_path(self, index: int) -> str:
        return f"jobs/{self.job.pk}/parts/{index:06d}"

    def write_part(self, index: int, content: bytes) -> None:
        """Write part `index` of the output; writing the same part again replaces it."""
        path = self._part_path(index)
        if self.storage.exists(path):
            self.storage.delete(path)
        self.storage.save(path, ContentFile(content))

    def save_result(self, content: bytes | IO[bytes]) -> str:
        """Store the whole result file at once (for formats that cannot be joined from parts, like XLSX)."""
        path = f"jobs/{self.job.pk}/result"
        if self.storage.exists(path):
            self.storage.delete(path)
        stored = self.storage.save(path, ContentFile(content) if isinstance(content, bytes) else File(content))
        self.checkpoint["result_path"] = stored
        return str(stored)

    def assemble_parts(self, count: int, *, header: bytes = b"") -> str:
        """Join parts 0..count-1 into the result file, then delete them; returns the stored path.

        The result path is checkpointed before the parts go, so a crash in between resumes cleanly.
        """
        done = self.checkpoint.get("result_path")
        if done and self.storage.exists(done):
            return str(done)
        path = f"jobs/{self.job.pk}/result"
        if self.storage.exists(path):
            self.storage.delete(path)
        stream = File(_PartsReader(self, count, header), name="result")  # type: ignore[arg-type]
        stored = self.storage.save(path, stream)
        self.checkpoint["result_path"] = stored
        self.progress(done=self.job.done, total=self.job.total, message="Finishing")
        for index in range(count):
            self.storage.delete(self._part_path(index))
        return stored

    def run_parts(
        self, count: int, *, on_progress: Callable[[list[JobPart]], None] | None = None, poll: float = 0.05
    ) -> list[dict[str, Any]]:
        """Do parts 0..count-1 with the job's part handler, sharing them with every free worker process; return
        what each part made (its handler's dict), in part order, once all are done.

        This run takes parts itself and sends helper tasks to the other workers (unless `send_helpers` was called
        already), which take parts too; a part whose run died (stale heartbeat) is taken again. Parts done before
        a crash are not done again: a job that resumes calls run_parts with the same count and finds them done.
        `on_progress` hears the done parts whenever more are done (and while waiting for others' parts); by
        default it reports their count.
        """
        services.job_parts_plan(job=self.job, run_token=self.run_token, count=count)
        handler = part_handler_for(self.job.kind)
        if not self._helpers_sent:
            self.send_helpers(count)
        report = on_progress or (
            lambda done: self.progress(done=len(done), total=count, message=f"{len(done)} of {count} parts done")
        )
        reported = -1
        while True:
            part = services.job_part_claim(job_id=self.job.pk, run_token=self.run_token)
            if part is not None:
                part_run(self.job, part, self.run_token, handler)
            parts = list(JobPart.objects.filter(job=self.job).order_by("index"))
            done = [p for p in parts if p.status == JobPart.Status.DONE]
            if len(done) != reported or part is None:
                report(done)  # also proves this run still holds the job (JobLost otherwise)
                reported = len(done)
            if len(done) == len(parts):
                return [p.data for p in parts]
            if part is None:
                time.sleep(poll)  # the rest are held by other workers

    def send_helpers(self, parts: int | None = None) -> None:
        """Ask other worker processes to help with this job's parts: as many as EXAMDESK_JOB_HELPERS (default:
        one fewer than this machine's cores), and fewer than `parts` when given. A job that knows it will have
        parts may call this before it has planned them, so that the helpers are up when the parts are: a helper
        waits while the job's run is alive and has no parts yet."""
        self._helpers_sent = True
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            return  # in-process (tests): this run does every part itself
        helpers = getattr(settings, "EXAMDESK_JOB_HELPERS", None)
        if helpers is None:
            helpers = max(0, (os.cpu_count() or 1) - 1)
        from examdesk.jobs.tasks import job_parts_help_task

        for _ in range(int(helpers) if parts is None else min(parts - 1, int(helpers))):
            try:
                job_parts_help_task.delay(str(self.job.pk))
            except Exception:  # noqa: BLE001 - without helpers this run does every part itself
                log.exception("Could not send helpers for job %s; it goes on alone.", self.job.pk)
                return


class PartContext:
    """What a part handler sees: the job (read only), its part, and a place for the files the part makes."""

    def __init__(self, job: Job, part: JobPart, run_token: str) -> None:
        self.job = job
        self.part = part
        self.index = part.index
        self.run_token = run_token
        self.params: dict[str, Any] = job.params
        self.storage = storages["private"]

    def save(self, name: str, content: bytes | IO[bytes]) -> str:
        """Store a file this part made; returns its path (keep it in the part's data).

        Each run of a part writes its own paths, so a run that was taken for dead and wakes up again never
        overwrites the files of the run that finished the part.
        """
        run = self.run_token.rsplit(":", 1)[-1]
        path = f"jobs/{self.job.pk}/parts/{self.index:06d}-{run}-{self.part.attempts}-{name}"
        if self.storage.exists(path):
            self.storage.delete(path)
        return str(self.storage.save(path, ContentFile(content) if isinstance(content, bytes) else File(content)))


def part_run(job: Job, part: JobPart, run_token: str, handler: PartHandler) -> None:
    """Do one claimed part and record it done (unless another run holds it by now: then its work is dropped)."""
    heartbeat = None
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        heartbeat = _Heartbeat(
            f"job-part-{job.pk}-{part.index}", lambda: services.job_part_heartbeat(part=part, run_token=run_token)
        )
        heartbeat.start()
    try:
        data = handler(PartContext(job, part, run_token))
    finally:
        if heartbeat is not None:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
    if not services.job_part_finish(part=part, run_token=run_token, data=data):
        log.warning(
            "Part %s of job %s was taken over by another worker; this run's work is dropped.", part.index, job.pk
        )


def job_parts_help(*, job_id: uuid.UUID) -> int:
    """A helper worker: take parts of a running job until none is left to take; returns how many it did.

    A part whose handler fails is given back at once, so the job's own run takes it (and fails the job if it
    fails again there) instead of waiting for this run's heartbeat to go stale.
    """
    job = Job.objects.select_related("centre", "owner").filter(pk=job_id, status=Job.Status.RUNNING).first()
    if job is None:
        return 0
    handler = part_handler_for(job.kind)
    run_token = new_run_token()
    done = 0
    try:
        while Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).exists():
            # Asked before the claim: had the parts appeared between a failed claim and this question, the
            # helper would leave with every part still waiting.
            planning = _planning(job_id)
            part = services.job_part_claim(job_id=job_id, run_token=run_token)
            if part is None and planning:
                time.sleep(0.05)  # the job's run is still working out its parts
                continue
            if part is None:
                break
            try:
                part_run(job, part, run_token, handler)
            except Exception:
                log.exception(
                    "Part %s of job %s failed in a helper; the job's own run will take it.", part.index, job_id
                )
                services.job_part_release(part=part, run_token=run_token)
                break
            done += 1
    finally:
        close_old_connections()
    return done


def _planning(job_id: uuid.UUID) -> bool:
    """Whether the job is running under a live run and has no parts yet."""
    stale = now() - timedelta(seconds=settings.EXAMDESK_JOB_STALE_SECONDS)
    live = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, heartbeat_at__gte=stale)
    return live.exists() and not JobPart.objects.filter(job_id=job_id).exists()


class _PartsReader:
    """A read()-able stream over header + parts, so a large result is never held in memory."""

    def __init__(self, ctx: JobContext, count: int, header: bytes) -> None:
        self._chunks = self._iterate(ctx, count, header)
        self._buffer = b""

    @staticmethod
    def _iterate(ctx: JobContext, count: int, header: bytes) -> Iterator[bytes]:
        if header:
            yield header
        for index in range(count):
            with ctx.storage.open(ctx._part_path(index), "rb") as part:
                yield from iter(lambda: part.read(1 << 20), b"")

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                break
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def chunks(self, chunk_size: int = 1 << 20) -> Iterable[bytes]:
        while data := self.read(chunk_size):
            yield data

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.chunks())


class _Heartbeat(threading.Thread):
    """Keeps a heartbeat (a job's, a part's) fresh while a slow step runs; dies with the process on a crash."""

    def __init__(self, name: str, beat: Callable[[], object]) -> None:
        super().__init__(daemon=True, name=name)
        self.beat = beat
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.EXAMDESK_JOB_HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connection.close()


def new_run_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def job_run(*, job_id: uuid.UUID) -> None:
    run_token = new_run_token()
    job = services.job_claim(job_id=job_id, run_token=run_token)
    if job is None:
        log.info("Job %s is finished or held by a live worker; nothing to do.", job_id)
        return
    heartbeat = None
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        heartbeat = _Heartbeat(f"job-heartbeat-{job.pk}", lambda: services.job_heartbeat(job=job, run_token=run_token))
        heartbeat.start()
    try:
        ctx = JobContext(job, run_token)
        result = handler_for(job.kind)(ctx)
        services.job_succeed(
            job=job,
            run_token=run_token,
            path=ctx.checkpoint.get("result_path", ""),
            name=result.name,
            content_type=result.content_type,
            url=result.url,
            message=result.message,
            report=result.report,
        )
    except services.JobLost:
        log.warning("Job %s was taken over by another worker; this run stops.", job_id)
    except Exception:
        log.exception("Job %s (%s) failed", job_id, job.kind)
        services.job_fail(job=job, run_token=run_token, error=FRIENDLY_FAILURE)
    finally:
        if heartbeat is not None:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
        close_old_connections()
