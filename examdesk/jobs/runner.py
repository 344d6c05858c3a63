"""Runs one job in a worker: claim, heartbeat, call the handler, store the result file, finish."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.db import close_old_connections, connection

from examdesk.jobs import services
from examdesk.jobs.models import Job
from examdesk.jobs.registry import handler_for

log = logging.getLogger(__name__)
FRIENDLY_FAILURE = "Something went wrong while running this job. It has been recorded; please try again."


@dataclass(frozen=True)
class JobResult:
    message: str
    name: str = ""  # the file name the person downloads, when the job made a file
    content_type: str = ""
    url: str = ""  # where the person goes on from here (e.g. the preview of an import), if anywhere


class JobContext:
    """What a handler sees: its parameters, its checkpoint, progress reporting and part files."""

    def __init__(self, job: Job, run_token: str) -> None:
        self.job = job
        self.run_token = run_token
        self.params: dict[str, Any] = job.params
        self.checkpoint: dict[str, Any] = dict(job.checkpoint)
        self.storage = storages["private"]

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
    """Keeps the job's heartbeat fresh while a slow step runs; dies with the process on a crash."""

    def __init__(self, job: Job, run_token: str) -> None:
        super().__init__(daemon=True, name=f"job-heartbeat-{job.pk}")
        self.job, self.run_token = job, run_token
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.EXAMDESK_JOB_HEARTBEAT_SECONDS):
                services.job_heartbeat(job=self.job, run_token=self.run_token)
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
        heartbeat = _Heartbeat(job, run_token)
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
