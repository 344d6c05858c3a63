from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.catalogue.models import Qualification, Series
from examdesk.centres.models import Centre
from examdesk.results.centre.exports import results_csv_write


class Command(BaseCommand):
    help = (
        "Export a centre's entries and released results as CSV (the same file as the Results page's export). "
        "Scores appear only for results released at the moment each row is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centre", required=True, help="Centre number.")
        parser.add_argument("--series", help="Series code, e.g. 2026-06 (default: every series).")
        parser.add_argument("--qualification", help="Qualification code, e.g. FCE (default: all).")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        centre = Centre.objects.filter(number=options["centre"].upper()).first()
        if centre is None:
            raise CommandError(f"There is no centre {options['centre']!r}.")
        params: dict[str, Any] = {}
        if options["series"]:
            series = Series.objects.filter(board=centre.board, code=options["series"]).first()
            if series is None:
                raise CommandError(f"There is no series {options['series']!r}.")
            params["series_id"] = series.pk
        if options["qualification"]:
            qualification = Qualification.objects.filter(board=centre.board, code=options["qualification"]).first()
            if qualification is None:
                raise CommandError(f"There is no qualification {options['qualification']!r}.")
            params["qualification_id"] = qualification.pk
        with Path(options["output"]).open("w", encoding="utf-8-sig", newline="") as out:
            count = results_csv_write(centre=centre, params=params, out=out)
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} entries to {options['output']}."))
