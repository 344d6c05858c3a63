"""The kinds of job. An app registers a handler in its jobs.py:

    @job_handler("audit.export")
    def audit_export_job(ctx: JobContext) -> JobResult: ...

A handler must be safe to run again after a crash: it reads `ctx.checkpoint` to resume, writes its
output in numbered parts (a part written twice is simply overwritten) and saves the checkpoint with
each progress step.

A job whose work splits into independent parts also registers a part handler, and its handler calls
`ctx.run_parts(count)`: every free worker process then takes parts (see runner.JobContext.run_parts).

    @job_part_handler("results.statements")
    def statements_part(part: PartContext) -> dict[str, Any]: ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from examdesk.jobs.runner import JobContext, JobResult, PartContext

Handler = Callable[["JobContext"], "JobResult"]
PartHandler = Callable[["PartContext"], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}
_PART_HANDLERS: dict[str, PartHandler] = {}


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


def job_part_handler(kind: str) -> Callable[[PartHandler], PartHandler]:
    def register(function: PartHandler) -> PartHandler:
        _PART_HANDLERS[kind] = function
        return function

    return register


def part_handler_for(kind: str) -> PartHandler:
    try:
        return _PART_HANDLERS[kind]
    except KeyError:
        raise LookupError(f"No part handler is registered for {kind!r}.") from None
