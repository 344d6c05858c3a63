from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.accounts.models import User
from examdesk.centres.models import Board
from examdesk.core.errors import ApplicationError
from examdesk.results.files import services as results_import
from examdesk.transfer.dates import DateOrder
from examdesk.transfer.reading import UnreadableFile


class Command(BaseCommand):
    help = (
        "Check the board's results file (CSV or XLSX) and say what it would do, with every problem by row; with "
        "--commit, import every good row in one transaction (rows with problems are left out). Exits non-zero "
        "when the file cannot be read or cannot be imported as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--board", help="The board's name (needed when there is more than one board).")
        parser.add_argument("--commit", action="store_true", help="Import the good rows (one transaction).")
        parser.add_argument(
            "--owner",
            help="E-mail address of the person the import is recorded for (default: none; audit actor empty).",
        )
        parser.add_argument("--date-order", choices=["dmy", "mdy"], help="How ambiguous dates of birth are written.")
        parser.add_argument("--report", type=Path, help="Write the XLSX problem report here.")

    def handle(self, *args: Any, **options: Any) -> None:
        board = self._board(options["board"])
        owner = None
        if options["owner"]:
            owner = User.objects.filter(email__iexact=options["owner"]).first()
            if owner is None:
                raise CommandError(f"There is no account with the e-mail address {options['owner']}.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        order = DateOrder(options["date_order"]) if options["date_order"] else None
        try:
            found = results_import.check(board=board, data=data, date_order=order)
        except UnreadableFile as error:
            raise CommandError(error.message) from error
        evaluation = found.evaluation
        for message in evaluation.file_problems:
            self.stderr.write(message)
        if evaluation.date_question:
            examples = ", ".join(evaluation.date_examples)
            self.stderr.write(f"The dates of birth can be read two ways ({examples}): give --date-order dmy or mdy.")
        for problem in sorted(evaluation.problems, key=lambda problem: problem.row):
            value = f" '{problem.value}'" if problem.value else ""
            self.stderr.write(f"row {problem.row}, {problem.column}{value}: {problem.reason}")
        if evaluation.match.unknown:
            self.stdout.write(f"Columns not used: {', '.join(evaluation.match.unknown)}.")
        self.stdout.write(self._counts("Would import", found.counts))
        if not evaluation.can_commit:
            raise CommandError("Nothing was imported.")
        if not options["commit"]:
            if options["report"]:
                Path(options["report"]).write_bytes(results_import.problem_report(found))
            self.stdout.write("Nothing was written (add --commit to import the good rows).")
            return
        try:
            _, outcome = results_import.results_file_import(
                actor=owner, board=board, data=data, file_name=path.name, date_order=order
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if options["report"]:
            Path(options["report"]).write_bytes(outcome.report)
        self.stdout.write(self.style.SUCCESS(self._counts("Imported", outcome.counts)))

    def _board(self, name: str | None) -> Board:
        if name:
            board = Board.objects.filter(name__iexact=name).first()
            if board is None:
                raise CommandError(f"There is no board named {name!r}.")
            return board
        boards = list(Board.objects.all()[:2])
        if len(boards) != 1:
            raise CommandError("Name the board with --board." if boards else "There is no board yet.")
        return boards[0]

    @staticmethod
    def _counts(what: str, counts: results_import.Counts) -> str:
        c = results_import.counted
        return (
            f"{what}: {c(counts.rows, 'row')}; {c(counts.new_candidates, 'new candidate')}, "
            f"{c(counts.new_entries, 'new entry', 'new entries')}, {c(counts.new_results, 'new result')}, "
            f"{c(counts.changed_results, 'changed result')} (new revision), {counts.unchanged} unchanged; "
            f"{c(counts.rejected, 'row')} with problems left out."
        )
