"""Rate limits in Django's shared cache: `Limit` (a fixed number of attempts, then one pause) and `Backoff`
(consecutive failures, then pauses that grow with each further failure).

Counters live in Django's cache: the database in the embedded default, Redis at scale. Never process memory.
Clients are told apart by their network address (`client_key`) and, where a page sets one, by a signed per-browser
cookie (examdesk.core.browser_id) — never by the User-Agent, which a client may change at will.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.http import HttpRequest

from examdesk.core.http import client_ip
from examdesk.core.time import now


@dataclass(frozen=True)
class Limit:
    """`attempts` within one run of counting pause the key for `pause` (counted from the attempt that reached
    the limit). The count is one atomic increment (INCR on Redis), so a burst of parallel requests from one client
    counts every attempt; the pause is written once, by whichever attempt reached the limit first."""

    name: str
    attempts: int
    pause: timedelta

    def _key(self, parts: tuple[str, ...]) -> str:
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        return f"examdesk:attempts:{self.name}:{digest}"  # an integer (the count); ":until" beside it

    def _timeout(self) -> int:
        return int(self.pause.total_seconds()) + 1

    def paused_until(self, *parts: str) -> datetime | None:
        until: datetime | None = cache.get(self._key(parts) + ":until")
        if until is None or until <= now():
            return None
        return until

    def _count_one(self, key: str) -> int:
        for _ in range(2):
            cache.add(key, 0, timeout=self._timeout())
            try:
                return int(cache.incr(key))
            except ValueError:  # expired between the two calls: start again
                continue
        return int(cache.incr(key))

    def hit(self, *parts: str) -> tuple[int, datetime | None]:
        """Count one attempt. Returns (attempts counted, when the pause ends once the limit is reached)."""
        key = self._key(parts)
        until: datetime | None = cache.get(key + ":until")
        if until is not None and until <= now():
            cache.delete_many([key, key + ":until"])  # the pause is over: a new run of counting
            until = None
        count = self._count_one(key)
        cache.touch(key, timeout=self._timeout())
        if count >= self.attempts and until is None:
            cache.add(key + ":until", now() + self.pause, timeout=self._timeout())
            until = cache.get(key + ":until")
        return count, until

    def clear(self, *parts: str) -> None:
        key = self._key(parts)
        cache.delete_many([key, key + ":until"])


@dataclass(frozen=True)
class Backoff:
    """Consecutive failures for one key, with growing pauses.

    The first `free` - 1 failures cost nothing; the `free`-th pauses the key for `first`, and the pause doubles
    every `step` further failures, up to `longest` (`after_ceiling` from `ceiling` failures on, when set). A success
    (`clear`) forgets the run; so does `window` without a failure. A refused attempt during a pause is not counted.
    """

    name: str
    free: int
    first: timedelta
    longest: timedelta
    step: int = 1
    ceiling: int | None = None
    after_ceiling: timedelta | None = None
    window: timedelta = timedelta(days=1)

    def _key(self, parts: tuple[str, ...]) -> str:
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        return f"examdesk:backoff:{self.name}:{digest}"

    def pause_after(self, failures: int) -> timedelta | None:
        """How long `failures` consecutive failures pause the key (None: not at all)."""
        if failures < self.free:
            return None
        if self.ceiling is not None and self.after_ceiling is not None and failures >= self.ceiling:
            return self.after_ceiling
        doublings = min((failures - self.free) // self.step, 30)
        pause: timedelta = min(self.longest, self.first * (2**doublings))
        return pause

    def remaining(self, failures: int) -> int:
        """Failures left before the first pause."""
        return max(0, self.free - failures)

    def keys(self, *parts: str) -> tuple[str, str]:
        """The cache keys of the count and of the pause's end, to read several backoffs in one `cache.get_many`."""
        key = self._key(parts)
        return key, key + ":until"

    @staticmethod
    def state(values: dict[str, object], keys: tuple[str, str]) -> tuple[int, datetime | None]:
        """(consecutive failures, end of the pause now running or None) from what `cache.get_many(keys)` read."""
        count = values.get(keys[0])
        until = values.get(keys[1])
        running = until if isinstance(until, datetime) and until > now() else None
        return (count if isinstance(count, int) else 0), running

    def paused_until(self, *parts: str) -> datetime | None:
        until: datetime | None = cache.get(self._key(parts) + ":until")
        if until is None or until <= now():
            return None
        return until

    def failures(self, *parts: str) -> int:
        return int(cache.get(self._key(parts)) or 0)

    def hit(self, *parts: str) -> tuple[int, datetime | None]:
        """Count one failure. Returns (consecutive failures, when the pause it starts ends, or None)."""
        key = self._key(parts)
        timeout = int(self.window.total_seconds())
        count = 0
        for _ in range(2):
            cache.add(key, 0, timeout=timeout)
            try:
                count = int(cache.incr(key))
                break
            except ValueError:  # expired between the two calls: start again
                continue
        cache.touch(key, timeout=timeout)
        pause = self.pause_after(count)
        if pause is None:
            return count, None
        until = now() + pause
        cache.set(key + ":until", until, timeout=int(pause.total_seconds()) + 1)
        return count, until

    def clear(self, *parts: str) -> None:
        key = self._key(parts)
        cache.delete_many([key, key + ":until"])


def client_key(request: HttpRequest) -> str:
    """The client's network address (as the deployment's proxies report it). Never the User-Agent: a client
    changes that at will, and a school's pupils share one address, so limits keyed on it alone are generous."""
    return client_ip(request)
