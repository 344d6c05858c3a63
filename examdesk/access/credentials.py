"""Generated logins for Results Online: usernames easy to type, random passwords without look-alike characters.

A login's account (accounts.User) is one per e-mail address, so each gets an internal address under the
reserved `.invalid` top-level domain, which is never delivered: `<username>@candidates.invalid`. Nothing is ever
e-mailed to it; the centre's "new password" replaces a forgotten password.
"""

from __future__ import annotations

import os
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.contrib.auth.hashers import make_password

Key = TypeVar("Key")

#: Letters and digits that cannot be mistaken for one another (no 0/O/o, 1/l/I/i, 5/S/s, 2/Z/z, 8/B).
USERNAME_ALPHABET = "abcdefghjkmnpqrtuvwxy346789"
PASSWORD_ALPHABET = "ACDEFGHJKMNPQRTUVWXYabcdefghjkmnpqrtuvwxy34679"  # noqa: S105 - an alphabet
USERNAME_SUFFIX = 6
PASSWORD_LENGTH = 12
CREDENTIAL_DOMAIN = "candidates.invalid"
USERNAME_PATTERN = re.compile(r"^[a-z0-9]{3,10}-[a-z0-9]{6}$")


def new_username(centre_number: str) -> str:
    """Centre number, a hyphen and six characters, in lower case: e.g. 10001-k7mq4p."""
    suffix = "".join(secrets.choice(USERNAME_ALPHABET) for _ in range(USERNAME_SUFFIX))
    return f"{centre_number.lower()}-{suffix}"


def new_password() -> str:
    """Twelve characters chosen with `secrets` from the look-alike-free alphabet (about 66 bits)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def normalise_username(typed: str) -> str:
    return typed.strip().lower()


def looks_like_username(typed: str) -> bool:
    return bool(USERNAME_PATTERN.match(normalise_username(typed)))


def login_email(username: str) -> str:
    """The internal, undeliverable address of a generated login's account."""
    return f"{normalise_username(username)}@{CREDENTIAL_DOMAIN}"


def is_login_email(address: str) -> bool:
    return address.strip().lower().endswith(f"@{CREDENTIAL_DOMAIN}")


def hash_passwords(passwords: dict[Key, str]) -> dict[Key, str]:
    """Each password hashed with the configured hasher, on every core at once: Argon2id (about 20 ms of CPU
    each) releases the GIL, so a worker process hashes a chunk of 500 in about 6 s on 2 cores rather than 11 s
    on one (bench/credential_letters.py)."""
    if len(passwords) < 2:
        return {key: make_password(password) for key, password in passwords.items()}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(passwords, pool.map(make_password, passwords.values()), strict=True))
