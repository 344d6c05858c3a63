"""Identity writes: sign-in, sign-out, password reset and unlock. Each one audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, gettext_noop, ngettext

from examdesk.accounts import lockout
from examdesk.accounts.backends import remember_account
from examdesk.accounts.models import User, normalize_email
from examdesk.accounts.sign_in_events import last_login_from_outbox
from examdesk.audit.models import AuditEvent
from examdesk.audit.outbox import audit_defer
from examdesk.audit.services import audit_record
from examdesk.core import languages
from examdesk.core.mail import email_queue
from examdesk.core.ratelimit import Limit, client_key
from examdesk.core.time import format_time_in_zone

# The messages are English constants (tests compare them), marked for the catalogue and translated where they are
# used: the candidates' sign-in page shows them in the candidate's language.
LOGIN_FAILED = gettext_noop("The e-mail address or the password is not right. Passwords are case-sensitive.")
LOGIN_SPACE_HINT = gettext_noop(
    "The password you typed starts or ends with a space. Spaces count as part of a password: "
    "check whether yours really has one."
)
PLACE_PAUSED = gettext_noop(
    "Too many failed attempts. Sign-in to this account from this network address is paused until {until}, "
    "except in browsers where it has been used before. You can reset your password now, or ask your centre admin "
    "to lift the pause."
)
ACCOUNT_PAUSED = gettext_noop(
    "Too many failed attempts from several places. Sign-in to this account from browsers where it has not been used "
    "before is paused until {until}. In a browser where you have signed in to it before, you can sign in as usual. "
    "You can also reset your password now, or ask your centre admin to lift the pause."
)
DEVICE_PAUSED = gettext_noop(
    "Too many failed attempts in this browser. Sign-in to this account in this browser is paused until {until}. "
    "You can reset your password now, or ask your centre admin to lift the pause."
)
_PAUSED = {
    lockout.Scope.PLACE: PLACE_PAUSED,
    lockout.Scope.ACCOUNT: ACCOUNT_PAUSED,
    lockout.Scope.DEVICE: DEVICE_PAUSED,
}


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    errors: tuple[str, ...] = ()
    locked_until: datetime | None = None


def _board_zone() -> str:
    return str(settings.EXAMDESK_BOARD_TIME_ZONE)


def duration_text(pause: timedelta) -> str:
    minutes = max(1, round(pause.total_seconds() / 60))
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def remaining_message(*, n: int, pause: timedelta, in_this_browser: bool) -> str:
    """'After 2 more failed attempts, sign-in … is paused for 1 minute…', in the active language."""
    if in_this_browser:
        text = ngettext(
            "After {n} more failed attempt, sign-in to this account in this browser is paused for {pause}.",
            "After {n} more failed attempts, sign-in to this account in this browser is paused for {pause}.",
            n,
        )
    else:
        text = ngettext(
            "After {n} more failed attempt, sign-in to this account from this network address is paused for "
            "{pause}, except in browsers where it has been used before.",
            "After {n} more failed attempts, sign-in to this account from this network address is paused for "
            "{pause}, except in browsers where it has been used before.",
            n,
        )
    return text.format(n=n, pause=duration_text(pause))


def paused_message(pause: lockout.Pause) -> str:
    return gettext(_PAUSED[pause.scope]).format(until=format_time_in_zone(pause.until, _board_zone()))


def login_attempt(*, request: HttpRequest, email: str, password: str, outbox: bool = False) -> LoginOutcome:
    """Check the credentials and sign the person in, or say precisely why not (examdesk.accounts.lockout).

    `outbox` (the candidates' sign-in, which results day repeats by the hundred thousand): a success's audit
    event goes through the outbox and sets `last_login` when drained (examdesk.accounts.sign_in_events), instead
    of an insert into the log and an update of the account in the request. Staff sign-ins are in the log at once.

    Every answer is the same for an account that exists and one that does not, and every path checks one password
    hash (a dummy one when there is no account; while paused, the check runs and its answer is not used), so that
    neither the answer nor its time tells who has an account. Not atomic on purpose: a failure is counted even
    though the sign-in is refused.
    """
    address = normalize_email(email)
    account = User.objects.filter(email=address).first()
    remember_account(request, address, account)  # the backend reads it instead of a second query
    throttle = lockout.sign_in_throttle()
    standing = throttle.standing(request, key=address, account=account)
    if standing.pause is not None:
        # The same check as any attempt (its answer unused), so that a pause takes the time of a real check.
        authenticate(request, email=address, password=password)
        audit_record(
            action=AuditEvent.Action.LOGIN_REFUSED,
            request=request,
            actor=account,
            subject=account,
            summary=f"Sign-in paused ({standing.pause.scope.value})",
            data={"email": address},
        )
        return LoginOutcome(user=None, errors=(paused_message(standing.pause),), locked_until=standing.pause.until)

    user = authenticate(request, email=address, password=password)
    if user is not None:
        throttle.succeeded(standing)
        if outbox:  # the event and last_login through the outbox: one narrow insert now, in the log within seconds
            last_login_from_outbox(request)
        login(request, user)
        if outbox:
            audit_defer(action=AuditEvent.Action.LOGIN_SUCCEEDED, request=request, actor=user, subject=user)
        else:
            audit_record(action=AuditEvent.Action.LOGIN_SUCCEEDED, request=request, actor=user, subject=user)
        return LoginOutcome(user=user)

    failure = throttle.failed(standing)
    if failure.pause is not None:
        audit_record(
            action=AuditEvent.Action.LOCK_ACCOUNT
            if failure.pause.scope is lockout.Scope.ACCOUNT
            else AuditEvent.Action.LOCK_CLIENT,
            request=request,
            actor=account,
            subject=account,
            summary=f"Sign-in paused ({failure.pause.scope.value}) until {failure.pause.until:%H:%M} UTC",
            data={"email": address},
        )
        return LoginOutcome(user=None, errors=(paused_message(failure.pause),), locked_until=failure.pause.until)

    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        actor=account,
        subject=account,
        data={"email": address},
    )
    errors = [gettext(LOGIN_FAILED)]
    if password != password.strip():
        errors.append(gettext(LOGIN_SPACE_HINT))
    backoff = throttle.device if failure.scope is lockout.Scope.DEVICE and throttle.device else throttle.place
    if 0 < failure.remaining < backoff.free:
        first = backoff.pause_after(backoff.free) or timedelta(minutes=1)
        in_this_browser = failure.scope is lockout.Scope.DEVICE
        errors.append(remaining_message(n=failure.remaining, pause=first, in_this_browser=in_this_browser))
    return LoginOutcome(user=None, errors=tuple(errors))


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


def _reset_email_limits() -> tuple[Limit, Limit]:
    hour = timedelta(hours=1)
    return (
        Limit("reset-email-account", settings.EXAMDESK_RESET_EMAILS_PER_ACCOUNT, hour),
        # Higher per address: a school's pupils share one, and each may have forgotten a password.
        Limit("reset-email-address", settings.EXAMDESK_RESET_EMAILS_PER_ADDRESS, hour),
    )


def reset_emails_capped(*, email: str, request: HttpRequest | None) -> bool:
    """Count one reset or reminder e-mail for the typed address (whether or not an account has it) and the client;
    True when either has had its hour's e-mails already. The page says the same either way."""
    per_account, per_address = _reset_email_limits()
    counts = [per_account.hit(normalize_email(email))[0] > per_account.attempts]
    if request is not None:
        counts.append(per_address.hit(client_key(request))[0] > per_address.attempts)
    return any(counts)


@transaction.atomic
def password_reset_request(*, email: str, request: HttpRequest | None = None) -> None:
    """E-mail a single-use link if the account exists. The caller shows the same answer either way."""
    address = normalize_email(email)
    user = User.objects.filter(email=address, is_active=True).first()
    capped = reset_emails_capped(email=address, request=request)
    audit_record(
        action=AuditEvent.Action.RESET_REQUESTED,
        request=request,
        actor=user,
        subject=user,
        data={"email": address, "account_exists": user is not None, "capped": capped},
    )
    if user is None or capped:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    # Built from EXAMDESK_SITE_URL, never from the Host header a stranger could forge.
    link = f"{settings.EXAMDESK_SITE_URL}{reverse('accounts:password_reset_confirm', args=[uid, token])}"
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    email_queue(
        to=user.email,
        # In the language of the page it was asked from (a candidate's forgotten password, in theirs).
        subject=gettext("Reset your Examdesk password"),
        body=gettext(
            "Hello,\n\nSomeone (we hope you) asked to reset the password of the Examdesk account "
            "{email}.\n\nChoose a new password here. The link works once, for {minutes} minutes:\n"
            "{link}\n\nIf you did not ask for this, ignore this e-mail: your password stays as it is.\n"
        ).format(email=user.email, minutes=minutes, link=link),
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


def user_language_set(*, user: User, language: str) -> None:
    """Save a person's chosen language on their account (a choice, not a workflow: no audit)."""
    if not languages.is_supported(language):
        raise ValueError(f"Not a language Examdesk offers: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
