"""Generated usernames and passwords, and hashing them on every core."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import check_password

from examdesk.access.credentials import (
    PASSWORD_ALPHABET,
    hash_passwords,
    new_password,
    new_username,
)

pytestmark = pytest.mark.django_db(transaction=True)  # jobs and e-mails start after commit


def test_usernames_and_passwords_avoid_look_alikes():
    for _ in range(200):
        password = new_password()
        assert 12 <= len(password) <= 14
        assert set(password) <= set(PASSWORD_ALPHABET)
        assert not set(password) & set("0Oo1lIi5Ss2Zz")
    username = new_username("10001")
    assert re.fullmatch(r"10001-[a-z0-9]{6}", username)
    assert not set(username[6:]) & set("0o1li5s2z")


@pytest.mark.parametrize("count", [0, 1, 9])
def test_passwords_hashed_on_every_core_each_check_their_own_password(settings, count):
    settings.PASSWORD_HASHERS = ["examdesk.accounts.hashers.Argon2idHasher"]
    plain = {n: new_password() for n in range(count)}
    hashed = hash_passwords(plain)
    assert list(hashed) == list(plain)
    for key, password in plain.items():
        assert hashed[key].startswith("argon2$argon2id$")
        assert check_password(password, hashed[key])
        assert not check_password(password, hashed[(key + 1) % count]) or count == 1
