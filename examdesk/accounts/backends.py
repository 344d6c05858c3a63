from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import check_password, make_password
from django.http import HttpRequest

from examdesk.accounts.models import User, normalize_email

_ACCOUNT = "_examdesk_account"


def remember_account(request: HttpRequest | None, address: str, account: User | None) -> None:
    """Let the backend use the account the sign-in has just read for `address` (one query, not two)."""
    if request is not None:
        setattr(request, _ACCOUNT, (address, account))


def _account(request: HttpRequest | None, address: str) -> User | None:
    remembered = getattr(request, _ACCOUNT, None)
    if remembered is not None and remembered[0] == address:
        account: User | None = remembered[1]
        return account
    return User.objects.filter(email=address).first()


_DUMMY_HASHES: dict[str, str] = {}


def dummy_password_check(password: str) -> None:
    """Check `password` against a hash no password matches, made with the current hasher: the same time as checking
    a real account's password, for the paths that have none to check (no account, or a paused attempt)."""
    hasher = str(settings.PASSWORD_HASHERS[0])
    if hasher not in _DUMMY_HASHES:
        _DUMMY_HASHES[hasher] = make_password(None)  # unusable, but still a real hash of a random value
        _DUMMY_HASHES[hasher] = make_password(_DUMMY_HASHES[hasher])
    check_password(password, _DUMMY_HASHES[hasher])


class EmailBackend(ModelBackend):
    """Log in with an e-mail address (any case, surrounding spaces ignored) and an exact password."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        email: str | None = None,
        password: str | None = None,
        username: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        address = email if email is not None else username
        if address is None or password is None:
            return None
        user = _account(request, normalize_email(address))
        if user is None:
            dummy_password_check(password)  # the same time as a real check: no account probing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
