from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.centres.models import Board, Centre
from examdesk.centres.selectors import board_list_for_operator, centre_get_for_operator
from examdesk.centres.services import board_get_or_create, centre_create
from examdesk.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an exam centre or a preparation centre."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="Centre number, 3 to 10 capital letters or digits.")
        parser.add_argument("name", help="The centre's name.")
        parser.add_argument("--country", required=True, help="ISO 3166 two-letter code, e.g. GB.")
        parser.add_argument("--time-zone", required=True, help="e.g. Europe/London.")
        parser.add_argument("--kind", choices=[k.value for k in Centre.Kind], default=Centre.Kind.EXAM)
        parser.add_argument(
            "--exam-centre",
            action="append",
            default=[],
            metavar="NUMBER",
            help="For a preparation centre: an exam centre it prepares for (repeatable).",
        )
        parser.add_argument("--board", default=None, help="Board name (default: the only board, or a new one).")

    def handle(self, *args: Any, **options: Any) -> None:
        board = self._board(options["board"])
        exam_centres = []
        for number in options["exam_centre"]:
            centre = centre_get_for_operator(number=number, kind=Centre.Kind.EXAM)
            if centre is None:
                raise CommandError(f"There is no exam centre {number}.")
            exam_centres.append(centre)
        try:
            centre = centre_create(
                board=board,
                number=options["number"],
                name=options["name"],
                country=options["country"],
                time_zone=options["time_zone"],
                kind=options["kind"],
                exam_centres=exam_centres,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        except Exception as error:
            messages = getattr(error, "messages", None)
            raise CommandError("; ".join(messages) if messages else str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {centre.get_kind_display().lower()} {centre}."))

    def _board(self, name: str | None) -> Board:
        if name:
            return board_get_or_create(name=name)
        boards = board_list_for_operator(limit=2)
        if len(boards) == 1:
            return boards[0]
        if not boards:
            return board_get_or_create(name="Examdesk Board")
        raise CommandError("There are several boards: name one with --board.")
