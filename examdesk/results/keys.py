"""Results Online keys: the board's ID number, the Secret Number derived from it, and verification codes.

The ID number is 8 random digits and a Luhn check digit, so a mistyped digit is caught before any lookup.
The Secret Number is HMAC(secret key, ID number, version) shown as 10 digits: never stored, reprinted the same,
and changed for good by bumping the registration's `secret_version`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from stdnum import luhn

VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
SECRET_DIGITS = 10


def new_id_number() -> str:
    body = f"{secrets.randbelow(10**8):08d}"
    if body[0] == "0":  # a leading zero gets lost in spreadsheets
        body = str(secrets.randbelow(9) + 1) + body[1:]
    return body + luhn.calc_check_digit(body)


def id_number_is_well_formed(value: str) -> bool:
    return len(value) == 9 and value.isdigit() and luhn.is_valid(value)


def clean_typed_number(value: str) -> str:
    """People type numbers with spaces or dashes, as printed in groups."""
    return "".join(character for character in value if character.isalnum()).upper()


def secret_number(id_number: str, version: int) -> str:
    key = hashlib.sha256(b"examdesk.results.secret-number:" + settings.SECRET_KEY.encode()).digest()
    digest = hmac.new(key, f"{id_number}:{version}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**SECRET_DIGITS:0{SECRET_DIGITS}d}"


def secret_matches(id_number: str, version: int, typed: str) -> bool:
    return hmac.compare_digest(secret_number(id_number, version), clean_typed_number(typed))


def group(value: str, size: int = 4) -> str:
    """'1234 5678 90': easier to read aloud and to type."""
    return " ".join(value[index : index + size] for index in range(0, len(value), size))


def new_verification_code() -> str:
    """12 characters (60 bits) from an alphabet without look-alikes, shown as XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_verification_code(value: str) -> str:
    raw = clean_typed_number(value)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw
