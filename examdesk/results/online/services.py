"""Results Online for candidates: registration with the ID number and Secret Number, confirmation by e-mail,
sign-in and forgotten password by ID number, and the statement download record.

Sign-in and password reset are the accounts app's own services: an ID number is only turned into the registered
e-mail address first, so the lockout, its messages and the reset links are the same for everyone.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import import_string

from examdesk.accounts import services as accounts
from examdesk.accounts.generated_logins import is_login_email, login_email, looks_like_username
from examdesk.accounts.models import User, normalize_email
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.core.errors import ApplicationError
from examdesk.core.mail import email_queue
from examdesk.core.ratelimit import Limit, client_key
from examdesk.core.time import format_time_in_zone, now
from examdesk.results import keys
from examdesk.results.models import Entry, OnlineRegistration, PendingRegistration, Result
from examdesk.results.services import login_withdrawn

CONFIRMATION_HOURS = 24

WRONG_NUMBERS = (
    "The ID number and Secret Number do not match our records. Check them against your letter: "
    "the Secret Number is the 10-digit number under your ID number."
)
NUMBER_ALREADY_USED = (
    "This Secret Number has already been used to register. Sign in, or use 'Forgotten your password?'."
)
ATTEMPTS_REMAINING = "After {n} more wrong attempt{s}, registration from this device is paused for {minutes} minutes."
REGISTRATION_PAUSED = (
    "Too many wrong attempts. Registration with this ID number from this device is paused until {until}. "
    "Check the numbers on your letter, and ask your centre if they do not work."
)
NEW_NUMBER_ISSUED = (
    "Your centre has issued a new Secret Number since you typed yours. Start again with the newest letter."
)
LINK_UNKNOWN = (
    "This link does not work. Check that you opened the whole link from the e-mail, or register again to get a new one."
)
LINK_EXPIRED = (
    "This link has expired: links work for {hours} hours. Register again with your ID number and Secret Number "
    "to get a new one."
)
LINK_USED = "This link has been used already: your registration is complete. Sign in to see your results."
LOGIN_FAILED = "The ID number or e-mail address, or the password, is not right. Passwords are case-sensitive."


def _secret_limits() -> tuple[Limit, Limit, Limit]:
    pause = settings.AXES_COOLOFF_TIME
    return (
        # Like sign-in: 3 failures for one ID number from one device pause that device for that ID number …
        Limit("secret-id-client", settings.AXES_FAILURE_LIMIT, pause),
        # … a higher ceiling across devices stops a spread-out guess at one candidate's Secret Number …
        Limit("secret-id", settings.EXAMDESK_ACCOUNT_FAILURE_CEILING, pause),
        # … and one device trying many ID numbers is paused too (higher: a school's computer room shares one).
        Limit("secret-client", 2 * settings.EXAMDESK_ACCOUNT_FAILURE_CEILING, pause),
    )


def _board_zone() -> str:
    return str(settings.EXAMDESK_BOARD_TIME_ZONE)


def secret_paused_message(until: datetime) -> str:
    return REGISTRATION_PAUSED.format(until=format_time_in_zone(until, _board_zone()))


# --- Registration -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SecretOutcome:
    """The result of typing an ID number and a Secret Number: the registration, or why not."""

    registration: OnlineRegistration | None
    errors: tuple[str, ...] = ()
    paused_until: datetime | None = None


def registration_secret_check(*, id_number: str, secret: str, request: HttpRequest) -> SecretOutcome:
    """Check a typed ID number (already Luhn-checked by the form) and Secret Number.

    The answer never says whether the ID number exists; wrong guesses are limited per ID number and device.
    """
    id_number = keys.clean_typed_number(id_number)
    client = client_key(request)
    per_id_client, per_id, per_client = _secret_limits()
    pauses = [
        per_id_client.paused_until(id_number, client),
        per_id.paused_until(id_number),
        per_client.paused_until(client),
    ]
    paused = max((until for until in pauses if until is not None), default=None)
    if paused is not None:
        return SecretOutcome(None, (secret_paused_message(paused),), paused)

    registration = OnlineRegistration.objects.select_related("candidate").filter(id_number=id_number).first()
    if registration is None:
        keys.secret_matches(id_number, 1, secret)  # the same work as a real check: no probing by timing
        matched = False
    else:
        matched = keys.secret_matches(registration.id_number, registration.secret_version, secret)

    if matched and registration is not None:
        per_id_client.clear(id_number, client)
        if is_used(registration):
            return SecretOutcome(None, (NUMBER_ALREADY_USED,))
        return SecretOutcome(registration)

    count, until = per_id_client.hit(id_number, client)
    _, until_id = per_id.hit(id_number)
    _, until_client = per_client.hit(client)
    paused = max((moment for moment in (until, until_id, until_client) if moment is not None), default=None)
    if paused is not None:
        return SecretOutcome(None, (secret_paused_message(paused),), paused)
    errors = [WRONG_NUMBERS]
    remaining = per_id_client.attempts - count
    if remaining > 0:
        minutes = int(per_id_client.pause.total_seconds() // 60)
        errors.append(ATTEMPTS_REMAINING.format(n=remaining, s="" if remaining == 1 else "s", minutes=minutes))
    return SecretOutcome(None, tuple(errors))


def is_used(registration: OnlineRegistration) -> bool:
    """A Secret Number registers one account: once a registration has its account, it is used. A generated login
    the centre has withdrawn does not count: the candidate may register with their letter at once."""
    if registration.registered_at is not None:
        return True
    return registration.user_id is not None and not login_withdrawn(registration=registration)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def registration_start(
    *, registration_id: int, secret_version: int, email: str, password: str, request: HttpRequest | None = None
) -> PendingRegistration:
    """Keep the chosen e-mail and password (hashed) and e-mail a confirmation link that works for 24 hours.

    The password has passed the account rules in the form. Nothing is created until the link is used.
    """
    registration = OnlineRegistration.objects.select_related("candidate").get(pk=registration_id)
    if registration.secret_version != secret_version:
        raise ApplicationError(NEW_NUMBER_ISSUED)
    if is_used(registration):
        raise ApplicationError(NUMBER_ALREADY_USED)
    token = secrets.token_urlsafe(32)
    pending = PendingRegistration.objects.create(
        registration=registration,
        email=normalize_email(email),
        password_hash=make_password(password),
        token_hash=_token_hash(token),
        expires_at=now() + timedelta(hours=CONFIRMATION_HOURS),
    )
    # Built from EXAMDESK_SITE_URL, never from the Host header a stranger could forge.
    link = f"{settings.EXAMDESK_SITE_URL}{reverse('online:register_confirm', args=[token])}"
    email_queue(
        to=pending.email,
        subject="Confirm your Results Online registration",
        body=(
            f"Hello {registration.candidate.first_name},\n\n"
            f"You (we hope) registered for Results Online with this e-mail address.\n\n"
            f"To finish, open this link and press 'Confirm my registration'. "
            f"The link works once, for {CONFIRMATION_HOURS} hours:\n{link}\n\n"
            f"Then sign in with your ID number ({keys.group(registration.id_number, 3)}) or this e-mail address, "
            f"and the password you chose.\n\n"
            f"If you did not register, ignore this e-mail: nothing happens without the link.\n"
        ),
    )
    return pending


@dataclass(frozen=True)
class PendingView:
    """What the confirmation page may say about a link before it is used."""

    pending: PendingRegistration
    error: str = ""


def registration_pending_for(*, token: str) -> PendingView | None:
    """The pending registration behind a link, with the reason it cannot be used (if any). Reads only."""
    pending = (
        PendingRegistration.objects.select_related("registration__candidate", "registration__user")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if pending is None:
        return None
    return PendingView(pending, _pending_problem(pending, pending.registration))


def _pending_problem(pending: PendingRegistration, registration: OnlineRegistration) -> str:
    if is_used(registration):
        user = registration.user
        if not pending.password_hash and user is not None and user.email == pending.email:
            return LINK_USED
        return NUMBER_ALREADY_USED
    if pending.expires_at <= now():
        return LINK_EXPIRED.format(hours=CONFIRMATION_HOURS)
    if not pending.password_hash:
        return LINK_UNKNOWN
    return ""


@dataclass(frozen=True)
class Confirmed:
    user: User
    existing_account: bool
    registration: OnlineRegistration


def registration_confirm(*, token: str, request: HttpRequest | None = None) -> Confirmed:
    """Use a confirmation link: the Secret Number is checked to be unused and the account is opened, at once.

    The registration row is locked first, so two links racing for one Secret Number cannot both win.
    An account that already has this e-mail address is linked, and its password is never changed.
    """
    with transaction.atomic():
        pending = PendingRegistration.objects.filter(token_hash=_token_hash(token)).first()
        if pending is None:
            raise ApplicationError(LINK_UNKNOWN)
        registration = (
            OnlineRegistration.objects.select_for_update(of=("self",))
            .select_related("candidate__centre", "user")
            .get(pk=pending.registration_id)
        )
        pending.refresh_from_db()
        problem = _pending_problem(pending, registration)
        if problem:
            raise ApplicationError(problem)

        candidate = registration.candidate
        existing = User.objects.filter(email=pending.email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user = User.objects.create(
                        email=pending.email, full_name=candidate.full_name, password=pending.password_hash
                    )
            except IntegrityError:  # the same address registered a moment ago by another registration
                user = User.objects.get(email=pending.email)
                existing = user
        else:
            user = existing

        registration.user = user
        registration.registered_at = now()
        registration.save(update_fields=["user", "registered_at"])
        # Every link of this registration is spent; no password hash is kept beyond this point.
        PendingRegistration.objects.filter(registration=registration).update(password_hash="")
        audit_record(
            action=AuditEvent.Action.REGISTERED,
            request=request,
            actor=user,
            subject=user,
            centre=candidate.centre,
            summary=f"ID number {registration.id_number} registered for Results Online",
            data={"id_number": registration.id_number, "existing_account": existing is not None},
        )
    return Confirmed(user=user, existing_account=existing is not None, registration=registration)


# --- Sign-in and forgotten password -------------------------------------------------------------------


def email_for_identifier(identifier: str) -> str:
    """An e-mail address as typed, or the registered address of a typed ID number.

    An ID number nobody has registered stays as it is: sign-in then fails (and is counted) like a wrong
    password, and a reset request sends nothing, so neither answer tells whether the ID number exists.
    """
    if "@" in identifier:
        return identifier
    if looks_like_username(identifier):  # a generated login from the centre's letter
        return login_email(identifier)
    id_number = keys.clean_typed_number(identifier)
    registration = (
        OnlineRegistration.objects.select_related("user").filter(id_number=id_number, user__isnull=False).first()
    )
    if registration is None or registration.user is None:
        return id_number
    return registration.user.email


def login_refusal(user: Any) -> str:
    """Why `user` may not sign in to Results Online now ("" when they may), as settings.EXAMDESK_LOGIN_REFUSAL
    decides: a generated login whose centre has withdrawn access is refused (examdesk/access/selectors.py)."""
    refusal: str = import_string(settings.EXAMDESK_LOGIN_REFUSAL)(user=user)
    return refusal


def candidate_login_attempt(*, request: HttpRequest, identifier: str, password: str) -> accounts.LoginOutcome:
    """Sign in with an ID number or an e-mail address: the accounts sign-in, lockout and messages."""
    outcome = accounts.login_attempt(request=request, email=email_for_identifier(identifier), password=password)
    if outcome.user is not None:
        # A generated login works only while the centre gives the candidate access (decided now, every time).
        refusal = login_refusal(outcome.user)
        if refusal:
            logout(request)
            audit_record(
                action=AuditEvent.Action.LOGIN_REFUSED,
                request=request,
                actor=outcome.user,
                subject=outcome.user,
                summary="Results access withdrawn by the centre",
            )
            return accounts.LoginOutcome(user=None, errors=(refusal,))
    errors = tuple(LOGIN_FAILED if message == accounts.LOGIN_FAILED else message for message in outcome.errors)
    return accounts.LoginOutcome(user=outcome.user, errors=errors, locked_until=outcome.locked_until)


def candidate_password_reset_request(*, identifier: str, request: HttpRequest | None = None) -> None:
    """Send the accounts reset link to the registered address. The page answers the same way either way.

    A generated login has no real address: nothing is sent (its centre gives a new password instead)."""
    address = email_for_identifier(identifier)
    if is_login_email(address):
        return
    accounts.password_reset_request(email=address, request=request)


# --- Statements -------------------------------------------------------------------------------------


def statement_download_record(*, user: Any, entry: Entry, result: Result, request: HttpRequest | None = None) -> None:
    audit_record(
        action=AuditEvent.Action.STATEMENT_DOWNLOADED,
        request=request,
        actor=user,
        subject=user,
        centre=entry.centre,
        summary=f"Statement of {entry.qualification.name}, {entry.series.name}, candidate {entry.candidate_number}",
        data={"entry": entry.pk, "result": result.pk, "revision": result.revision},
    )
