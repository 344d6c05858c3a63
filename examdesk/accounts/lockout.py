"""Sign-in throttles that no stranger can turn against the person they protect.

The design (OWASP's device cookies, NIST 800-63B's limit on consecutive failures), in Django's shared cache through
examdesk.core.ratelimit.Backoff; django-axes no longer takes part in signing in:

- A browser that has signed in to an account before shows a device cookie for it (examdesk.accounts.devices). Its
  failures are counted under that cookie's nonce alone (`device`: the 5th failure in a row pauses it for 1 minute,
  each further one doubles the pause, up to the lockout minutes). Nothing a stranger does elsewhere pauses a known
  device; a forged or altered cookie fails its signature and counts as unknown.
- Every other client is "unknown". Its failures are counted per account and network address (`place`: the 3rd
  failure in a row by default pauses for 1 minute, each further one doubles it, up to the lockout minutes). Never per
  User-Agent: a stranger changes it at will.
- Across all unknown clients, the account's consecutive failures (`account`) slow unknown clients down: from the
  slowdown count (10) each further 10 failures double a pause that starts at 1 minute, up to an hour; from the
  ceiling (NIST: at most 100 consecutive failures) each failure pauses unknown clients for a day. The owner is never
  locked out: a known device signs in as usual, and a password reset or a centre admin's Unlock clears it all.
- A success clears this client's counter and the account's run of consecutive failures.
- The counters are keyed on what was typed (the normalised e-mail or ID number), whether or not an account has it,
  so that pauses and their messages are the same for an unknown account (no enumeration).

`Throttle` is the same machinery for any secret typed against an identifier: staff and candidates' sign-in use
`SIGN_IN`; Secret Numbers at registration use their own (examdesk.results.online.services), without known devices
since nobody has signed in yet. Each account's pauses are summarised for the Staff page (`lock_states`), and
`clear_failures` (Unlock, password reset) starts every counter of the account afresh.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from examdesk.accounts import devices
from examdesk.accounts.models import normalize_email
from examdesk.core.ratelimit import Backoff, client_key
from examdesk.core.time import now

_PAUSES_KEPT = timedelta(days=1)


class Scope(Enum):
    DEVICE = "device"  # this known browser
    PLACE = "place"  # unknown browsers at this network address
    ACCOUNT = "account"  # every unknown browser


@dataclass(frozen=True)
class Pause:
    scope: Scope
    until: datetime


@dataclass(frozen=True)
class Standing:
    """What this client faces for one identifier now."""

    key: str
    known_device: bool
    nonce: str | None
    place: str
    generation: str
    pause: Pause | None = None
    failures_here: int = 0  # in this known browser, or at this address
    account_failures: int = 0  # from unknown browsers, account-wide


@dataclass(frozen=True)
class Failure:
    """A counted failure: the pause it started (if any) and the failures left before the first pause."""

    pause: Pause | None
    remaining: int
    scope: Scope


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Throttle:
    name: str
    device: Backoff | None
    place: Backoff
    account: Backoff

    def generation_key(self, key: str) -> str:
        return f"examdesk:throttle-gen:{self.name}:{_digest(key)}"

    def _generation(self, key: str) -> str:
        return str(cache.get(self.generation_key(key)) or "0")

    def _summary_key(self, key: str, generation: str) -> str:
        return f"examdesk:throttle-paused:{self.name}:{generation}:{_digest(key)}"

    def standing(self, request: HttpRequest, *, key: str, account: Any | None) -> Standing:
        """Two cache reads: the account's generation, then every counter this client is subject to."""
        nonce = devices.device_nonce(request, user=account) if self.device is not None and account else None
        place = client_key(request)
        generation = self._generation(key)
        known = nonce is not None and self.device is not None
        here = (
            self.device.keys(generation, key, nonce)
            if known and self.device is not None and nonce is not None
            else self.place.keys(generation, key, place)
        )
        everywhere = self.account.keys(generation, key)
        values = cache.get_many([*here, *everywhere])
        failures_here, here_until = Backoff.state(values, here)
        account_failures, account_until = Backoff.state(values, everywhere)
        pauses = [Pause(Scope.DEVICE if known else Scope.PLACE, here_until) if here_until else None]
        if not known:  # the account-wide pause is for unknown browsers only
            pauses.append(Pause(Scope.ACCOUNT, account_until) if account_until else None)
        found = [pause for pause in pauses if pause is not None]
        return Standing(
            key=key,
            known_device=known,
            nonce=nonce,
            place=place,
            generation=generation,
            pause=max(found, key=lambda pause: pause.until, default=None),
            failures_here=failures_here,
            account_failures=account_failures,
        )

    def failed(self, standing: Standing) -> Failure:
        """Count a failed check (not made while paused)."""
        generation = standing.generation
        if standing.known_device and self.device is not None and standing.nonce is not None:
            count, until = self.device.hit(generation, standing.key, standing.nonce)
            pause = Pause(Scope.DEVICE, until) if until else None
            if pause:
                self._summarise(standing.key, generation, standing.nonce, pause.until)
            return Failure(pause=pause, remaining=self.device.remaining(count), scope=Scope.DEVICE)
        count, place_until = self.place.hit(generation, standing.key, standing.place)
        _, account_until = self.account.hit(generation, standing.key)
        found = [
            pause
            for pause in (
                Pause(Scope.PLACE, place_until) if place_until else None,
                Pause(Scope.ACCOUNT, account_until) if account_until else None,
            )
            if pause is not None
        ]
        longest = max(found, key=lambda pause: pause.until, default=None)
        if place_until:
            self._summarise(standing.key, generation, standing.place, place_until)
        return Failure(pause=longest, remaining=self.place.remaining(count), scope=Scope.PLACE)

    def succeeded(self, standing: Standing) -> None:
        """Forget this client's failures and end the account's run (NIST counts consecutive failures). Writes
        nothing when there was nothing to forget: a results-day sign-in costs two cache reads."""
        generation = standing.generation
        if standing.failures_here:
            if standing.known_device and self.device is not None and standing.nonce is not None:
                self.device.clear(generation, standing.key, standing.nonce)
            else:
                self.place.clear(generation, standing.key, standing.place)
        if standing.account_failures:
            self.account.clear(generation, standing.key)

    def _summarise(self, key: str, generation: str, where: str, until: datetime) -> None:
        summary_key = self._summary_key(key, generation)
        summary: dict[str, datetime] = cache.get(summary_key) or {}
        summary = {place: moment for place, moment in summary.items() if moment > now()}
        summary[_digest(where)] = until
        cache.set(summary_key, summary, timeout=int(_PAUSES_KEPT.total_seconds()))

    def account_paused_until(self, key: str) -> datetime | None:
        return self.account.paused_until(self._generation(key), key)

    def clear(self, key: str) -> None:
        """Start every counter of `key` afresh (a new generation: the old counters are never read again)."""
        cache.set(self.generation_key(key), secrets.token_hex(8), timeout=None)


def sign_in_throttle() -> Throttle:
    """The sign-in throttle as the settings size it (read each time, so that tests can override them)."""
    return Throttle(
        name="sign-in",
        device=place_backoff("sign-in-device", free=settings.EXAMDESK_DEVICE_FAILURES),
        place=place_backoff("sign-in-place", free=settings.EXAMDESK_LOCKOUT_FAILURES),
        account=account_backoff("sign-in-account"),
    )


def place_backoff(name: str, *, free: int) -> Backoff:
    """`free` failures, then pauses from a minute, doubling, up to the lockout minutes."""
    longest = timedelta(minutes=settings.EXAMDESK_LOCKOUT_MINUTES)
    return Backoff(name, free=free, first=timedelta(minutes=1), longest=longest)


def account_backoff(name: str) -> Backoff:
    return Backoff(
        name,
        free=settings.EXAMDESK_ACCOUNT_FAILURE_SLOWDOWN,
        first=timedelta(minutes=1),
        longest=timedelta(hours=1),
        step=10,
        ceiling=settings.EXAMDESK_ACCOUNT_FAILURE_CEILING,
        after_ceiling=timedelta(days=1),
        window=timedelta(days=7),
    )


@dataclass(frozen=True)
class LockState:
    account_locked: bool  # unknown browsers are paused for the whole account (or a lock from before)
    paused_clients: int
    paused_until: datetime | None

    @property
    def is_locked(self) -> bool:
        return self.account_locked or self.paused_clients > 0


def lock_states(users: list[Any]) -> dict[int, LockState]:
    """Pauses of each user, for the Staff page where centre admins see and lift them (two cache reads in all)."""
    throttle = sign_in_throttle()
    keys = {user.pk: normalize_email(user.email) for user in users}
    generation_keys = {pk: throttle.generation_key(key) for pk, key in keys.items()}
    generations = cache.get_many(list(generation_keys.values()))
    wanted: dict[int, tuple[str, tuple[str, str]]] = {}
    for pk, key in keys.items():
        generation = str(generations.get(generation_keys[pk]) or "0")
        wanted[pk] = (throttle._summary_key(key, generation), throttle.account.keys(generation, key))
    values = cache.get_many([name for summary, pair in wanted.values() for name in (summary, *pair)])
    states = {}
    for user in users:
        summary_key, account_keys = wanted[user.pk]
        summary = values.get(summary_key) or {}
        places = [moment for moment in summary.values() if moment > now()]
        _, account_until = Backoff.state(values, account_keys)
        moments = [*places, *([account_until] if account_until else [])]
        states[user.pk] = LockState(
            account_locked=account_until is not None or user.locked_at is not None,
            paused_clients=len(places),
            paused_until=max(moments, default=None),
        )
    return states


def clear_failures(*, email: str) -> None:
    """Forget every failure on record for the account, on every client."""
    sign_in_throttle().clear(normalize_email(email))


def attempts_expired_delete() -> int:
    """Delete the rows django-axes kept when it counted sign-ins: nothing reads them any more (the counters now
    live in the cache and expire there)."""
    from axes.models import AccessAttempt

    deleted, _ = AccessAttempt.objects.all().delete()
    return int(deleted)
