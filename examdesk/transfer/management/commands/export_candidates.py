from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.centres.selectors import centre_get_for_operator
from examdesk.transfer.candidate_export import candidate_export


class Command(BaseCommand):
    help = "Export a centre's candidates in the current template's format (XLSX or CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centre", required=True, help="Centre number.")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--all", action="store_true", help="Include deactivated candidates.")

    def handle(self, *args: Any, **options: Any) -> None:
        centre = centre_get_for_operator(number=options["centre"])
        if centre is None:
            raise CommandError(f"There is no centre {options['centre']!r}.")
        with Path(options["output"]).open("wb") as out:
            candidate_export(centre=centre, fmt=options["format"], include_deactivated=options["all"], out=out)
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['output']}."))
