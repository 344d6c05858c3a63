"""What load_qualifications and load_assessment share: the board (--board, or the only one), the file's checks,
and one way to list every problem and load nothing when there is one."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from examdesk.catalogue.definitions import DefinitionError
from examdesk.catalogue.forms import MAX_FILE_BYTES
from examdesk.centres.models import Board
from examdesk.centres.selectors import board_get_for_operator
from examdesk.core.errors import ApplicationError


def board_for_command(name: str | None) -> Board:
    try:
        return board_get_for_operator(name=name)
    except ApplicationError as error:
        raise CommandError(error.message) from error


class LoadFileCommand(BaseCommand):
    """`examdesk <command> FILE [--board NAME]`: each command says what it loads and how (`load`)."""

    noun = "item"  # what one loaded thing is called, in the summary: "3 qualifications loaded for …"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=str, help="Path of the .json, .yaml or .yml file.")
        parser.add_argument("--board", help="The board's name; needed only when there are several boards.")

    def load(self, *, board: Board, path: Path, text: str) -> list[str]:
        """Load the file's text; returns a line per loaded thing. DefinitionError or ValidationError: nothing."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        board = board_for_command(options.get("board"))
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path}: the file is larger than 1 MB; split it into smaller files.")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: the file is not UTF-8 text.") from error
        try:
            lines = self.load(board=board, path=path, text=text)
        except DefinitionError as error:
            self._fail(path, error.problems)
        except ValidationError as error:
            self._fail(path, [str(message) for message in error.messages])
        for line in lines:
            self.stdout.write(line)
        loaded = ngettext("{count} {noun} loaded for {board}.", "{count} {noun}s loaded for {board}.", len(lines))
        self.stdout.write(self.style.SUCCESS(loaded.format(count=len(lines), noun=self.noun, board=board.name)))

    def _fail(self, path: Path, problems: list[str]) -> NoReturn:
        for problem in problems:
            self.stderr.write(f"{path.name}: {problem}")
        found = ngettext(
            "{count} problem in {path}; nothing was loaded.",
            "{count} problems in {path}; nothing was loaded.",
            len(problems),
        )
        raise CommandError(found.format(count=len(problems), path=path))
