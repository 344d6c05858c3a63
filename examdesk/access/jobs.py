"""The access app's jobs: login letters, and e-mailing them to candidates."""

from __future__ import annotations

from examdesk.access import emails, letters
from examdesk.access.models import LetterRun
from examdesk.access.selectors import letter_run_get_for_job, page_url
from examdesk.access.services import EMAIL_JOB_KIND, JOB_KIND
from examdesk.jobs.registry import job_handler
from examdesk.jobs.runner import JobContext, JobResult


@job_handler(JOB_KIND)
def letters_job(ctx: JobContext) -> JobResult:
    run = letter_run_get_for_job(run_id=ctx.params["run_id"])
    cp = ctx.checkpoint
    if run.kind == LetterRun.Kind.NEW and not cp.get("listed"):
        letters.run_list(run)
        cp["listed"] = True
        ctx.progress(done=0, total=len(run.candidate_ids), message="Candidates listed")
    count, pdf_path, zip_path, members = letters.run_letters(ctx, run)
    letters.run_finish(run, count, pdf_path, zip_path, members)
    if not count:
        return JobResult(message="No letters were needed: every candidate with access already has a login.")
    return JobResult(
        message=f"{count} letter{'' if count == 1 else 's'} ready: download them from the Results access page",
        url=page_url(centre=run.centre),
    )


@job_handler(EMAIL_JOB_KIND)
def letter_emails_job(ctx: JobContext) -> JobResult:
    run = letter_run_get_for_job(run_id=ctx.params["run_id"])
    queued, skipped = emails.emails_run(ctx, run)
    from django.urls import reverse

    url = reverse("centres:access:emails", args=[run.centre.number, run.pk])
    return JobResult(message=f"{queued} letter{'' if queued == 1 else 's'} e-mailed, {skipped} skipped", url=url)
