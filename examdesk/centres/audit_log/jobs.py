"""The audit-log export of a centre: a resumable job writing CSV in parts."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings

from examdesk.audit.models import AuditEvent
from examdesk.audit.selectors import audit_event_list_for_centre
from examdesk.centres.models import Centre
from examdesk.centres.selectors import member_ids_for_centre
from examdesk.core.spreadsheet import neutralise
from examdesk.core.time import format_in_zone
from examdesk.jobs.registry import job_handler
from examdesk.jobs.runner import JobContext, JobResult

EXPORT_COLUMNS = [
    "Time",
    "Action",
    "Summary",
    "Actor",
    "Subject",
    "Centre",
    "IP address",
    "Browser",
    "Event id",
]


def _row(event: AuditEvent, zone: str) -> list[Any]:
    return [
        format_in_zone(event.at, zone),
        event.get_action_display(),
        event.summary,
        event.actor_email,
        event.subject_email,
        event.centre_number,
        event.ip_address or "",
        event.user_agent,
        event.pk,
    ]


@job_handler("audit.export")
def audit_export_job(ctx: JobContext) -> JobResult:
    assert ctx.job.centre_id is not None, "an audit export belongs to a centre"
    centre = Centre.objects.get(pk=ctx.job.centre_id)
    events = audit_event_list_for_centre(
        centre=centre,
        member_ids=member_ids_for_centre(centre=centre),
        action=ctx.params.get("action", ""),
        search=ctx.params.get("search", ""),
    ).order_by("id")
    cp = ctx.checkpoint
    if "max_id" not in cp:
        # Fix the set of rows on the first run, so a resumed export writes exactly the same file.
        last = events.order_by("-id").values_list("id", flat=True).first() or 0
        cp.update(max_id=last, total=events.filter(id__lte=last).count(), after_id=0, parts=0, done=0)
        ctx.progress(done=0, total=cp["total"], message="Counting events")
    chunk = settings.EXAMDESK_JOB_CHUNK_ROWS
    while True:
        batch = list(events.filter(id__gt=cp["after_id"], id__lte=cp["max_id"])[:chunk])
        if not batch:
            break
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for event in batch:
            writer.writerow([neutralise(value) for value in _row(event, centre.time_zone)])
        ctx.write_part(cp["parts"], buffer.getvalue().encode("utf-8"))
        cp.update(parts=cp["parts"] + 1, after_id=batch[-1].pk, done=cp["done"] + len(batch))
        ctx.progress(done=cp["done"], total=cp["total"], message=f"{cp['done']} of {cp['total']} events written")
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(EXPORT_COLUMNS)
    ctx.assemble_parts(cp["parts"], header=b"\xef\xbb\xbf" + header.getvalue().encode("utf-8"))
    return JobResult(
        name=f"audit-log-{centre.number}.csv",
        content_type="text/csv",
        message=f"{cp['total']} event{'' if cp['total'] == 1 else 's'} exported",
    )
