"""The board's results file as jobs: checking it (nothing written) and importing it, with a progress bar.

Registered at start-up by ResultsConfig.ready (this module is not named jobs.py, which the jobs app discovers).
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from examdesk.core.errors import ApplicationError
from examdesk.jobs.registry import job_handler
from examdesk.jobs.runner import JobContext, JobResult
from examdesk.results.files import services
from examdesk.results.models import ResultsFile
from examdesk.transfer.reading import UnreadableFile

COMMIT_FAILED = "The import stopped and nothing was written: {reason} Check the file again, then import it."


def _results_file(ctx: JobContext) -> ResultsFile:
    return ResultsFile.objects.select_related("board").get(pk=ctx.params["file"])


def _reporter(ctx: JobContext) -> Callable[[int, int, str], None]:
    def report(done: int, total: int, message: str) -> None:
        ctx.progress(done=done, total=total, message=message)

    return report


def _report_name(results_file: ResultsFile) -> str:
    stem = results_file.file_name.rsplit(".", 1)[0] or "results"
    return f"problems-{stem}.xlsx"


@job_handler(services.PREVIEW_JOB)
def results_file_preview_job(ctx: JobContext) -> JobResult:
    results_file = _results_file(ctx)
    url = reverse("results_files:preview", args=[results_file.pk])
    ctx.progress(done=0, total=1, message="Reading the file")
    try:
        found = services.results_file_preview(results_file=results_file, on_progress=_reporter(ctx))
    except UnreadableFile as error:
        services.results_file_failed(results_file=results_file, message=error.message)
        return JobResult(message="The file could not be read", url=url)
    rows = found.counts.rows
    return JobResult(message=f"{rows} rows checked: nothing has been changed yet", url=url)


@job_handler(services.COMMIT_JOB)
def results_file_commit_job(ctx: JobContext) -> JobResult:
    results_file = _results_file(ctx)
    url = reverse("results_files:preview", args=[results_file.pk])
    name = _report_name(results_file)
    if results_file.status == ResultsFile.Status.COMMITTED:  # a re-run after a crash between commit and finish
        ctx.checkpoint["result_path"] = results_file.summary.get("report_path", "")
        return JobResult(message="Imported", name=name, content_type=services.XLSX, url=url)
    ctx.progress(done=0, total=1, message="Importing")
    try:
        outcome = services.results_file_commit(
            actor=ctx.job.owner, results_file=results_file, on_progress=_reporter(ctx)
        )
    except Exception as error:
        reason = error.message if isinstance(error, ApplicationError | UnreadableFile) else "an unexpected error."
        message = COMMIT_FAILED.format(reason=reason)
        services.results_file_commit_failed(results_file=results_file, message=message)
        if isinstance(error, ApplicationError):
            return JobResult(message="Nothing was imported", url=url)
        raise
    ctx.save_result(outcome.report)
    counts = outcome.counts
    message = (
        f"{counts.new_results} new results, {counts.changed_results} changed, {counts.unchanged} unchanged, "
        f"{counts.rejected} rows left out"
    )
    return JobResult(message=message, name=name, content_type=services.XLSX, url=url)
