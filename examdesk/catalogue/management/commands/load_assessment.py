"""examdesk load_assessment FILE [--board NAME]: load online assessments (products) from a JSON or YAML file."""

from __future__ import annotations

from pathlib import Path

from examdesk.catalogue.management.loading import LoadFileCommand
from examdesk.catalogue.products.assessments import parse_text
from examdesk.catalogue.products.services import assessments_load
from examdesk.centres.models import Board


class Command(LoadFileCommand):
    help = (
        "Create or update online assessments (products) from a JSON or YAML assessment file (schema: README, "
        "'Assessment files'). Audio files named in it are read next to the file. Every problem is listed and "
        "nothing is written when there is one."
    )
    noun = "assessment"

    def load(self, *, board: Board, path: Path, text: str) -> list[str]:
        definitions = parse_text(text, file_name=path.name, base_dir=path.resolve().parent)
        loaded = assessments_load(board=board, definitions=definitions)
        return [f"{result.outcome:<9} {result.product.code}  {result.product.name}" for result in loaded]
