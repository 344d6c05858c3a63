"""examdesk load_qualifications FILE [--board NAME]: load qualification definitions from a JSON or YAML file."""

from __future__ import annotations

from pathlib import Path

from examdesk.catalogue.definitions import parse_text
from examdesk.catalogue.management.loading import LoadFileCommand
from examdesk.catalogue.selectors import qualification_codes_existing
from examdesk.catalogue.services import qualifications_load
from examdesk.centres.models import Board


class Command(LoadFileCommand):
    help = (
        "Create or update qualifications from a JSON or YAML qualification file (schema: README, "
        "'Qualification files'). Every problem is listed and nothing is written when there is one."
    )
    noun = "qualification"

    def load(self, *, board: Board, path: Path, text: str) -> list[str]:
        definitions = parse_text(text, file_name=path.name)
        existing = qualification_codes_existing(board=board, codes=[d.code for d in definitions])
        loaded = qualifications_load(board=board, definitions=definitions)
        return [f"{'updated' if q.code in existing else 'created':<8} {q.code}  {q.name}" for q in loaded]
