"""Rules for each candidate field, shared by the forms and the import so both say the same thing.

Each `clean_*` takes what a person typed (or a file held) and returns the stored value, or raises
FieldProblem with the reason and how to fix it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django_countries import countries
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import upn as upn_number

from examdesk.people.models import UNIQUE_ID_MAX, Candidate


@dataclass
class FieldProblem(Exception):
    reason: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.reason} {self.fix}".strip()


ID_REQUIRED = FieldProblem("The unique ID is missing.", "Give every candidate the ID your centre uses for them.")
ID_TOO_LONG = FieldProblem(f"The unique ID is longer than {UNIQUE_ID_MAX} characters.", "Shorten it.")
NAME_REQUIRED = FieldProblem("The name is missing.", "Type the name as it should appear on certificates.")

GENDER_WORDS = {
    "f": "F", "female": "F", "girl": "F", "woman": "F",
    "m": "M", "male": "M", "boy": "M", "man": "M",
    "x": "X", "other": "X", "othernotstated": "X", "notstated": "X", "nonbinary": "X", "u": "X", "unknown": "X",
}  # fmt: skip


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def clean_text(value: str) -> str:
    """Any Unicode, stored NFC, surrounding spaces trimmed, inner runs of spaces kept as typed."""
    return unicodedata.normalize("NFC", value).strip()


# Unicode's control characters (category Cc) and lone surrogates (Cs).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _refuse_control_characters(text: str) -> None:
    if CONTROL_CHARACTERS.search(text):
        raise FieldProblem("The value contains an invisible control character.", "Retype it without copying it.")


def clean_unique_id(value: str) -> str:
    text = clean_text(value)
    if not text:
        raise ID_REQUIRED
    _refuse_control_characters(text)
    if len(text) > UNIQUE_ID_MAX:
        raise ID_TOO_LONG
    return text


def clean_name(value: str, *, max_length: int = 100) -> str:
    text = clean_text(value)
    if not text:
        raise NAME_REQUIRED
    _refuse_control_characters(text)
    if len(text) > max_length:
        raise FieldProblem(f"The name is longer than {max_length} characters.", "Shorten it.")
    return text


def clean_gender(value: str) -> str:
    text = clean_text(value)
    if not text:
        return ""
    code = GENDER_WORDS.get(_letters(text))
    if code is None:
        allowed = ", ".join(f"{c} ({label})" for c, label in Candidate.Gender.choices)
        raise FieldProblem(f"'{text}' is not a gender this register knows.", f"Use one of {allowed}.")
    return code


@functools.cache
def _country_codes() -> dict[str, str]:
    """Every way we accept a country, folded, to its ISO code: alpha-2, alpha-3 and English name."""
    lookup: dict[str, str] = {}
    with translation.override("en"):
        for code, name in countries:
            lookup[_letters(str(name))] = code
            lookup[code.casefold()] = code
            alpha3 = countries.alpha3(code)
            if alpha3:
                lookup[alpha3.casefold()] = code
    lookup.update({"uk": "GB", "britain": "GB", "greatbritain": "GB", "england": "GB", "usa": "US"})
    return lookup


def clean_nationality(value: str) -> str:
    text = clean_text(value)
    if not text:
        return ""
    code = _country_codes().get(text.casefold()) or _country_codes().get(_letters(text))
    if code is None:
        raise FieldProblem(
            f"'{text}' is not a country name or code we know.",
            "Use the country's English name (e.g. Portugal) or its two-letter code (PT).",
        )
    return code


def clean_term(value: str, *, terms: dict[str, str], what: str) -> str:
    """A code of a board vocabulary, given as its code or its label (any case)."""
    text = clean_text(value)
    if not text:
        return ""
    by_code = {code.casefold(): code for code in terms}
    by_label = {_letters(label): code for code, label in terms.items()}
    found = by_code.get(text.casefold()) or by_label.get(_letters(text))
    if found is None:
        raise FieldProblem(
            f"'{text}' is not on the {what} list.", f"Use a code or name from the {what} list (see the Guidance sheet)."
        )
    return found


def clean_upn(value: str) -> str:
    text = clean_text(value).upper().replace(" ", "")
    if not text:
        return ""
    try:
        return str(upn_number.validate(text))
    except InvalidChecksum:
        raise FieldProblem(
            f"The UPN '{text}' has the wrong check letter.",
            "Check it against the pupil's record: a character is mistyped.",
        ) from None
    except StdnumError:
        raise FieldProblem(
            f"'{text}' is not a UPN.", "A UPN is 13 characters: a letter, then 12 digits (the last may be a letter)."
        ) from None


def clean_email(value: str) -> str:
    text = clean_text(value)
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise FieldProblem(
            f"'{text}' is not an e-mail address.", "Use the form name@example.org, or leave it empty."
        ) from None
    return text


def clean_groups(value: str) -> list[str]:
    """Group names separated by commas or semicolons; duplicates (any case) kept once."""
    names: dict[str, str] = {}
    for part in re.split(r"[;,]", value):
        name = clean_text(part)
        if len(name) > 100:
            raise FieldProblem(f"The group name '{name[:30]}…' is longer than 100 characters.", "Shorten it.")
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


ACTIVE_WORDS = {
    **dict.fromkeys(("yes", "y", "true", "active", "1"), True),
    **dict.fromkeys(("no", "n", "false", "deactivated", "inactive", "0"), False),
}


def clean_active(value: str) -> bool | None:
    text = _letters(clean_text(value))
    if not text:
        return None
    if text not in ACTIVE_WORDS:
        raise FieldProblem(f"'{value}' is not Yes or No.", "Write Yes for active candidates, No for deactivated ones.")
    return ACTIVE_WORDS[text]
