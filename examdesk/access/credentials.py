"""Generated logins for Results Online: usernames easy to type, random passwords without look-alike characters.

Each login's account gets an internal, undeliverable address: the rules for those addresses and for typed
usernames are the identity's (examdesk/accounts/generated_logins.py).
"""

from __future__ import annotations

import os
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


def new_username(centre_number: str) -> str:
    """Centre number, a hyphen and six characters, in lower case: e.g. 10001-k7mq4p."""
    suffix = "".join(secrets.choice(USERNAME_ALPHABET) for _ in range(USERNAME_SUFFIX))
    return f"{centre_number.lower()}-{suffix}"


def new_password() -> str:
    """Twelve characters chosen with `secrets` from the look-alike-free alphabet (about 66 bits)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def hash_passwords(passwords: dict[Key, str]) -> dict[Key, str]:
    """Each password hashed with the configured hasher, on every core at once: Argon2id (about 20 ms of CPU
    each) releases the GIL, so a worker process hashes a chunk of 500 in about 6 s on 2 cores rather than 11 s
    on one (bench/credential_letters.py)."""
    if len(passwords) < 2:
        return {key: make_password(password) for key, password in passwords.items()}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(passwords, pool.map(make_password, passwords.values()), strict=True))
