"""The release second: 5,000 candidates polling in the minute around the release time.

None sees a score before the release time; every one sees it at the first poll after it (each polls once
within the second after release). Nothing runs at release time: visibility is the clock against the stored
release time, decided by the gate on every request, with no job, no cache and no write in between.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client

from examdesk.accounts.models import User
from examdesk.jobs.models import Job
from examdesk.results import gate
from examdesk.results.online.selectors import candidate_entry
from examdesk.results.tests.results_day.bulk import released_candidates

pytestmark = pytest.mark.django_db

RELEASE = datetime(2026, 8, 13, 8, 0, tzinfo=UTC)
CANDIDATES = 5000
BY_HTTP = 40  # of them, also through the pages themselves


@pytest.fixture
def cache_uses(monkeypatch):
    uses: list[str] = []
    for name in ("get", "set", "add", "get_many", "set_many", "incr"):
        real = getattr(LocMemCache, name)

        def spy(self, *args, _real=real, _name=name, **kwargs):
            uses.append(_name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(LocMemCache, name, spy)
    return uses


def _reads_only(statements: list[str]):
    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def _polls(rng: random.Random, users: list[int], entries: list[int]) -> list[tuple[datetime, int, int]]:
    """Each candidate polls once in the half-minute before the release time and once in the second after it;
    a hundred also poll at release − 1 µs and exactly at the release time."""
    polls = []
    for user, entry in zip(users, entries, strict=True):
        polls.append((RELEASE - timedelta(seconds=30) * rng.random() - timedelta(microseconds=1), user, entry))
        polls.append((RELEASE + timedelta(seconds=1) * rng.random(), user, entry))
    for user, entry in zip(users[:100], entries[:100], strict=True):
        polls.append((RELEASE - timedelta(microseconds=1), user, entry))
        polls.append((RELEASE, user, entry))
    return sorted(polls)


def test_5000_candidates_polling_around_release_see_scores_exactly_from_the_release_time(cache_uses):
    loaded = released_candidates(count=CANDIDATES, released_at=RELEASE)
    jobs_before = Job.objects.count()
    rng = random.Random(20260813)
    polls = _polls(rng, loaded.users, loaded.entries)
    early, late, seen_after = [], [], set()
    statements: list[str] = []
    with time_machine.travel(RELEASE - timedelta(seconds=31), tick=False) as clock:
        with connection.execute_wrapper(_reads_only(statements)):
            for moment, user, entry in polls:
                clock.move_to(moment)
                shown = candidate_entry(user=user, entry_id=entry)
                if moment < RELEASE:
                    if shown.result is not None or shown.state is gate.State.RELEASED:
                        early.append((moment, user))
                else:
                    if shown.result is None or shown.state is not gate.State.RELEASED:
                        late.append((moment, user))
                    seen_after.add(user)
    assert early == []  # nobody saw a score before the release time
    assert late == []  # everybody who polled after it saw it, within the second
    assert seen_after == set(loaded.users)
    # Nothing in between: only reads, no cache, no job.
    assert statements and all(sql.lstrip().upper().startswith("SELECT") for sql in statements)
    assert cache_uses == []
    assert Job.objects.count() == jobs_before


def test_the_pages_themselves_around_release():
    loaded = released_candidates(count=BY_HTTP, released_at=RELEASE)
    browsers = []
    for user_id, entry_id in zip(loaded.users, loaded.entries, strict=True):
        browser = Client()
        browser.force_login(User.objects.get(pk=user_id))
        browsers.append((browser, entry_id))
    for moment, released in (
        (RELEASE - timedelta(seconds=30), False),
        (RELEASE - timedelta(microseconds=1), False),
        (RELEASE, True),
        (RELEASE + timedelta(milliseconds=999), True),
    ):
        with time_machine.travel(moment, tick=False):
            for browser, entry_id in browsers:
                page = browser.get(f"/results/entries/{entry_id}/").content.decode()
                statement = browser.get(f"/results/entries/{entry_id}/statement.pdf")
                assert ("Overall score" in page) is released, moment
                assert statement.status_code == (200 if released else 404), moment


def test_the_gate_decides_a_candidate_s_entry_in_one_query_before_and_after_the_release_time(
    django_assert_num_queries,
):
    loaded = released_candidates(count=1, released_at=RELEASE)
    user, entry = loaded.users[0], loaded.entries[0]
    with time_machine.travel(RELEASE - timedelta(seconds=1), tick=False), django_assert_num_queries(1):
        assert candidate_entry(user=user, entry_id=entry).result is None
    with time_machine.travel(RELEASE, tick=False), django_assert_num_queries(1):
        assert candidate_entry(user=user, entry_id=entry).result is not None
