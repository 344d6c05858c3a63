"""Registration letters for a whole series: one PDF to print (a page per candidate), optionally e-mailed too."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.db import transaction
from django.utils import translation

from examdesk.catalogue.models import Series
from examdesk.centres.models import Centre
from examdesk.core.mail import email_queue
from examdesk.documents.letters import RegistrationLetterData, render_letters
from examdesk.jobs.registry import job_handler
from examdesk.jobs.runner import JobContext, JobResult
from examdesk.results.languages import candidate_language
from examdesk.results.models import Entry
from examdesk.results.registrations.services import letter_email_body, letter_email_subject, letters_for_series

PROGRESS_EVERY = 200


@job_handler("results.registration_letters")
def registration_letters_job(ctx: JobContext) -> JobResult:
    assert ctx.job.centre_id is not None, "letters belong to a centre"
    centre = Centre.objects.select_related("board").get(pk=ctx.job.centre_id)
    series = Series.objects.get(pk=ctx.params["series_id"], board_id=centre.board_id)
    cp = ctx.checkpoint
    if "total" not in cp:
        total = Entry.objects.filter(centre=centre, series=series).values("candidate_id").distinct().count()
        cp.update(total=total, printed=False, emailed_after=-1, emailed=0)
        ctx.progress(done=0, total=total, message="Preparing letters")
    total = cp["total"]
    if not cp["printed"]:
        # One file that cannot be joined from parts: a crash before it is stored renders it again from the start.
        def counted() -> Iterator[RegistrationLetterData]:
            for done, (_, letter) in enumerate(letters_for_series(centre=centre, series_id=series.pk), start=1):
                yield letter
                if done % PROGRESS_EVERY == 0:
                    ctx.progress(done=done, total=total, message=f"{done} of {total} letters printed")

        # The print file is in the centre's language; each e-mail below in its candidate's.
        with tempfile.TemporaryFile() as out, translation.override(centre.language):
            render_letters(counted(), out)
            out.seek(0)
            ctx.save_result(out)
        cp["printed"] = True
        ctx.progress(done=total, total=total, message="Letters ready to print")
    emailed = 0
    if ctx.params.get("send_emails"):
        for index, (candidate, letter) in enumerate(letters_for_series(centre=centre, series_id=series.pk)):
            if index <= cp["emailed_after"] or not candidate.email:
                continue
            # The e-mail and the checkpoint commit together: a resumed job never sends a letter twice.
            with transaction.atomic(), translation.override(candidate_language(candidate)):
                email_queue(to=candidate.email, subject=letter_email_subject(letter), body=letter_email_body(letter))
                cp["emailed"] += 1
                cp["emailed_after"] = index
                ctx.progress(done=total, total=total, message=f"E-mailing letters: {cp['emailed']} sent")
        emailed = cp["emailed"]
    message = f"{total} letter{'' if total == 1 else 's'} ready to print"
    if ctx.params.get("send_emails"):
        message += f"; {emailed} e-mailed (candidates without an e-mail address were not)"
    return JobResult(
        name=f"registration-letters-{centre.number}-{series.code}.pdf",
        content_type="application/pdf",
        message=message,
    )
