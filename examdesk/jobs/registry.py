"""The kinds of job. An app registers a handler in its jobs.py:

    @job_handler("audit.export")
    def audit_export_job(ctx: JobContext) -> JobResult: ...

A handler must be safe to run again after a crash: it reads `ctx.checkpoint` to resume, writes its
output in numbered parts (a part written twice is simply overwritten) and saves the checkpoint with
each progress step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from examdesk.jobs.runner import JobContext, JobResult

Handler = Callable[["JobContext"], "JobResult"]
_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        return function

    return register


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"No job handler is registered for {kind!r}.") from None
