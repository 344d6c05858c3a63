"""Checking an uploaded statement file: is its signature the board's, intact, and do its contents match the
board's record?

Two questions, answered separately, because either can fail alone:

1. **Signature** (documents/signing.py): the file carries the board's PAdES signature, nothing changed since
   signing and nothing was added after it.
2. **Contents**: the file's keywords name its verification code; the entry with that code, through the release
   gate, gives the statement the board would issue now, typeset again from the record (unsigned, with the same
   sentence about its signature) and compared with the upload, page text for page text. A revised result, a
   corrected name or a withheld result make them differ: the page says so and shows the record.

Lookups count against the same limits as the form (services.LOOKUPS) and are audited.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_noop
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.core.browser_id import browser_id
from examdesk.core.ratelimit import client_key
from examdesk.documents import signing
from examdesk.documents.statements import statement_unsigned, verification_code_of
from examdesk.results import gate
from examdesk.results.models import Entry
from examdesk.results.statements.data import statement_data, statement_entries, statement_issue_date, verification_url
from examdesk.results.verification.services import LOOKUPS, LOOKUPS_ADDRESS, Paused, verification_paused_until

MAX_BYTES = 5 * 1024 * 1024  # a statement is one page: well under 1 MB
NOT_A_PDF = gettext_noop("The file is not a PDF. Choose the statement of results file (ending in .pdf).")
TOO_LARGE = gettext_noop("The file is larger than 5 MB, so it is not a statement of results.")


class Contents(Enum):
    MATCH = "match"  # the text is the board's record, as it would be issued now
    DIFFERENT = "different"  # a statement with this code exists, but the file says something else
    UNKNOWN = "unknown"  # no released result has the file's verification code (or the file names none)


@dataclass(frozen=True)
class FileCheck:
    signature: signing.SignatureCheck
    contents: Contents
    shown: gate.Shown | None = None  # the record, when the file's code names a released result
    paused: Paused | None = None

    @property
    def genuine(self) -> bool:
        return self.signature.valid and self.contents is Contents.MATCH


def _texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _keywords(pdf: bytes) -> str:
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    return str(metadata.get("/Keywords", "")) if metadata else ""


def _language(pdf: bytes) -> str:
    """The language the statement was issued in (its /Lang, "pt-PT"), as Django names it ("pt-pt"); English when
    the file names none of ours. The record is typeset again in that language to compare like with like."""
    try:
        written = str(PdfReader(io.BytesIO(pdf)).root_object.get("/Lang", "")).lower()
    except (PyPdfError, ValueError, KeyError, TypeError):
        return "en"
    offered = {code for code, _name in settings.LANGUAGES}
    if written in offered:
        return written
    language = written.partition("-")[0]
    return language if language in offered else "en"


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def statement_file_check(*, pdf: bytes, request: HttpRequest) -> FileCheck:
    """Check an uploaded file (the caller has made sure it is a PDF of a sensible size)."""
    paused = verification_paused_until(request=request)
    if paused is not None:
        return FileCheck(signature=signing.SignatureCheck(signed=False, valid=False), contents=Contents.UNKNOWN,
                         paused=paused)  # fmt: skip
    LOOKUPS.hit(browser_id(request))
    LOOKUPS_ADDRESS.hit(client_key(request))

    signature = signing.check(pdf)
    try:
        code = verification_code_of(_keywords(pdf))
        uploaded = _texts(pdf)
    except (PyPdfError, ValueError, KeyError, TypeError):
        code, uploaded = None, []
    shown = None
    contents = Contents.UNKNOWN
    entry = statement_entries(Entry.objects.filter(verification_code=code)).first() if code else None
    if entry is not None:
        candidate = gate.show(entry)
        if candidate.state is gate.State.RELEASED and candidate.result is not None:
            shown = candidate
            try:
                with translation.override(_language(pdf)):
                    data = statement_data(
                        shown, issue_date=statement_issue_date(shown), verification_url=verification_url(entry)
                    )
                    record = _texts(statement_unsigned(data, says_signed=signature.signed))
            except ValueError:
                record = []
            contents = Contents.MATCH if record and record == uploaded else Contents.DIFFERENT
    audit_record(
        action=AuditEvent.Action.VERIFICATION,
        request=request,
        centre=entry.centre if shown is not None and entry is not None else None,
        summary="Statement file checked",
        data={
            "file": True,
            "signature_valid": signature.valid,
            "contents": contents.value,
            "code": (code or "")[:20],
        },
    )
    return FileCheck(signature=signature, contents=contents, shown=shown)
