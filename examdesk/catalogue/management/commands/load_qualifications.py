"""examdesk load_qualifications FILE [--board NAME]: load qualification definitions from a JSON or YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.catalogue.definitions import DefinitionError, parse_text
from examdesk.catalogue.forms import MAX_FILE_BYTES
from examdesk.catalogue.management.boards import board_for_command
from examdesk.catalogue.selectors import qualification_codes_existing
from examdesk.catalogue.services import qualifications_load


class Command(BaseCommand):
    help = (
        "Create or update qualifications from a JSON or YAML qualification file (schema: README, "
        "'Qualification files'). Every problem is listed and nothing is written when there is one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=str, help="Path of the .json, .yaml or .yml file.")
        parser.add_argument("--board", help="The board's name; needed only when there are several boards.")

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
            definitions = parse_text(text, file_name=path.name)
            existing = qualification_codes_existing(board=board, codes=[d.code for d in definitions])
            loaded = qualifications_load(board=board, definitions=definitions)
        except DefinitionError as error:
            self._fail(path, error.problems)
        except ValidationError as error:
            self._fail(path, [str(message) for message in error.messages])
        for qualification in loaded:
            what = "updated" if qualification.code in existing else "created"
            self.stdout.write(f"{what:<8} {qualification.code}  {qualification.name}")
        self.stdout.write(self.style.SUCCESS(f"{len(loaded)} qualification(s) loaded for {board.name}."))

    def _fail(self, path: Path, problems: list[str]) -> None:
        for problem in problems:
            self.stderr.write(f"{path.name}: {problem}")
        raise CommandError(f"{len(problems)} problem(s) in {path}; nothing was loaded.")
