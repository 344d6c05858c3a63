from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.accounts.models import User, normalize_email
from examdesk.catalogue.models import Qualification, Series
from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability, can
from examdesk.jobs import runner
from examdesk.jobs.models import Job
from examdesk.results.centre.search import Criteria
from examdesk.results.models import StatementEmail
from examdesk.results.statements.emails import may_email, statement_emails_start, status_url


class Command(BaseCommand):
    help = (
        "E-mail each candidate of a centre their own statement of results (those with an e-mail address on "
        "record), the same run as the Results page's “E-mail statements”: only results released at the moment "
        "each e-mail is prepared are sent; every other selected result is listed as skipped, with the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centre", required=True, help="Centre number (an exam centre).")
        parser.add_argument(
            "--as", dest="actor", required=True, help="E-mail address of the centre admin or exams officer sending."
        )
        parser.add_argument("--series", help="Series code, e.g. 2026-06 (default: every series).")
        parser.add_argument("--qualification", help="Qualification code, e.g. FCE (default: all).")
        parser.add_argument("--from", dest="number_from", default="", help="First candidate number, e.g. 0001.")
        parser.add_argument("--to", dest="number_to", default="", help="Last candidate number, e.g. 0350.")

    def handle(self, *args: Any, **options: Any) -> None:
        centre = Centre.objects.filter(number=options["centre"].upper()).first()
        if centre is None:
            raise CommandError(f"There is no centre {options['centre']!r}.")
        if not may_email(centre):
            raise CommandError(f"{centre.number} is a preparation centre: only exam centres e-mail candidates.")
        actor = User.objects.filter(email=normalize_email(options["actor"])).first()
        if actor is None or not can(actor, centre, Capability.MANAGE_REGISTRATIONS):
            raise CommandError(f"{options['actor']} is not a centre admin or exams officer at {centre.number}.")
        values: dict[str, Any] = {}
        for name in ("number_from", "number_to"):
            number = options[name]
            if number and not (len(number) == 4 and number.isdigit()):
                raise CommandError(f"Give candidate numbers as 4 digits, like 0042 (not {number!r}).")
            values[name] = number
        if options["series"]:
            series = Series.objects.filter(board=centre.board, code=options["series"]).first()
            if series is None:
                raise CommandError(f"There is no series {options['series']!r}.")
            values["series_id"] = series.pk
        if options["qualification"]:
            qualification = Qualification.objects.filter(board=centre.board, code=options["qualification"]).first()
            if qualification is None:
                raise CommandError(f"There is no qualification {options['qualification']!r}.")
            values["qualification_id"] = qualification.pk
        run = statement_emails_start(actor=actor, centre=centre, criteria=Criteria(**values), ticked=None)
        assert run.job is not None
        runner.job_run(job_id=run.job.pk)  # here, in the foreground (a worker that got it too finds it taken)
        job = Job.objects.get(pk=run.job.pk)
        link = f"{settings.EXAMDESK_SITE_URL}{status_url(run)}"
        if not job.is_finished:
            self.stdout.write(f"A worker is preparing the e-mails; follow each candidate's delivery at {link}")
            return
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(f"The run stopped: {job.error or job.message}")
        self.stdout.write(self.style.SUCCESS(job.message + "."))
        reasons = Counter(
            StatementEmail.objects.filter(run=run, status=StatementEmail.Status.SKIPPED).values_list(
                "reason", flat=True
            )
        )
        for reason, count in sorted(reasons.items()):
            self.stdout.write(f"  skipped {count}: {reason}")
        self.stdout.write(f"Each candidate's delivery: {link}")
