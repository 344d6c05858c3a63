"""OneRoster packages for the tests: the committed samples, zipped, with the edits a test needs."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

DATA = Path(__file__).resolve().parent.parent / "data" / "oneroster"
V1P2 = DATA / "v1p2-orchard"
V1P1 = DATA / "v1p1-orchard"
# The 1EdTech-style samples beside the repository (read-only, not committed): see their SOURCE.md.
SHARED_SAMPLES = Path(settings.BASE_DIR).parent / "shared" / "data" / "oneroster-sample"

Edit = Callable[[dict[str, str]], None]


def package(folder: Path = V1P2, edit: Edit | None = None, *, prefix: str = "") -> bytes:
    """The folder's CSV files as a zip; `edit` may change, add or delete files (name → text) first."""
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.csv"))}
    if edit is not None:
        edit(files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(prefix + name, text.encode("utf-8"))
    return buffer.getvalue()


def replace(name: str, old: str, new: str) -> Edit:
    def edit(files: dict[str, str]) -> None:
        assert old in files[name], (name, old)
        files[name] = files[name].replace(old, new)

    return edit


def read_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def with_vocabularies(centre):  # type: ignore[no-untyped-def]
    """The centre, its board given the DfE ethnicity and SEN lists that the sample packages use."""
    from examdesk.people.models import VocabularyTerm
    from examdesk.people.services import vocabulary_load
    from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN

    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
    return centre
