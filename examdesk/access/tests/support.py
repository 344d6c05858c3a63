"""Helpers for the Results access tests: confirming a mode, and reading the letters' PDF and its passwords."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from examdesk.access import services
from examdesk.access.models import LetterRun

PASSWORD_RE = re.compile(r"Password\s*([A-Za-z0-9]{12})")


def confirm(centre, actor, mode="all", **contact):
    values = {"contact_name": "Ms Rivera", "contact_phone": "+44 1223 553554", "contact_email": ""} | contact
    return services.access_confirm(actor=actor, centre=centre, mode=mode, queries_confirmed=True, **values)


def pdf_text(run: LetterRun) -> list[str]:
    from django.core.files.storage import storages

    with storages["private"].open(run.pdf_path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [page.extract_text() for page in reader.pages]


def password_on(text: str) -> str:
    found = PASSWORD_RE.search(text.replace("\n", " "))
    assert found, text
    return found.group(1)
