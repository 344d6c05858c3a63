"""Reads of accounts. One account per e-mail address across every portal."""

from __future__ import annotations

from examdesk.accounts.models import User, normalize_email


def user_exists(*, email: str) -> bool:
    """Whether an account holds this e-mail address (compared as stored: normalised)."""
    return User.objects.filter(email=normalize_email(email)).exists()
