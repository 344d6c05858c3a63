"""Match a file's column headings to fields, in any order, ignoring case, spacing and punctuation.

"Date of birth (dd/mm/yyyy)", "DATE_OF_BIRTH" and "date-of-birth" are the same heading. Matching compares
normalised forms only, so it never depends on the locale of the browser or the server that wrote the file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# A hint in brackets at the end of a heading, like "(dd/mm/yyyy)", "[optional]" or "{required}".
_TRAILING_HINT = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\})\s*$")


def normalise_header(text: str) -> str:
    """'Date of birth (dd/mm/yyyy)' → 'dateofbirth'; 'E-mail' → 'email'; 'First_Name*' → 'firstname'.

    NFKC (full-width letters and ligatures become plain ones), case folded, trailing bracketed hints dropped
    (unless that would leave nothing), and then every character that is not a letter or a digit dropped.
    Accents are kept: they can tell words apart.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFKC", text)  # folding can leave text NFKC would change: normalise again
    while True:
        without_hint = _TRAILING_HINT.sub("", text)
        if without_hint == text or not _letters_and_digits(without_hint):
            break
        text = without_hint
    return _letters_and_digits(text)


def _letters_and_digits(text: str) -> str:
    return "".join(character for character in text if character.isalnum())


@dataclass
class HeaderMatch:
    columns: dict[str, int]  # field name → column index (the first column, when two mean the same field)
    unknown: list[str]  # headings that match no field, as written (a warning; those columns are ignored)
    duplicates: list[str]  # field names matched by two or more columns (an error)
    missing: list[str]  # required fields not found, in the order of the aliases
    # field name → every column index that matched it, for the fields in `duplicates` (to name them to people)
    duplicate_columns: dict[str, list[int]] = field(default_factory=dict)


def match_headers(headers: list[str], aliases: dict[str, list[str]], required: set[str]) -> HeaderMatch:
    """Which column holds which field. Empty headings are ignored (neither unknown nor a field).

    `aliases` maps each field name to every heading that means it (current template, legacy template, common
    names); two fields sharing a normalised alias is a programming error and raises ValueError.
    """
    field_by_alias = _field_by_alias(aliases)
    matched: dict[str, list[int]] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        key = normalise_header(header)
        if not key:
            continue
        name = field_by_alias.get(key)
        if name is None:
            unknown.append(header.strip())
        else:
            matched.setdefault(name, []).append(index)
    duplicate_columns = {name: indexes for name, indexes in matched.items() if len(indexes) > 1}
    order = {name: position for position, name in enumerate(aliases)}
    missing = sorted(required - matched.keys(), key=lambda name: (order.get(name, len(order)), name))
    return HeaderMatch(
        columns={name: indexes[0] for name, indexes in matched.items()},
        unknown=unknown,
        duplicates=list(duplicate_columns),
        missing=missing,
        duplicate_columns=duplicate_columns,
    )


def _field_by_alias(aliases: dict[str, list[str]]) -> dict[str, str]:
    field_by_alias: dict[str, str] = {}
    for name, names in aliases.items():
        for alias in names:
            key = normalise_header(alias)
            other = field_by_alias.setdefault(key, name)
            if other != name:
                raise ValueError(f"The heading {alias!r} would mean both {other!r} and {name!r}")
    return field_by_alias
