"""examdesk load_assessment FILE [--board NAME]: load online assessments (products) from a JSON or YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.catalogue.definitions import DefinitionError
from examdesk.catalogue.forms import MAX_FILE_BYTES
from examdesk.catalogue.management.boards import board_for_command
from examdesk.catalogue.products.assessments import parse_text
from examdesk.catalogue.products.services import assessments_load


class Command(BaseCommand):
    help = (
        "Create or update online assessments (products) from a JSON or YAML assessment file (schema: README, "
        "'Assessment files'). Audio files named in it are read next to the file. Every problem is listed and "
        "nothing is written when there is one."
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
            definitions = parse_text(text, file_name=path.name, base_dir=path.resolve().parent)
            loaded = assessments_load(board=board, definitions=definitions)
        except DefinitionError as error:
            self._fail(path, error.problems)
        except ValidationError as error:
            self._fail(path, [str(message) for message in error.messages])
        for result in loaded:
            self.stdout.write(f"{result.outcome:<9} {result.product.code}  {result.product.name}")
        self.stdout.write(self.style.SUCCESS(f"{len(loaded)} assessment(s) loaded for {board.name}."))

    def _fail(self, path: Path, problems: list[str]) -> None:
        for problem in problems:
            self.stderr.write(f"{path.name}: {problem}")
        raise CommandError(f"{len(problems)} problem(s) in {path}; nothing was loaded.")
