from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.centres.selectors import centre_get_for_operator
from examdesk.transfer.candidate_export import candidate_export
from examdesk.transfer.oneroster.binding import VERSIONS
from examdesk.transfer.oneroster.writing import oneroster_export


class Command(BaseCommand):
    help = (
        "Export a centre's candidates in the current template's format (XLSX or CSV), or as a OneRoster CSV "
        "package (a zip)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centre", required=True, help="Centre number.")
        parser.add_argument("--format", choices=["xlsx", "csv", "oneroster"], default="xlsx")
        parser.add_argument(
            "--oneroster-version", choices=VERSIONS, default="1.2", help="With --format oneroster (default: 1.2)."
        )
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--all", action="store_true", help="Include deactivated candidates.")

    def handle(self, *args: Any, **options: Any) -> None:
        centre = centre_get_for_operator(number=options["centre"])
        if centre is None:
            raise CommandError(f"There is no centre {options['centre']!r}.")
        with Path(options["output"]).open("wb") as out:
            if options["format"] == "oneroster":
                oneroster_export(
                    centre=centre, version=options["oneroster_version"], include_deactivated=options["all"], out=out
                )
            else:
                candidate_export(centre=centre, fmt=options["format"], include_deactivated=options["all"], out=out)
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['output']}."))
