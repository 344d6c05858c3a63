from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.centres.selectors import centre_get_for_operator
from examdesk.transfer.candidate_import import candidate_import_commit, candidate_import_preview
from examdesk.transfer.dates import DateOrder
from examdesk.transfer.reading import UnreadableFile


class Command(BaseCommand):
    help = (
        "Check a candidate file (XLSX, ODS, CSV or a OneRoster 1.1/1.2 CSV zip) and say what it would do; with "
        "--commit, apply every valid row. Exits non-zero when the file has problems."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--centre", required=True, help="Centre number.")
        parser.add_argument("--commit", action="store_true", help="Apply the valid rows (one transaction).")
        parser.add_argument("--date-order", choices=["dmy", "mdy"], help="How ambiguous dates are written.")
        parser.add_argument("--report", type=Path, help="With --commit: write the XLSX import report here.")
        parser.add_argument(
            "--oneroster-unique-id",
            choices=["identifier", "username"],
            default="identifier",
            help="For a OneRoster package: the users.csv field that is the unique ID (default: identifier).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        centre = centre_get_for_operator(number=options["centre"])
        if centre is None:
            raise CommandError(f"There is no centre {options['centre']!r}.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        order = DateOrder(options["date_order"]) if options["date_order"] else None
        try:
            preview = candidate_import_preview(
                centre=centre, data=data, date_order=order, oneroster_unique_id=options["oneroster_unique_id"]
            )
        except UnreadableFile as error:
            raise CommandError(error.message) from error
        evaluation = preview.evaluation
        for message in evaluation.file_problems:
            self.stderr.write(message)
        if evaluation.date_question:
            examples = ", ".join(evaluation.date_examples)
            self.stderr.write(f"The dates of birth can be read two ways ({examples}): give --date-order dmy or mdy.")
        for problem in evaluation.problems:
            self.stderr.write(f"row {problem.row}, {problem.column} '{problem.value}': {problem.reason} {problem.fix}")
        for entry in evaluation.unmatched():
            closest = ", ".join(name for _, name in entry["suggestions"]) or "none"
            self.stderr.write(
                f"warning: {entry['column']} '{entry['value']}' on {entry['count']} row(s) matches nothing: "
                f"imported empty and kept as written (closest: {closest})"
            )
        self.stdout.write(
            f"{len(evaluation.table.rows)} rows: {preview.new} new, {preview.updated} updated, "
            f"{preview.unchanged} unchanged, {preview.rejected} with problems."
        )
        if preview.new_id_warning:
            self.stdout.write(preview.new_id_warning)
        if not evaluation.can_commit:
            raise CommandError("Nothing was imported.")
        if options["commit"]:
            result = candidate_import_commit(
                actor=None,
                centre=centre,
                data=data,
                date_order=order,
                oneroster_unique_id=options["oneroster_unique_id"],
                file_name=path.name,
            )
            if options["report"]:
                Path(options["report"]).write_bytes(result.report)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported: {result.counts.created} new, {result.counts.updated} updated, "
                    f"{result.counts.unchanged} unchanged; {result.rejected} rows left out."
                )
            )
        else:
            self.stdout.write("Nothing was written (add --commit to import).")
        if preview.rejected:
            raise CommandError(f"{preview.rejected} rows have problems.")
