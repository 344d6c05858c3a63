"""Cells we write into CSV and XLSX files for people to open in a spreadsheet program.

A cell starting with = + - @ TAB CR or NUL is taken as a formula by spreadsheet programs (OWASP ASVS
1.2.10). In CSV we neutralise it with a leading apostrophe, and our imports take that apostrophe off
again, so an exported file imports back unchanged. In XLSX the cell is written as text with Excel's
"quote prefix", which is what Excel itself does when a person types '=x: the value stays "=x".
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def _escaped(value: str) -> bool:
    """Apostrophes, then a formula trigger: such text is (or would be read back as) neutralised."""
    return is_formula_like(value.lstrip("'"))


def neutralise(value: Any) -> Any:
    """For CSV: text that a spreadsheet would run as a formula gets a leading apostrophe.

    Text that already starts with apostrophes before a trigger gets one more, so that unneutralise
    gives back exactly what was stored, whatever it was.
    """
    if isinstance(value, str) and _escaped(value):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """The inverse of neutralise, for values read back from a CSV file."""
    if text.startswith("'") and _escaped(text):
        return text[1:]
    return text


class XlsxText:
    """Writes text cells with xlsxwriter, quote-prefixed when they look like formulas."""

    def __init__(self, workbook: Any, base: dict[str, Any] | None = None) -> None:
        self._workbook = workbook
        self._formats: dict[tuple[bool, tuple[tuple[str, Any], ...]], Any] = {}
        self._base = base or {}

    def _format(self, quoted: bool, extra: dict[str, Any] | None) -> Any:
        properties = {**self._base, **(extra or {})}
        key = (quoted, tuple(sorted(properties.items())))
        if key not in self._formats:
            self._formats[key] = self._workbook.add_format({**properties, **({"quote_prefix": True} if quoted else {})})
        return self._formats[key]

    def write(self, sheet: Any, row: int, column: int, text: str, extra: dict[str, Any] | None = None) -> None:
        quoted = is_formula_like(text)
        if quoted or extra or self._base:
            sheet.write_string(row, column, text, self._format(quoted, extra))
        else:
            sheet.write_string(row, column, text)
