"""Rules for each candidate field, shared by the forms and the import so both say the same thing.

Each `clean_*` takes what a person typed (or a file held) and returns the stored value, or raises
FieldProblem with the reason and how to fix it.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import upn as upn_number

from examdesk.core.text import fold
from examdesk.people import nationality
from examdesk.people.models import UNIQUE_ID_MAX, Candidate


@dataclass
class FieldProblem(Exception):
    reason: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.reason} {self.fix}".strip()


@dataclass
class UnmatchedValue(FieldProblem):
    """A value the candidate does not depend on that cannot be read: a list value (gender, nationality, ethnicity,
    SEN status) that matches nothing on the list, or a UPN, e-mail address or Active value that is not one.

    A form refuses it like any problem; an import keeps the row, leaves the field empty, keeps the value as
    written and warns, with the closest entries of the list as (code, name) where there is a list.
    """

    value: str = ""
    suggestions: tuple[tuple[str, str], ...] = ()


ID_REQUIRED = FieldProblem("The unique ID is missing.", "Give every candidate the ID your centre uses for them.")
ID_TOO_LONG = FieldProblem(f"The unique ID is longer than {UNIQUE_ID_MAX} characters.", "Shorten it.")
# A missing name still rejects an imported row (unlike an unreadable gender or UPN): names are what a candidate is
# known, entered and certified by, so a row without one is not a candidate yet.
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


def clean_gender(value: str, *, mapping: Mapping[str, str] | None = None) -> str:
    text = clean_text(value)
    if not text:
        return ""
    if mapping and mapping.get(value_key(text)) in Candidate.Gender.values:
        return mapping[value_key(text)]
    code = GENDER_WORDS.get(_letters(text))
    if code is None:
        labels = dict(Candidate.Gender.choices)
        allowed = ", ".join(f"{c} ({label})" for c, label in labels.items())
        close = difflib.get_close_matches(_letters(text), GENDER_WORDS, n=3, cutoff=0.5)
        codes = dict.fromkeys(GENDER_WORDS[word] for word in close)
        raise UnmatchedValue(
            f"'{text}' is not a gender this register knows.",
            f"Use one of {allowed}.",
            value=text,
            suggestions=tuple((code, labels[code]) for code in codes),
        )
    return code


def value_key(text: str) -> str:
    """A list value as a centre's mapping stores it: no case, accents, spaces or punctuation ("Brit." is "brit")."""
    return re.sub(r"[\W_]+", "", fold(text))


def clean_nationality(value: str, *, mapping: Mapping[str, str] | None = None) -> str:
    """A country as people write it (examdesk.people.nationality), or as the centre mapped it, to its ISO code."""
    text = clean_text(value)
    if not text:
        return ""
    if mapping:
        mapped = mapping.get(value_key(text))
        if mapped:
            return mapped
    code = nationality.country_code(text)
    if code is None:
        raise UnmatchedValue(
            f"'{text}' is not a country or nationality we know.",
            "Write the country's name (Portugal), the nationality (Portuguese), or its two-letter code (PT).",
            value=text,
            suggestions=tuple(nationality.suggestions(text)),
        )
    return code


def clean_term(value: str, *, terms: dict[str, str], what: str, mapping: Mapping[str, str] | None = None) -> str:
    """A code of a board vocabulary, given as its code or its label (any case, accents, spacing)."""
    text = clean_text(value)
    if not text:
        return ""
    key = value_key(text)
    if mapping and mapping.get(key) in terms:
        return mapping[key]
    by_code = {code.casefold(): code for code in terms}
    by_label = {value_key(label): code for code, label in terms.items()}
    found = by_code.get(text.casefold()) or by_label.get(key) or by_code.get(key)
    if found is None:
        labels = {value_key(f"{code} {label}"): code for code, label in terms.items()} | by_label
        close = difflib.get_close_matches(key, labels, n=3, cutoff=0.5) if key else []
        codes = list(dict.fromkeys(labels[match] for match in close))
        raise UnmatchedValue(
            f"'{text}' is not on the {what} list.",
            f"Use a code or name from the {what} list (see the Guidance sheet).",
            value=text,
            suggestions=tuple((code, terms[code]) for code in codes),
        )
    return found


def clean_upn(value: str) -> str:
    text = clean_text(value).upper().replace(" ", "")
    if not text:
        return ""
    try:
        return str(upn_number.validate(text))
    except InvalidChecksum:
        raise UnmatchedValue(
            f"The UPN '{text}' has the wrong check letter.",
            "Check it against the pupil's record: a character is mistyped.",
            value=clean_text(value),
        ) from None
    except StdnumError:
        raise UnmatchedValue(
            f"'{text}' is not a UPN.",
            "A UPN is 13 characters: a letter, then 12 digits (the last may be a letter).",
            value=clean_text(value),
        ) from None


@functools.lru_cache(maxsize=4096)
def _domain_valid(domain_part: str) -> bool:
    return bool(EmailValidator().validate_domain_part(domain_part))


class _EmailValidator(EmailValidator):
    """Django's e-mail rule, with the domain's verdict remembered: a roster's addresses share a few domains, and
    the domain check (with its IDNA fallback) is a good part of the cost of checking 100,000 addresses. The
    user-part pattern is compiled here once instead of going through Django's lazy regex on every call."""

    user_regex = re.compile(EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags)

    def validate_domain_part(self, domain_part: str) -> bool:
        return _domain_valid(domain_part)


validate_email = _EmailValidator()


def clean_email(value: str) -> str:
    text = clean_text(value)
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise UnmatchedValue(
            f"'{text}' is not an e-mail address.", "Use the form name@example.org, or leave it empty.", value=text
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
        raise UnmatchedValue(
            f"'{value}' is not Yes or No.",
            "Write Yes for active candidates, No for deactivated ones.",
            value=clean_text(value),
        )
    return ACTIVE_WORDS[text]
