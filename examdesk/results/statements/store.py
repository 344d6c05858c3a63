"""Statements of results rendered once and kept in private storage, then served from there.

On results day every candidate downloads their statement in the same few minutes; rendering the PDF on every
request costs tens of milliseconds of CPU each time (typesetting and signing). `statement_pdf` renders a statement
the first time it is asked for after release (only ever for a `Shown` that the release gate released, with its
result) and stores the file under a name made from everything printed on it: the entry, the result's id and
revision, and a digest of the statement's data. A new revision, a corrected name or a moved release date therefore
names a different file, so a stored statement is never served for another revision and never before the gate opens
(the caller asks the gate first, on every request).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from examdesk.core import languages
from examdesk.documents.statements import StatementData, render_statement
from examdesk.results import gate

FOLDER = "statements/online"


def statement_path(shown: gate.Shown, data: StatementData) -> str:
    """Where the statement of this released result, with exactly this data, is kept."""
    result = shown.result
    if result is None or shown.state is not gate.State.RELEASED:
        raise ValueError("Only a released result has a statement.")
    digest = hashlib.sha256(repr(sorted(asdict(data).items())).encode()).hexdigest()[:32]
    # The statement's wording is in the active language (the caller chose it): one file per language.
    return f"{FOLDER}/{shown.entry.pk}/{result.pk}-r{result.revision}-{languages.current()}-{digest}.pdf"


def statement_pdf(shown: gate.Shown, data: StatementData) -> bytes:
    """The PDF of this statement: read from private storage, or rendered now and stored for the next request."""
    storage = storages["private"]
    path = statement_path(shown, data)
    if storage.exists(path):
        with storage.open(path, "rb") as handle:
            return bytes(handle.read())
    pdf = render_statement(data)
    saved = storage.save(path, ContentFile(pdf))
    if saved != path:
        # Another request stored the same statement a moment earlier; keep one copy.
        storage.delete(saved)
    return pdf
