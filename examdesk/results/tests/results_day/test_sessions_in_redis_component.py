"""Sessions in Redis (EXAMDESK_SESSION_CACHE_URL), against a real Redis: a candidate signs in, opens their result
on another web process, changing the password ends the other sessions, and signing out ends this one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.test import Client, override_settings

from examdesk.accounts.models import User
from examdesk.core.tests.factories import PASSWORD
from examdesk.core.tests.redis_support import redis_or_skip
from examdesk.results.tests.online.helpers import registered, registrant

REDIS_URL = "redis://127.0.0.1:6379/10"  # a database of its own, emptied before and after
RELEASE = datetime(2026, 8, 13, 8, 0, tzinfo=UTC)

pytestmark = [pytest.mark.component, pytest.mark.django_db]


@pytest.fixture
def redis_sessions():
    client = redis_or_skip(REDIS_URL)
    caches_setting = {
        **settings.CACHES,
        "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    with override_settings(
        CACHES=caches_setting, SESSION_ENGINE="django.contrib.sessions.backends.cache", SESSION_CACHE_ALIAS="sessions"
    ):
        yield client
        caches["sessions"].close()
    client.flushdb()


def _sign_in(browser: Client, email: str, password: str) -> None:
    response = browser.post("/results/sign-in/", {"identifier": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_candidate_s_session_lives_in_redis_and_is_shared_by_every_web_process(redis_sessions):
    person = registrant(released_at=RELEASE)
    user = registered(person)
    with time_machine.travel(RELEASE + timedelta(minutes=1), tick=False):
        first = Client()
        _sign_in(first, user.email, PASSWORD)
        key = first.cookies[settings.SESSION_COOKIE_NAME].value
        assert redis_sessions.keys(f"*{key}*")  # the session is a Redis key, not a database row
        assert caches["sessions"].get(f"django.contrib.sessions.cache{key}")[SESSION_KEY] == str(user.pk)

        other_process = Client()
        other_process.cookies[settings.SESSION_COOKIE_NAME] = key
        page = other_process.get(f"/results/entries/{person.entry.pk}/")
        assert page.status_code == 200 and "Overall score" in page.content.decode()

        first.post("/account/logout/")
        assert not redis_sessions.keys(f"*{key}*")
        assert other_process.get(f"/results/entries/{person.entry.pk}/").status_code == 302


def test_a_new_password_ends_the_other_sessions(redis_sessions):
    person = registrant(released_at=RELEASE)
    user = registered(person)
    with time_machine.travel(RELEASE + timedelta(minutes=1), tick=False):
        phone, laptop = Client(), Client()
        _sign_in(phone, user.email, PASSWORD)
        _sign_in(laptop, user.email, PASSWORD)
        new = "a completely new passphrase 2026"
        response = laptop.post(
            "/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 302
        assert User.objects.get(pk=user.pk).check_password(new)
        assert laptop.get(f"/results/entries/{person.entry.pk}/").status_code == 200  # this one stays signed in
        assert phone.get(f"/results/entries/{person.entry.pk}/").status_code == 302  # the other is ended
