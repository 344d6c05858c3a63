"""Results tests: rate-limit counters and cached panels live in the cache, so each test starts with an empty one."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
