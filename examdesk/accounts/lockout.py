"""Lockout that cannot be turned against the person it protects.

django-axes counts failures per account + client (IP address and browser) and pauses that client
after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME. A stranger elsewhere therefore cannot lock
the real person out. Across all clients we keep a higher per-account ceiling: when the failures on
record for one account reach it, the account is locked until a password reset or a staff unlock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_credentials
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from examdesk.accounts.models import normalize_email
from examdesk.core.http import client_ip, client_user_agent
from examdesk.core.time import now


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler with a successful sign-in that writes nothing it does not need to.

    Axes, on every successful sign-in, deletes everyone's expired attempts and this client's attempts, each a
    read and a delete. On results day that is four statements per login for nothing: expired attempts are
    removed every hour instead (`attempts_expired_delete`), and this client's attempts only when the check
    just before the password found some (that check is the count axes makes anyway).
    """

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = int(super().get_failures(request, credentials))
        if request is not None:
            request.examdesk_failures_before = failures
        return failures

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        if getattr(request, "examdesk_failures_before", None) == 0:
            return
        self.reset_user_attempts(request, get_credentials(user.get_username()))


def attempts_expired_delete() -> int:
    """Delete attempts older than the cool-off time: they no longer count for anything."""
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lte=now() - settings.AXES_COOLOFF_TIME).delete()
    return int(deleted)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The key axes counts under: the normalised e-mail, so 'Ana@X ' and 'ana@x' are one account."""
    raw = (credentials or {}).get("email") or (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("email", "")
    return normalize_email(str(raw))


def _live_attempts(email: str) -> Any:
    return AccessAttempt.objects.filter(
        username=normalize_email(email), attempt_time__gt=now() - settings.AXES_COOLOFF_TIME
    )


def client_locked_until(*, email: str, request: HttpRequest) -> datetime | None:
    """When this client may try this account again, or None when it is not paused."""
    attempt = (
        _live_attempts(email)
        .filter(
            ip_address=client_ip(request),
            user_agent=client_user_agent(request),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        )
        .order_by("-attempt_time")
        .first()
    )
    if attempt is None:
        return None
    until: datetime = attempt.attempt_time + settings.AXES_COOLOFF_TIME
    return until


def account_failures(*, email: str) -> int:
    """Failures on record for this account across every client (within the cool-off window)."""
    total = _live_attempts(email).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


@dataclass(frozen=True)
class LockState:
    account_locked: bool
    paused_clients: int
    paused_until: datetime | None

    @property
    def is_locked(self) -> bool:
        return self.account_locked or self.paused_clients > 0


def lock_states(users: list[Any]) -> dict[int, LockState]:
    """Lock state of each user, for the staff page where centre admins see and lift locks."""
    emails = {user.email: user.pk for user in users}
    paused: dict[int, list[datetime]] = {}
    for attempt in _live_attempts_many(list(emails)):
        until = attempt.attempt_time + settings.AXES_COOLOFF_TIME
        paused.setdefault(emails[attempt.username], []).append(until)
    return {
        user.pk: LockState(
            account_locked=user.locked_at is not None,
            paused_clients=len(paused.get(user.pk, [])),
            paused_until=max(paused[user.pk]) if user.pk in paused else None,
        )
        for user in users
    }


def _live_attempts_many(emails: list[str]) -> Any:
    return AccessAttempt.objects.filter(
        username__in=emails,
        attempt_time__gt=now() - settings.AXES_COOLOFF_TIME,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    ).only("username", "attempt_time")


def clear_failures(*, email: str) -> None:
    """Forget every failure on record for the account, on every client."""
    AccessAttempt.objects.filter(username=normalize_email(email)).delete()
