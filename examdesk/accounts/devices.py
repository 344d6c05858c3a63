"""Known devices: OWASP's device-cookie pattern (Authentication Cheat Sheet, "device cookies").

A browser that signs in to an account successfully gets a device cookie for that account: signed with
`django.core.signing` (its own salt), holding the account id, a random nonce and when it was issued. The nonce is
new on every successful sign-in (the cookie is rotated). Failed sign-ins from a browser that shows a valid device
cookie for the account are counted under that cookie's nonce alone, so a stranger's failures elsewhere never stop
the owner on a device where they signed in before (examdesk.accounts.lockout).

One cookie holds the entries of the last few accounts signed in on this browser (a school computer is shared);
each entry may also carry "second factor remembered until", for the "remember this browser" choice of two-factor
sign-in.

API (keyword-only, stable):
- `device_known(request, *, user) -> bool`: this browser shows a valid device cookie for `user`.
- `device_nonce(request, *, user) -> str | None`: that cookie's nonce (what its own failure counter is keyed on).
- `device_issued_at(request, *, user) -> datetime | None`: when it was issued (e.g. to ignore cookies issued
  before a second factor was reset).
- `device_remember(response, *, user, request, second_factor_until=KEEP) -> None`: set (rotate) the cookie for
  `user` on `response` after a successful sign-in; `second_factor_until` a datetime to remember the second factor
  until then, None to forget it, or left out to keep what this browser had for `user`.
- `second_factor_remembered(request, *, user) -> bool`: the cookie says the second factor is remembered now.
- `device_forget(response, *, user, request) -> None`: remove `user`'s entry from this browser's cookie.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Final

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from examdesk.core.time import now

COOKIE_NAME: Final = "examdesk_device"
_SALT: Final = "examdesk.accounts.devices"
#: A device stays known this long after its last successful sign-in.
DEVICE_AGE: Final = timedelta(days=365)
#: Accounts remembered per browser (the most recent sign-ins win).
MAX_ENTRIES: Final = 8


class _Keep(Enum):
    KEEP = "keep"


#: `device_remember(second_factor_until=KEEP)`: keep what this browser remembered for the account.
KEEP: Final = _Keep.KEEP


@dataclass(frozen=True)
class DeviceEntry:
    user_id: int
    nonce: str
    issued_at: datetime
    second_factor_until: datetime | None = None

    def dump(self) -> list[Any]:
        until = int(self.second_factor_until.timestamp()) if self.second_factor_until else 0
        return [self.user_id, self.nonce, int(self.issued_at.timestamp()), until]

    @classmethod
    def load(cls, raw: Any) -> DeviceEntry | None:
        try:
            user_id, nonce, issued, until = raw
            return cls(
                user_id=int(user_id),
                nonce=str(nonce),
                issued_at=datetime.fromtimestamp(int(issued), tz=now().tzinfo),
                second_factor_until=datetime.fromtimestamp(int(until), tz=now().tzinfo) if until else None,
            )
        except (TypeError, ValueError):
            return None


def _entries(request: HttpRequest) -> list[DeviceEntry]:
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw:
        return []
    try:
        data = signing.loads(raw, salt=_SALT, max_age=DEVICE_AGE)
    except signing.BadSignature:  # forged, damaged or older than DEVICE_AGE
        return []
    if not isinstance(data, list):
        return []
    oldest = now() - DEVICE_AGE
    entries = [entry for entry in map(DeviceEntry.load, data) if entry is not None]
    return [entry for entry in entries if entry.issued_at > oldest]


def _entry(request: HttpRequest, user: Any) -> DeviceEntry | None:
    if user is None or getattr(user, "pk", None) is None:
        return None
    return next((entry for entry in _entries(request) if entry.user_id == user.pk), None)


def device_known(request: HttpRequest, *, user: Any) -> bool:
    """Whether this browser has signed in to `user`'s account before (a valid device cookie for it)."""
    return _entry(request, user) is not None


def device_nonce(request: HttpRequest, *, user: Any) -> str | None:
    """The nonce of this browser's device cookie for `user`, or None when the device is not known."""
    entry = _entry(request, user)
    return entry.nonce if entry else None


def device_issued_at(request: HttpRequest, *, user: Any) -> datetime | None:
    entry = _entry(request, user)
    return entry.issued_at if entry else None


def second_factor_remembered(request: HttpRequest, *, user: Any) -> bool:
    """Whether this browser may skip the second factor for `user` now (remembered, and not yet expired)."""
    entry = _entry(request, user)
    return entry is not None and entry.second_factor_until is not None and entry.second_factor_until > now()


def _write(response: HttpResponse, entries: list[DeviceEntry]) -> None:
    if not entries:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
        return
    value = signing.dumps([entry.dump() for entry in entries], salt=_SALT, compress=True)
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=int(DEVICE_AGE.total_seconds()),
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        httponly=True,
        samesite="Lax",
    )


def device_remember(
    response: HttpResponse,
    *,
    user: Any,
    request: HttpRequest,
    second_factor_until: datetime | None | _Keep = KEEP,
) -> None:
    """After a successful sign-in: give this browser a new device cookie entry for `user` (a fresh nonce)."""
    entries = _entries(request)
    previous = next((entry for entry in entries if entry.user_id == user.pk), None)
    until = (previous.second_factor_until if previous else None) if second_factor_until is KEEP else second_factor_until
    if isinstance(until, datetime) and until <= now():
        until = None
    fresh = DeviceEntry(user_id=user.pk, nonce=secrets.token_urlsafe(16), issued_at=now(), second_factor_until=None)
    fresh = replace(fresh, second_factor_until=until if isinstance(until, datetime) else None)
    others = [entry for entry in entries if entry.user_id != user.pk]
    _write(response, [fresh, *others][:MAX_ENTRIES])


def device_forget(response: HttpResponse, *, user: Any, request: HttpRequest) -> None:
    """Remove `user`'s entry from this browser's device cookie (the others stay)."""
    _write(response, [entry for entry in _entries(request) if entry.user_id != user.pk])
