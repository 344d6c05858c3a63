"""Rate limits: `attempts` for one key within a run of counting pause that key, in Django's shared cache.

Counters live in Django's cache: the database in the embedded default, Redis at scale. Never process memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.http import HttpRequest

from examdesk.core.http import client_ip, client_user_agent
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


def client_key(request: HttpRequest) -> str:
    """The client as django-axes sees it: IP address and browser."""
    return f"{client_ip(request)}\x1e{client_user_agent(request)}"
