from __future__ import annotations

from contextlib import ExitStack
from datetime import timedelta
from unittest.mock import patch

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from examdesk.accounts import lockout, services
from examdesk.accounts.tasks import lockout_attempts_expired_delete_task
from examdesk.audit.models import AuditEvent
from examdesk.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _request(agent: str = "Browser A", ip: str = "203.0.113.7"):
    request = RequestFactory().post("/account/login/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def test_email_matches_any_case_and_surrounding_spaces():
    user = UserFactory(email="ana@example.org")
    outcome = services.login_attempt(request=_request(), email="  Ana@Example.ORG ", password=PASSWORD)
    assert outcome.user == user
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_SUCCEEDED, subject_user_id=user.pk).exists()


def test_password_is_case_sensitive_and_never_trimmed():
    UserFactory(email="ana@example.org")
    assert services.login_attempt(request=_request(), email="ana@example.org", password=PASSWORD.upper()).user is None
    outcome = services.login_attempt(request=_request(), email="ana@example.org", password=PASSWORD + " ")
    assert outcome.user is None
    assert services.LOGIN_SPACE_HINT in outcome.errors


def test_password_with_spaces_inside_and_at_ends_works_when_it_is_the_password():
    user = UserFactory(email="ana@example.org")
    user.set_password("  spaced password  ")
    user.save()
    assert services.login_attempt(request=_request(), email="ana@example.org", password="  spaced password  ").user
    outcome = services.login_attempt(request=_request("B"), email="ana@example.org", password="spaced password")
    assert outcome.user is None
    assert services.LOGIN_SPACE_HINT not in outcome.errors


def test_failure_says_how_many_attempts_are_left():
    UserFactory(email="ana@example.org")
    outcome = services.login_attempt(request=_request(), email="ana@example.org", password="wrong one")
    assert services.LOGIN_FAILED in outcome.errors
    assert any("After 2 more failed attempts" in message for message in outcome.errors)


def test_third_failure_pauses_this_client_for_30_minutes_even_for_the_right_password():
    UserFactory(email="ana@example.org")
    for _ in range(2):
        services.login_attempt(request=_request(), email="ana@example.org", password="wrong")
    third = services.login_attempt(request=_request(), email="ana@example.org", password="wrong")
    assert third.locked_until is not None
    assert "paused until" in third.errors[0]
    assert "(Europe/London)" in third.errors[0]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCK_CLIENT).count() == 1

    refused = services.login_attempt(request=_request(), email="ana@example.org", password=PASSWORD)
    assert refused.user is None and refused.locked_until == third.locked_until

    with time_machine.travel(third.locked_until + timedelta(seconds=1)):
        assert services.login_attempt(request=_request(), email="ana@example.org", password=PASSWORD).user


def test_a_stranger_on_another_client_cannot_lock_the_real_person_out():
    user = UserFactory(email="ana@example.org")
    for _ in range(3):
        services.login_attempt(
            request=_request("Stranger", ip="198.51.100.9"), email="ana@example.org", password="guess"
        )
    assert (
        services.login_attempt(request=_request("Ana's laptop"), email="ana@example.org", password=PASSWORD).user
        == user
    )


def test_a_success_resets_the_count_so_only_consecutive_failures_lock():
    UserFactory(email="ana@example.org")
    for _ in range(2):
        services.login_attempt(request=_request(), email="ana@example.org", password="wrong")
    assert services.login_attempt(request=_request(), email="ana@example.org", password=PASSWORD).user
    for _ in range(2):
        outcome = services.login_attempt(request=_request(), email="ana@example.org", password="wrong")
    assert outcome.locked_until is None


@override_settings(EXAMDESK_ACCOUNT_FAILURE_SLOWDOWN=6)
def test_failures_from_many_places_slow_unknown_browsers_down_but_never_lock_the_account():
    user = UserFactory(email="ana@example.org")
    for place in range(3):
        for _ in range(2):
            outcome = services.login_attempt(
                request=_request(ip=f"198.51.100.{place}"), email="ana@example.org", password="guess"
            )
    assert outcome.errors == (services.paused_message(lockout.Pause(lockout.Scope.ACCOUNT, outcome.locked_until)),)
    assert "from several places" in outcome.errors[0]
    user.refresh_from_db()
    assert user.locked_at is None
    # Unknown browsers wait, even with the right password, until the pause ends or the account is unlocked.
    assert (
        services.login_attempt(request=_request(ip="192.0.2.1"), email="ana@example.org", password=PASSWORD).user
        is None
    )
    with time_machine.travel(outcome.locked_until + timedelta(seconds=1)):
        assert services.login_attempt(request=_request(ip="192.0.2.1"), email="ana@example.org", password=PASSWORD).user
    services.login_attempt(request=_request(ip="198.51.100.9"), email="ana@example.org", password="guess")
    services.account_unlock(user=user, actor=None)
    assert services.login_attempt(request=_request(ip="192.0.2.1"), email="ana@example.org", password=PASSWORD).user


def test_the_pause_grows_with_each_failure_after_it():
    UserFactory(email="ana@example.org")
    pauses = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(7):
            outcome = services.login_attempt(request=_request(), email="ana@example.org", password="guess")
            if outcome.locked_until is not None:
                pauses.append(round((outcome.locked_until - timezone.now()).total_seconds() / 60))
                clock.move_to(outcome.locked_until + timedelta(seconds=1))
    assert pauses == [1, 2, 4, 8, 16]


def test_unknown_account_fails_like_a_wrong_password():
    outcome = services.login_attempt(request=_request(), email="nobody@example.org", password="whatever it is")
    assert outcome.user is None
    assert services.LOGIN_FAILED in outcome.errors


def test_inactive_account_cannot_sign_in():
    UserFactory(email="ana@example.org", is_active=False)
    assert services.login_attempt(request=_request(), email="ana@example.org", password=PASSWORD).user is None


def test_a_success_after_failures_clears_only_this_place():
    UserFactory(email="ana@example.org")
    for _ in range(2):
        services.login_attempt(request=_request(ip="198.51.100.2"), email="ana@example.org", password="wrong")
    services.login_attempt(request=_request(), email="ana@example.org", password="wrong")
    assert services.login_attempt(request=_request(), email="ana@example.org", password=PASSWORD).user
    again = services.login_attempt(request=_request(), email="ana@example.org", password="wrong")
    assert any("After 2 more failed attempts" in message for message in again.errors)
    third = services.login_attempt(request=_request(ip="198.51.100.2"), email="ana@example.org", password="wrong")
    assert third.locked_until is not None


def test_a_clean_sign_in_reads_the_lockout_once_and_writes_only_the_sign_in():
    """Results day (a candidate's sign-in, through the outbox): a sign-in without earlier failures costs the
    account, the lockout count, one outbox row (the audit event, which sets last_login when drained) and the
    session; nothing of axes' own bookkeeping."""
    UserFactory(email="ana@example.org")
    request = _request()
    with CaptureQueriesContext(connection) as queries:
        assert services.login_attempt(request=request, email="ana@example.org", password=PASSWORD, outbox=True).user
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if s.startswith("DELETE")]
    assert not [s for s in sql if "axes_accesslog" in s]
    assert len([s for s in sql if s.startswith('SELECT "accounts_user"')]) == 1  # not read again by the backend
    assert not [s for s in sql if s.startswith("UPDATE")]  # last_login comes with the outbox's event
    inserts = [s.split(" (")[0] for s in sql if s.startswith("INSERT") and "django_session" not in s]
    assert inserts == ['INSERT INTO "audit_pendingauditevent"']  # not the log itself
    assert AccessLog.objects.count() == 0


def test_a_clean_sign_in_reads_the_throttles_twice_and_writes_nothing_to_the_cache():
    UserFactory(email="ana@example.org")
    calls = []
    real = {name: getattr(cache, name) for name in ("get", "get_many", "set", "add", "incr", "delete_many", "touch")}

    def spy(name):
        def wrapped(*args, **kwargs):
            calls.append(name)
            return real[name](*args, **kwargs)

        return wrapped

    with ExitStack() as stack:
        for name in real:
            stack.enter_context(patch.object(cache, name, spy(name)))
        assert services.login_attempt(request=_request(), email="ana@example.org", password=PASSWORD).user
    assert calls.count("get_many") == 1  # (the local-memory cache's get_many calls get for each key)
    assert not {"set", "add", "incr", "delete_many", "touch"} & set(calls)


def test_the_hourly_task_deletes_what_django_axes_kept_before():
    AccessAttempt.objects.create(
        username="ana@example.org", ip_address="203.0.113.7", user_agent="Old", failures_since_start=1,
        get_data="", post_data="", http_accept="", path_info="/account/login/",
    )  # fmt: skip
    lockout_attempts_expired_delete_task()
    assert not AccessAttempt.objects.exists()
