"""A qualification's names in the reader's language: the board's own translations (Qualification.translations,
from the qualification file), else the name as the board wrote it.

Duck-typed on purpose: pages and documents pass a Qualification, tests may pass anything with `name` and
`translations`; a language the board did not translate falls back to the original, never to an empty string.
"""

from __future__ import annotations

from typing import Any

from examdesk.core import languages


def _translated(qualification: Any, language: str | None) -> dict[str, Any]:
    table = getattr(qualification, "translations", None) or {}
    entry = table.get(language or languages.current())
    return entry if isinstance(entry, dict) else {}


def qualification_name(qualification: Any, language: str | None = None) -> str:
    return str(_translated(qualification, language).get("name") or qualification.name)


def component_name(qualification: Any, code: str, name: str, language: str | None = None) -> str:
    return str((_translated(qualification, language).get("components") or {}).get(code) or name)


def result_label(qualification: Any, label: str, language: str | None = None) -> str:
    return str((_translated(qualification, language).get("labels") or {}).get(label) or label)
