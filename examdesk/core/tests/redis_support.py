"""Tests that need a real Redis: a database of their own, emptied first; skipped where no Redis runs (never in CI)."""

from __future__ import annotations

import os
from typing import Any

import pytest


def redis_or_skip(url: str) -> Any:
    """A client of the Redis database at `url`, emptied. Without a Redis on the machine the test is skipped, except
    in CI, where a missing Redis is a failure."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    client.flushdb()
    return client
