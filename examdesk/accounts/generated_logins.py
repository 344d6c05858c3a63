"""Generated logins: the accounts a centre creates for its candidates (access/credentials.py issues them).

A login's account (accounts.User) is one per e-mail address, so each gets an internal address under the
reserved `.invalid` top-level domain, which is never delivered: `<username>@candidates.invalid`. Nothing is ever
e-mailed to it; the centre's "new password" replaces a forgotten password. These rules say which typed names and
which addresses are such logins: every portal's sign-in needs them, so they live with the identity.
"""

from __future__ import annotations

import re

CREDENTIAL_DOMAIN = "candidates.invalid"
USERNAME_PATTERN = re.compile(r"^[a-z0-9]{3,10}-[a-z0-9]{6}$")


def normalise_username(typed: str) -> str:
    return typed.strip().lower()


def looks_like_username(typed: str) -> bool:
    return bool(USERNAME_PATTERN.match(normalise_username(typed)))


def login_email(username: str) -> str:
    """The internal, undeliverable address of a generated login's account."""
    return f"{normalise_username(username)}@{CREDENTIAL_DOMAIN}"


def is_login_email(address: str) -> bool:
    return address.strip().lower().endswith(f"@{CREDENTIAL_DOMAIN}")
