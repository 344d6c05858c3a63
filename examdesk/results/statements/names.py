"""The file names of statements: as Results Online names a download (an ASCII fallback and the real name), and
made safe for a zip of single files (the rules for every file name are in core/file_names.py)."""

from __future__ import annotations

from examdesk.core.file_names import file_name_from_parts, safe_file_name
from examdesk.results.models import Entry


def statement_file_name(entry: Entry) -> tuple[str, str]:
    """('0001-Pereira-Ana.pdf', '0001-Pereira-Ana.pdf' in full Unicode): an ASCII fallback and the real name."""
    candidate = entry.candidate
    return file_name_from_parts(
        [entry.candidate_number, candidate.last_name, candidate.first_name], fallback="statement", extension="pdf"
    )


def statement_zip_name(entry: Entry) -> str:
    """<candidate number>-<last name>-<first name>.pdf, as Results Online names the download, made safe."""
    return safe_file_name(statement_file_name(entry)[1])
