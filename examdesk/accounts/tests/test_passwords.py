from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

ARGON2 = ["examdesk.accounts.hashers.Argon2idHasher", "django.contrib.auth.hashers.Argon2PasswordHasher"]


@override_settings(PASSWORD_HASHERS=ARGON2)
def test_hashes_are_argon2id_at_owasp_parameters():
    encoded = make_password("a long enough passphrase")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@override_settings(PASSWORD_HASHERS=ARGON2)
def test_long_unicode_passwords_are_kept_whole():
    password = "Ünïcödé пароль 密码 🙂 " * 8  # well over 64 characters
    encoded = make_password(password)
    assert check_password(password, encoded)
    assert not check_password(password[:-1], encoded)  # nothing is truncated
    assert not check_password(password.strip(), encoded)  # nothing is trimmed


@override_settings(PASSWORD_HASHERS=ARGON2)
def test_hashes_with_django_default_parameters_are_upgraded_on_login(django_user_model, db):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = django_user_model.objects.create_user("ana@example.org")
    user.password = Argon2PasswordHasher().encode("a long enough passphrase", Argon2PasswordHasher().salt())
    user.save()
    assert user.check_password("a long enough passphrase")
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password


@pytest.mark.parametrize(
    ("password", "reason"),
    [("eleven char", "at least 12 characters"), ("password1234", "too common")],
)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert reason in " ".join(refused.value.messages)


def test_no_composition_rules_and_any_length():
    validate_password("just lower case words here")
    validate_password("x" * 10 + "ü" * 200)
