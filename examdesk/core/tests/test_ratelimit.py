"""Rate limits count every attempt of a burst: one atomic increment per attempt, in the shared cache."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache, caches
from django.test import override_settings

from examdesk.core.ratelimit import Limit
from examdesk.core.tests.redis_support import redis_or_skip
from examdesk.core.time import now

REDIS_URL = "redis://127.0.0.1:6379/9"  # a database of its own, emptied before and after


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _burst(limit: Limit, threads: int, each: int) -> list[int]:
    counts: list[int] = []
    start = threading.Barrier(threads)

    def attempts() -> None:
        start.wait()
        for _ in range(each):
            counts.append(limit.hit("203.0.113.7")[0])

    workers = [threading.Thread(target=attempts) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counts


def test_the_limit_pauses_at_the_nth_attempt_and_a_new_run_starts_after_the_pause():
    limit = Limit("test", 3, timedelta(minutes=10))
    assert limit.hit("a") == (1, None)
    assert limit.hit("a") == (2, None)
    count, until = limit.hit("a")
    assert count == 3 and until is not None and until > now()
    assert limit.paused_until("a") == until
    assert limit.paused_until("b") is None
    with time_machine.travel(until + timedelta(seconds=1)):
        assert limit.paused_until("a") is None
        assert limit.hit("a") == (1, None)


def test_clear_forgets_the_count_and_the_pause():
    limit = Limit("test", 2, timedelta(minutes=10))
    limit.hit("a")
    limit.hit("a")
    assert limit.paused_until("a") is not None
    limit.clear("a")
    assert limit.paused_until("a") is None
    assert limit.hit("a") == (1, None)


def test_a_burst_of_parallel_attempts_counts_every_one():
    limit = Limit("burst", 10, timedelta(minutes=10))
    counts = _burst(limit, threads=20, each=10)
    assert sorted(counts) == list(range(1, 201))  # no attempt counted twice or lost
    assert limit.paused_until("203.0.113.7") is not None


@pytest.mark.component
def test_a_burst_against_redis_counts_every_one():
    client = redis_or_skip(REDIS_URL)
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    with override_settings(CACHES=redis_cache):
        try:
            limit = Limit("burst", 10, timedelta(minutes=10))
            counts = _burst(limit, threads=20, each=10)
            assert sorted(counts) == list(range(1, 201))
            assert limit.paused_until("203.0.113.7") is not None
        finally:
            caches["default"].close()
    client.flushdb()


def test_a_backoff_is_free_at_first_then_pauses_longer_and_longer_and_a_clear_forgets():
    from examdesk.core.ratelimit import Backoff

    backoff = Backoff("test-backoff", free=3, first=timedelta(minutes=1), longest=timedelta(minutes=5))
    with time_machine.travel(now(), tick=False) as clock:
        assert [backoff.hit("k")[1] for _ in range(2)] == [None, None]
        pauses = []
        for _ in range(5):
            count, until = backoff.hit("k")
            assert until is not None and backoff.paused_until("k") == until
            pauses.append(round((until - now()).total_seconds() / 60))
            clock.shift(until - now() + timedelta(seconds=1))
        assert pauses == [1, 2, 4, 5, 5]
        backoff.clear("k")
        assert backoff.failures("k") == 0 and backoff.hit("k") == (1, None)


def test_a_backoff_after_its_ceiling_pauses_for_the_long_time():
    from examdesk.core.ratelimit import Backoff

    backoff = Backoff(
        "t", free=10, first=timedelta(minutes=1), longest=timedelta(hours=1), step=10, ceiling=100,
        after_ceiling=timedelta(days=1),
    )  # fmt: skip
    assert backoff.pause_after(9) is None
    assert backoff.pause_after(10) == backoff.pause_after(19) == timedelta(minutes=1)
    assert backoff.pause_after(20) == timedelta(minutes=2)
    assert backoff.pause_after(99) == timedelta(hours=1)
    assert backoff.pause_after(100) == timedelta(days=1)
