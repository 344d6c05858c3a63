"""A centre's results as CSV: a resumable job, every row decided by the release gate at the moment it is written."""

from __future__ import annotations

import csv
import io
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.models import Component
from examdesk.centres.models import Centre
from examdesk.core.spreadsheet import neutralise
from examdesk.core.time import format_in_zone
from examdesk.jobs.registry import job_handler
from examdesk.jobs.runner import JobContext, JobResult
from examdesk.results import gate
from examdesk.results.models import Entry
from examdesk.results.selectors import entries_for_centre

FIXED_COLUMNS = [
    "Centre number",
    "Series",
    "Qualification",
    "Candidate number",
    "Unique ID",
    "First name",
    "Last name",
    "Date of birth",
    "Status",
]
RESULT_COLUMNS = ["Overall", "Grade", "Result", "CEFR level"]
STATUS_TEXT = {
    gate.State.RELEASED: "Released",
    gate.State.NOT_YET: "Not released yet",
    gate.State.NOT_ONLINE: "Not available online",
    gate.State.NO_RESULT: "No result yet",
    gate.State.PENDING: "Pending",
    gate.State.WITHHELD: "Withheld",
}


def results_export_request(
    *, actor: Any, centre: Centre, filters: dict[str, Any], preview: bool, request: HttpRequest | None = None
) -> Any:
    from examdesk.jobs.services import job_create

    params = {
        "series_id": filters["series"].pk if filters.get("series") else None,
        "qualification_id": filters["qualification"].pk if filters.get("qualification") else None,
        "q": filters.get("q") or "",
        "preview": preview,
    }
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.EXPORT_REQUESTED,
            request=request,
            actor=actor,
            centre=centre,
            summary="Results export" + (" (board preview)" if preview else ""),
            data=params,
        )
        return job_create(
            owner=actor, centre=centre, kind="results.export", title=f"Results of centre {centre.number}", params=params
        )


def _entries(centre: Centre, params: dict[str, Any]) -> Any:
    entries = entries_for_centre(centre=centre, search=params.get("q", ""))
    if params.get("series_id"):
        entries = entries.filter(series_id=params["series_id"])
    if params.get("qualification_id"):
        entries = entries.filter(qualification_id=params["qualification_id"])
    return entries


def _status(shown: gate.Shown, zone: str) -> str:
    if shown.state is gate.State.NOT_YET and shown.released_at is not None:
        return f"Available {format_in_zone(shown.released_at, zone)}"
    return STATUS_TEXT[shown.state] + (" (board preview)" if shown.preview and shown.result else "")


def export_row(shown: gate.Shown, *, codes: list[str], zone: str) -> list[Any]:
    entry = shown.entry
    row: list[Any] = [
        entry.centre.number,
        entry.series.name,
        entry.qualification.code,
        entry.candidate_number,
        entry.candidate.unique_id,
        entry.candidate.first_name,
        entry.candidate.last_name,
        entry.candidate.date_of_birth.isoformat() if entry.candidate.date_of_birth else "",
        _status(shown, zone),
    ]
    result = shown.result  # None unless the gate released it: then no score leaves in this row
    scores = result.component_scores if result else {}
    for code in codes:
        value = scores.get(code)
        row.append("" if value is None else (value["score"] if value["state"] == "scored" else value["state"]))
    if result is None:
        row.extend([""] * len(RESULT_COLUMNS))
    else:
        overall = "" if result.overall_score is None else f"{result.overall_score.normalize():f}"
        row.extend([overall, result.grade, result.label, result.cefr_level])
    return row


def component_codes(entries: Any) -> list[str]:
    codes = (
        Component.objects.filter(qualification__entries__in=entries)
        .order_by("qualification__code", "position")
        .values_list("code", flat=True)
    )
    return list(dict.fromkeys(codes))


def header_row(codes: list[str]) -> list[str]:
    return FIXED_COLUMNS + codes + RESULT_COLUMNS


def results_csv_write(*, centre: Centre, params: dict[str, Any], out: IO[str]) -> int:
    """The whole export in one go, for the command line; the same rows and gate as the job."""
    entries = _entries(centre, params)
    codes = component_codes(entries)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header_row(codes))
    written = 0
    batch: list[Entry] = []
    for entry in entries.order_by("id").iterator(chunk_size=2000):
        batch.append(entry)
        if len(batch) == 2000:
            written += _write(writer, batch, codes, centre.time_zone)
            batch = []
    return written + _write(writer, batch, codes, centre.time_zone)


def _write(writer: Any, batch: list[Entry], codes: list[str], zone: str) -> int:
    for shown in gate.show_all(batch):
        writer.writerow([neutralise(v) for v in export_row(shown, codes=codes, zone=zone)])
    return len(batch)


@job_handler("results.export")
def results_export_job(ctx: JobContext) -> JobResult:
    assert ctx.job.centre_id is not None, "a results export belongs to a centre"
    centre = Centre.objects.get(pk=ctx.job.centre_id)
    entries = _entries(centre, ctx.params)
    cp = ctx.checkpoint
    if "max_id" not in cp:
        last = entries.order_by("-id").values_list("id", flat=True).first() or 0
        cp.update(
            max_id=last,
            total=entries.filter(id__lte=last).count(),
            codes=component_codes(entries.filter(id__lte=last)),
            after_id=0,
            parts=0,
            done=0,
        )
        ctx.progress(done=0, total=cp["total"], message="Counting entries")
    chunk = settings.EXAMDESK_JOB_CHUNK_ROWS
    while True:
        batch: list[Entry] = list(entries.filter(id__gt=cp["after_id"], id__lte=cp["max_id"]).order_by("id")[:chunk])
        if not batch:
            break
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for shown in gate.show_all(batch, preview=bool(ctx.params.get("preview"))):
            writer.writerow([neutralise(v) for v in export_row(shown, codes=cp["codes"], zone=centre.time_zone)])
        ctx.write_part(cp["parts"], buffer.getvalue().encode("utf-8"))
        cp.update(parts=cp["parts"] + 1, after_id=batch[-1].pk, done=cp["done"] + len(batch))
        ctx.progress(done=cp["done"], total=cp["total"], message=f"{cp['done']} of {cp['total']} entries written")
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(header_row(cp["codes"]))
    ctx.assemble_parts(cp["parts"], header=b"\xef\xbb\xbf" + header.getvalue().encode("utf-8"))
    return JobResult(
        name=f"results-{centre.number}.csv",
        content_type="text/csv",
        message=f"{cp['total']} entr{'y' if cp['total'] == 1 else 'ies'} exported",
    )
