"""How one answer is marked against an item's key. Pure functions: no database.

- single choice: the answer is the key's option id.
- multiple choice: the answer is exactly the key's set of option ids, in any order: all or nothing (no part
  marks; one missing or one extra option scores 0).
- short text: the answer equals one accepted answer once both are normalised (`normalise_text`).
- numeric: |answer − value| ≤ tolerance; a decimal comma is read as a decimal point (see `parse_number`).
- unanswered (missing, null, "" or []): 0.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"'})
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def is_unanswered(answer: Any) -> bool:
    return answer is None or (isinstance(answer, str) and not answer.strip()) or answer == []


def normalise_text(text: str) -> str:
    """Unicode NFKC (full-width letters, ligatures, composed accents), case-folded (ß = ss), spaces at both ends
    removed and runs of white space inside made one space, typographic apostrophes and quotes made plain, and
    full stops at the end dropped ("Paris." = "paris")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_APOSTROPHES).translate(_QUOTES)
    text = _SPACES.sub(" ", text).strip()
    return text.rstrip(".").rstrip()


def parse_number(text: Any) -> Decimal | None:
    """A number as typed: spaces at the ends ignored, a Unicode minus accepted, and a comma taken as the decimal
    point when there is no point ("3,5" = 3.5). Thousands separators are not read ("1,000.5" and "1 000" are not
    numbers), so they cannot be mistaken for decimals. None when it is not a number."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        text = str(text)
    if not isinstance(text, str):
        return None
    text = unicodedata.normalize("NFKC", text).translate(_MINUS).strip()
    if "," in text:
        if "." in text or text.count(",") > 1:
            return None
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def is_correct(kind: str, key: Any, answer: Any) -> bool:
    if is_unanswered(answer):
        return False
    if kind == "single":
        return isinstance(answer, str) and answer == str(key)
    if kind == "multiple":
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            return False
        return len(answer) == len(set(answer)) and set(answer) == {str(k) for k in key}
    if kind == "short_text":
        if not isinstance(answer, str):
            return False
        accepted = key if isinstance(key, list) else [key]
        given = normalise_text(answer)
        return bool(given) and any(given == normalise_text(str(a)) for a in accepted)
    if kind == "numeric":
        number = parse_number(answer)
        if number is None:
            return False
        value = Decimal(str(key["value"]))
        tolerance = abs(Decimal(str(key.get("tolerance", 0) or 0)))
        return abs(number - value) <= tolerance
    raise ValueError(f"Unknown item kind: {kind}")


def award(*, kind: str, key: Any, marks: Decimal, answer: Any) -> Decimal:
    """The marks an answer earns: all of the item's marks when correct, else 0."""
    return Decimal(marks) if is_correct(kind, key, answer) else Decimal(0)
