"""Identity writes: sign-in, sign-out, password reset and unlock. Each one audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from examdesk.accounts import lockout
from examdesk.accounts.backends import remember_account
from examdesk.accounts.models import User, normalize_email
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.core.mail import email_queue
from examdesk.core.time import format_time_in_zone, now

LOGIN_FAILED = "The e-mail address or the password is not right. Passwords are case-sensitive."
LOGIN_SPACE_HINT = (
    "The password you typed starts or ends with a space. Spaces count as part of a password: "
    "check whether yours really has one."
)
LOGIN_REMAINING = "After {n} more failed attempt{s}, sign-in from this device is paused for {minutes} minutes."
CLIENT_LOCKED = (
    "Too many failed attempts. Sign-in to this account from this device is paused until {until}. "
    "You can reset your password now, or ask your centre admin to lift the pause."
)
ACCOUNT_LOCKED = (
    "This account is locked after too many failed sign-in attempts from several devices. "
    "Reset your password with 'Forgotten your password?', or ask your centre admin to unlock it."
)


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    errors: tuple[str, ...] = ()
    locked_until: datetime | None = None


def _board_zone() -> str:
    return str(settings.EXAMDESK_BOARD_TIME_ZONE)


def client_locked_message(*, until: datetime | None) -> str:
    return CLIENT_LOCKED.format(until=format_time_in_zone(until, _board_zone()) if until else "later")


def login_attempt(*, request: HttpRequest, email: str, password: str) -> LoginOutcome:
    """Check the credentials and sign the person in, or say precisely why not.

    Not atomic on purpose: django-axes records failures in its own transaction, and a failure must be
    counted even though the sign-in is refused.
    """
    address = normalize_email(email)
    account = User.objects.filter(email=address).first()
    remember_account(request, address, account)  # the backend reads it instead of a second query
    if account is not None and account.locked_at is not None:
        audit_record(
            action=AuditEvent.Action.LOGIN_REFUSED,
            request=request,
            actor=account,
            subject=account,
            summary="Account locked",
        )
        return LoginOutcome(user=None, errors=(ACCOUNT_LOCKED,))

    user = authenticate(request, email=address, password=password)
    if user is not None:
        login(request, user)
        audit_record(action=AuditEvent.Action.LOGIN_SUCCEEDED, request=request, actor=user, subject=user)
        return LoginOutcome(user=user)

    if getattr(request, "axes_locked_out", False):
        until = lockout.client_locked_until(email=address, request=request)
        failures = getattr(request, "axes_failures_since_start", None)
        if failures == settings.AXES_FAILURE_LIMIT:  # this very attempt paused the client
            audit_record(
                action=AuditEvent.Action.LOCK_CLIENT,
                request=request,
                actor=account,
                subject=account,
                summary=f"Sign-in paused on one device until {until:%H:%M} UTC" if until else "",
                data={"email": address},
            )
        else:
            audit_record(
                action=AuditEvent.Action.LOGIN_REFUSED,
                request=request,
                actor=account,
                subject=account,
                summary="Device paused",
                data={"email": address},
            )
        return LoginOutcome(user=None, errors=(client_locked_message(until=until),), locked_until=until)

    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        actor=account,
        subject=account,
        data={"email": address},
    )
    if account is not None and lockout.account_failures(email=address) >= settings.EXAMDESK_ACCOUNT_FAILURE_CEILING:
        account_lock(user=account, request=request)
        return LoginOutcome(user=None, errors=(ACCOUNT_LOCKED,))

    errors = [LOGIN_FAILED]
    if password != password.strip():
        errors.append(LOGIN_SPACE_HINT)
    failures = int(getattr(request, "axes_failures_since_start", 0) or 0)
    remaining = settings.AXES_FAILURE_LIMIT - failures
    if 0 < remaining < settings.AXES_FAILURE_LIMIT:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        errors.append(LOGIN_REMAINING.format(n=remaining, s="" if remaining == 1 else "s", minutes=minutes))
    return LoginOutcome(user=None, errors=tuple(errors))


@transaction.atomic
def account_lock(*, user: User, request: HttpRequest | None = None) -> None:
    User.objects.filter(pk=user.pk, locked_at__isnull=True).update(locked_at=now())
    audit_record(
        action=AuditEvent.Action.LOCK_ACCOUNT,
        request=request,
        actor=user,
        subject=user,
        summary="Per-account ceiling of failed sign-ins reached",
    )


@transaction.atomic
def account_unlock(*, user: User, actor: Any, centre: Any = None, request: HttpRequest | None = None) -> None:
    lockout.clear_failures(email=user.email)
    User.objects.filter(pk=user.pk).update(locked_at=None)
    user.locked_at = None
    audit_record(
        action=AuditEvent.Action.UNLOCK,
        request=request,
        actor=actor,
        centre=centre,
        subject=user,
        summary=f"Sign-in locks lifted for {user.email}",
    )


def logout_user(*, request: HttpRequest) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        audit_record(action=AuditEvent.Action.LOGOUT, request=request, actor=user, subject=user)
    logout(request)


@transaction.atomic
def password_reset_request(*, email: str, request: HttpRequest | None = None) -> None:
    """E-mail a single-use link if the account exists. The caller shows the same answer either way."""
    address = normalize_email(email)
    user = User.objects.filter(email=address, is_active=True).first()
    audit_record(
        action=AuditEvent.Action.RESET_REQUESTED,
        request=request,
        actor=user,
        subject=user,
        data={"email": address, "account_exists": user is not None},
    )
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    # Built from EXAMDESK_SITE_URL, never from the Host header a stranger could forge.
    link = f"{settings.EXAMDESK_SITE_URL}{reverse('accounts:password_reset_confirm', args=[uid, token])}"
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    email_queue(
        to=user.email,
        subject="Reset your Examdesk password",
        body=(
            f"Hello,\n\nSomeone (we hope you) asked to reset the password of the Examdesk account "
            f"{user.email}.\n\nChoose a new password here. The link works once, for {minutes} minutes:\n"
            f"{link}\n\nIf you did not ask for this, ignore this e-mail: your password stays as it is.\n"
        ),
    )


@transaction.atomic
def password_reset_complete(*, user: User, password: str, request: HttpRequest | None = None) -> None:
    """Set the new password (which makes the link and every other session invalid) and lift locks."""
    user.set_password(password)
    user.locked_at = None
    user.save(update_fields=["password", "locked_at"])
    lockout.clear_failures(email=user.email)
    audit_record(action=AuditEvent.Action.RESET_USED, request=request, actor=user, subject=user)


@transaction.atomic
def password_change(*, user: User, password: str, request: HttpRequest) -> None:
    from django.contrib.auth import update_session_auth_hash

    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)  # keep this session, end the others
    audit_record(action=AuditEvent.Action.PASSWORD_CHANGED, request=request, actor=user, subject=user)
