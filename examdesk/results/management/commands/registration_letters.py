from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.catalogue.models import Series
from examdesk.centres.models import Centre
from examdesk.core.mail import email_queue
from examdesk.documents.letters import render_letters
from examdesk.results.registrations.services import letter_email_body, letters_for_series


class Command(BaseCommand):
    help = (
        "Print the Results Online registration letters of a centre's series into one PDF (a page per candidate), "
        "and with --email also e-mail each letter to candidates with an address on record."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centre", required=True, help="Centre number.")
        parser.add_argument("--series", required=True, help="Series code, e.g. 2026-06.")
        parser.add_argument("--output", type=Path, required=True, help="The PDF file to write.")
        parser.add_argument("--email", action="store_true", help="Also e-mail each letter.")

    def handle(self, *args: Any, **options: Any) -> None:
        centre = Centre.objects.select_related("board").filter(number=options["centre"].upper()).first()
        if centre is None:
            raise CommandError(f"There is no centre {options['centre']!r}.")
        series = Series.objects.filter(board=centre.board, code=options["series"]).first()
        if series is None:
            raise CommandError(f"There is no series {options['series']!r}.")
        audit_record(
            action=AuditEvent.Action.REGISTRATION_LETTER,
            centre=centre,
            summary="Registration letters for a whole series, from the command line"
            + (" (also e-mailed)" if options["email"] else ""),
            data={"series": series.pk, "emails": options["email"]},
        )
        with Path(options["output"]).open("wb") as out:
            pages = render_letters(
                (letter for _, letter in letters_for_series(centre=centre, series_id=series.pk)), out
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote {pages} letters to {options['output']}."))
        if options["email"]:
            sent = 0
            for candidate, letter in letters_for_series(centre=centre, series_id=series.pk):
                if candidate.email:
                    subject = f"Your results online: {letter.board_name}"
                    email_queue(to=candidate.email, subject=subject, body=letter_email_body(letter))
                    sent += 1
            self.stdout.write(f"E-mailed {sent} letters (candidates without an e-mail address were not).")
