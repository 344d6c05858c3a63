"""Large reports as jobs: the report is built again in the worker and written as CSV, XLSX or PDF."""

from __future__ import annotations

import tempfile
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Centre
from examdesk.centres.selectors import centre_get_for_job
from examdesk.jobs.registry import job_handler
from examdesk.jobs.runner import JobContext, JobResult
from examdesk.reports import files, selectors

KIND = "reports.export"


def report_export_request(
    *,
    actor: Any,
    centre: Centre,
    criteria: selectors.Criteria,
    fmt: str,
    described: str,
    request: HttpRequest | None = None,
) -> Any:
    """Start writing the report as a file in a job owned by `actor` (the job page shows its progress)."""
    from examdesk.jobs.services import job_create

    if fmt not in files.FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}")
    params = {"criteria": criteria.as_params(), "format": fmt}
    with transaction.atomic():
        report_export_audit(actor=actor, centre=centre, fmt=fmt, described=described, params=params, request=request)
        return job_create(
            owner=actor, centre=centre, kind=KIND, title=f"Report ({fmt.upper()}): {described}"[:200], params=params
        )


def report_export_audit(
    *, actor: Any, centre: Centre, fmt: str, described: str, params: dict[str, Any], request: HttpRequest | None
) -> None:
    audit_record(
        action=AuditEvent.Action.EXPORT_REQUESTED,
        request=request,
        actor=actor,
        centre=centre,
        summary=f"Report ({fmt.upper()}): {described}"[:500],
        data=params,
    )


@job_handler(KIND)
def report_export_job(ctx: JobContext) -> JobResult:
    assert ctx.job.centre_id is not None, "a report belongs to a centre"
    centre = centre_get_for_job(centre_id=ctx.job.centre_id)
    fmt = ctx.params["format"]
    ctx.progress(done=0, total=1, message="Building the report")
    report = selectors.report_build(centre=centre, criteria=selectors.Criteria.from_params(ctx.params["criteria"]))
    total = len(report.rows)

    def progress(done: int) -> None:
        ctx.progress(done=done, total=total, message=f"{done} of {total} rows written")

    with tempfile.TemporaryFile() as out:
        files.WRITERS[fmt](report, out, progress)
        ctx.progress(done=total, total=total, message=f"{total} of {total} rows written")
        out.seek(0)
        ctx.save_result(out)
    return JobResult(
        name=files.file_name(report, fmt),
        content_type=files.FORMATS[fmt],
        message=f"{total} row{'' if total == 1 else 's'} written",
    )
