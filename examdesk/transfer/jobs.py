"""Candidate import and export as jobs: the same services as the command line, with a progress bar."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from examdesk.centres.selectors import centre_get_for_job
from examdesk.jobs.registry import job_handler
from examdesk.jobs.runner import JobContext, JobResult
from examdesk.transfer import selectors, services
from examdesk.transfer.candidate_export import candidate_export
from examdesk.transfer.candidate_import import SHOWN_PROBLEMS, candidate_import_commit, candidate_import_preview
from examdesk.transfer.dates import DateOrder
from examdesk.transfer.models import ImportBatch
from examdesk.transfer.oneroster.writing import oneroster_export
from examdesk.transfer.reading import UnreadableFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ONEROSTER_FORMAT = "oneroster-"  # "oneroster-1.1", "oneroster-1.2": a OneRoster package of that version


def _batch_and_file(ctx: JobContext) -> tuple[ImportBatch, bytes]:
    batch = selectors.import_batch_get_for_job(batch_id=ctx.params["batch"])
    with storages["private"].open(batch.file_path, "rb") as handle:
        return batch, handle.read()


def _reporter(ctx: JobContext) -> Callable[[int, int, str], None]:
    def report(done: int, total: int, message: str) -> None:
        ctx.progress(done=done, total=total, message=message)

    return report


def _order(batch: ImportBatch) -> DateOrder | None:
    return DateOrder(batch.date_order) if batch.date_order else None


def _unique_id(batch: ImportBatch) -> str:
    return batch.oneroster_unique_id or "identifier"


@job_handler("transfer.candidate_preview")
def candidate_preview_job(ctx: JobContext) -> JobResult:
    batch, data = _batch_and_file(ctx)
    ctx.progress(done=0, total=1, message="Reading the file")
    url = reverse("centres:transfer:preview", args=[batch.centre.number, batch.pk])
    try:
        preview = candidate_import_preview(
            centre=batch.centre,
            data=data,
            date_order=_order(batch),
            oneroster_unique_id=_unique_id(batch),
            on_progress=_reporter(ctx),
        )
    except UnreadableFile as error:
        services.import_batch_fail(batch=batch, error=error.message)
        return JobResult(message="The file could not be read", url=url)
    problems = [vars(problem) for problem in preview.evaluation.problems[:SHOWN_PROBLEMS]]
    services.import_batch_ready(batch=batch, summary=preview.summary(), problems=problems)
    return JobResult(
        message=f"{len(preview.evaluation.table.rows)} rows checked: nothing has been changed yet", url=url
    )


@job_handler("transfer.candidate_commit")
def candidate_commit_job(ctx: JobContext) -> JobResult:
    batch, data = _batch_and_file(ctx)
    url = reverse("centres:transfer:preview", args=[batch.centre.number, batch.pk])
    if batch.status == ImportBatch.Status.COMMITTED:  # a re-run after a crash between commit and finish
        ctx.checkpoint["result_path"] = batch.report_path
        return JobResult(
            message="Imported", name=f"import-report-{batch.centre.number}.xlsx", content_type=XLSX, url=url
        )
    ctx.progress(done=0, total=1, message="Importing")
    result = candidate_import_commit(
        actor=ctx.job.owner,
        centre=batch.centre,
        data=data,
        date_order=_order(batch),
        oneroster_unique_id=_unique_id(batch),
        file_name=batch.file_name,
        on_progress=_reporter(ctx),
    )
    ctx.save_result(result.report)
    summary = {
        **batch.summary,
        "created": result.counts.created,
        "updated_done": result.counts.updated,
        "unchanged_done": result.counts.unchanged,
        "rejected_done": result.rejected,
    }
    services.import_batch_committed(batch=batch, summary=summary, report_path=ctx.checkpoint["result_path"])
    message = (
        f"{result.counts.created} new, {result.counts.updated} updated, {result.counts.unchanged} unchanged, "
        f"{result.rejected} rows left out"
    )
    return JobResult(message=message, name=f"import-report-{batch.centre.number}.xlsx", content_type=XLSX, url=url)


@job_handler("transfer.candidate_export")
def candidate_export_job(ctx: JobContext) -> JobResult:
    assert ctx.job.centre_id is not None, "an export belongs to a centre"
    centre = centre_get_for_job(centre_id=ctx.job.centre_id)
    fmt = ctx.params["format"]

    def progress(done: int, total: int) -> None:
        ctx.progress(done=done, total=total, message=f"{done} of {total} candidates written")

    with tempfile.TemporaryFile() as out:
        if fmt.startswith(ONEROSTER_FORMAT):
            oneroster_export(
                centre=centre,
                version=fmt.removeprefix(ONEROSTER_FORMAT),
                include_deactivated=ctx.params["include_deactivated"],
                out=out,
                on_progress=progress,
            )
        else:
            candidate_export(
                centre=centre,
                fmt=fmt,
                include_deactivated=ctx.params["include_deactivated"],
                out=out,
                on_progress=progress,
            )
        out.seek(0)
        ctx.save_result(out)
    stamp = timezone.localtime(timezone.now()).strftime("%Y-%m-%d")
    if fmt.startswith(ONEROSTER_FORMAT):
        version = fmt.removeprefix(ONEROSTER_FORMAT).replace(".", "p")
        name, content_type = f"candidates-{centre.number}-{stamp}-oneroster-v{version}.zip", "application/zip"
    else:
        name, content_type = f"candidates-{centre.number}-{stamp}.{fmt}", "text/csv" if fmt == "csv" else XLSX
    return JobResult(message="Export ready", name=name, content_type=content_type)
