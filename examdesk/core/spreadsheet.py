"""Cells we write into CSV and XLSX files for people to open in a spreadsheet program."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is taken as a formula by spreadsheet programs (OWASP ASVS 1.2.10).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
