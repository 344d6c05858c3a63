"""Generated usernames and passwords, and hashing them on every core."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.hashers import check_password
from pypdf import PdfReader

from examdesk.access import services
from examdesk.access.credentials import (
    PASSWORD_ALPHABET,
    hash_passwords,
    new_password,
    new_username,
)
from examdesk.access.models import LetterRun

pytestmark = pytest.mark.django_db(transaction=True)  # jobs and e-mails start after commit


PASSWORD_RE = re.compile(r"Password\s*([A-Za-z0-9]{12})")


def _confirm(centre, actor, mode="all", **contact):
    values = {"contact_name": "Ms Rivera", "contact_phone": "+44 1223 553554", "contact_email": ""} | contact
    return services.access_confirm(actor=actor, centre=centre, mode=mode, queries_confirmed=True, **values)


def _pdf_text(run: LetterRun) -> list[str]:
    from django.core.files.storage import storages

    with storages["private"].open(run.pdf_path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [page.extract_text() for page in reader.pages]


def _password_on(text: str) -> str:
    found = PASSWORD_RE.search(text.replace("\n", " "))
    assert found, text
    return found.group(1)


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
