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
from django.utils.translation import gettext, gettext_noop, ngettext

from examdesk.accounts import lockout
from examdesk.accounts import services as accounts
from examdesk.accounts.generated_logins import is_login_email, login_email, looks_like_username
from examdesk.accounts.models import User, normalize_email
from examdesk.audit.models import AuditEvent
from examdesk.audit.outbox import audit_defer
from examdesk.audit.services import audit_record
from examdesk.core.errors import ApplicationError
from examdesk.core.mail import email_queue
from examdesk.core.ratelimit import Backoff
from examdesk.core.time import format_time_in_zone, now
from examdesk.results import keys
from examdesk.results.models import Entry, OnlineRegistration, PendingRegistration, Result
from examdesk.results.services import login_withdrawn

CONFIRMATION_HOURS = 24

# English constants (tests compare them), marked for the catalogue and translated where they are used.
WRONG_NUMBERS = gettext_noop(
    "The ID number and Secret Number do not match our records. Check them against your letter: "
    "the Secret Number is the 10-digit number under your ID number."
)
NUMBER_ALREADY_USED = gettext_noop(
    "This Secret Number has already been used to register. Sign in, or use 'Forgotten your password?'."
)
REGISTRATION_PAUSED = gettext_noop(
    "Too many wrong attempts. Registration with this ID number from this network address is paused until {until}. "
    "Check the numbers on your letter, and ask your centre if they do not work."
)
REGISTRATION_PAUSED_ID = gettext_noop(
    "Too many wrong attempts from several places. Registration with this ID number is paused until {until}. "
    "Check the numbers on your letter, and ask your centre if they do not work."
)
REGISTRATION_PAUSED_ADDRESS = gettext_noop(
    "Too many wrong attempts from this network address. Registration from this network address is paused until "
    "{until}. Check the numbers on your letter, and ask your centre if they do not work."
)
NEW_NUMBER_ISSUED = gettext_noop(
    "Your centre has issued a new Secret Number since you typed yours. Start again with the newest letter."
)
LINK_UNKNOWN = gettext_noop(
    "This link does not work. Check that you opened the whole link from the e-mail, or register again to get a new one."
)
LINK_EXPIRED = gettext_noop(
    "This link has expired: links work for {hours} hours. Register again with your ID number and Secret Number "
    "to get a new one."
)
LINK_USED = gettext_noop("This link has been used already: your registration is complete. Sign in to see your results.")
LOGIN_FAILED = gettext_noop(
    "The ID number or e-mail address, or the password, is not right. Passwords are case-sensitive."
)


def _secret_throttle() -> tuple[lockout.Throttle, Backoff]:
    """The sign-in rules (examdesk.accounts.lockout) for Secret Numbers, without known devices (nobody has signed in
    yet): per ID number and network address, growing pauses; across places, the ID number's run of failures slows
    every client down but never locks it; and one address trying many ID numbers is slowed too, from a count that a
    school's computer room, which shares one address, does not reach by mistyping."""
    throttle = lockout.Throttle(
        name="secret",
        device=None,
        place=lockout.place_backoff("secret-id-place", free=settings.EXAMDESK_LOCKOUT_FAILURES),
        account=lockout.account_backoff("secret-id"),
    )
    per_address = Backoff("secret-address", free=50, first=timedelta(minutes=1), longest=timedelta(minutes=10), step=10)
    return throttle, per_address


def _board_zone() -> str:
    return str(settings.EXAMDESK_BOARD_TIME_ZONE)


_PAUSED_BY_SCOPE = {lockout.Scope.PLACE: REGISTRATION_PAUSED, lockout.Scope.ACCOUNT: REGISTRATION_PAUSED_ID}


def secret_paused_message(until: datetime, scope: lockout.Scope | None = lockout.Scope.PLACE) -> str:
    """What a pause of Secret Number attempts means for this client (scope None: every ID number from here)."""
    text = (
        _PAUSED_BY_SCOPE.get(scope, REGISTRATION_PAUSED_ADDRESS) if scope is not None else REGISTRATION_PAUSED_ADDRESS
    )
    return gettext(text).format(until=format_time_in_zone(until, _board_zone()))


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
    throttle, per_address = _secret_throttle()
    standing = throttle.standing(request, key=id_number, account=None)
    address_until = per_address.paused_until(standing.place)
    if standing.pause is not None or address_until is not None:
        keys.secret_matches(id_number, 1, secret)  # the same work as a check, paused or not
        if standing.pause is not None and (address_until is None or standing.pause.until >= address_until):
            return SecretOutcome(
                None, (secret_paused_message(standing.pause.until, standing.pause.scope),), standing.pause.until
            )
        assert address_until is not None
        return SecretOutcome(None, (secret_paused_message(address_until, None),), address_until)

    registration = OnlineRegistration.objects.select_related("candidate").filter(id_number=id_number).first()
    if registration is None:
        keys.secret_matches(id_number, 1, secret)  # the same work as a real check: no probing by timing
        matched = False
    else:
        matched = keys.secret_matches(registration.id_number, registration.secret_version, secret)

    if matched and registration is not None:
        throttle.succeeded(standing)
        if is_used(registration):
            return SecretOutcome(None, (gettext(NUMBER_ALREADY_USED),))
        return SecretOutcome(registration)

    failure = throttle.failed(standing)
    _, address_until = per_address.hit(standing.place)
    if failure.pause is not None:
        return SecretOutcome(
            None, (secret_paused_message(failure.pause.until, failure.pause.scope),), failure.pause.until
        )
    if address_until is not None:
        return SecretOutcome(None, (secret_paused_message(address_until, None),), address_until)
    errors = [gettext(WRONG_NUMBERS)]
    if 0 < failure.remaining < throttle.place.free:
        first = throttle.place.pause_after(throttle.place.free) or timedelta(minutes=1)
        n = failure.remaining
        text = ngettext(
            "After {n} more wrong attempt, registration with this ID number from this network address is paused "
            "for {pause}.",
            "After {n} more wrong attempts, registration with this ID number from this network address is paused "
            "for {pause}.",
            n,
        )
        errors.append(text.format(n=n, pause=accounts.duration_text(first)))
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
        raise ApplicationError(gettext(NEW_NUMBER_ISSUED))
    if is_used(registration):
        raise ApplicationError(gettext(NUMBER_ALREADY_USED))
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
        # In the language of the page the candidate registered on (LocaleMiddleware made it active).
        subject=gettext("Confirm your Results Online registration"),
        body=gettext(
            "Hello {first_name},\n\n"
            "You (we hope) registered for Results Online with this e-mail address.\n\n"
            "To finish, open this link and press 'Confirm my registration'. "
            "The link works once, for {hours} hours:\n{link}\n\n"
            "Then sign in with your ID number ({id_number}) or this e-mail address, "
            "and the password you chose.\n\n"
            "If you did not register, ignore this e-mail: nothing happens without the link.\n"
        ).format(
            first_name=registration.candidate.first_name,
            hours=CONFIRMATION_HOURS,
            link=link,
            id_number=keys.group(registration.id_number, 3),
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
            return gettext(LINK_USED)
        return gettext(NUMBER_ALREADY_USED)
    if pending.expires_at <= now():
        return gettext(LINK_EXPIRED).format(hours=CONFIRMATION_HOURS)
    if not pending.password_hash:
        return gettext(LINK_UNKNOWN)
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
            raise ApplicationError(gettext(LINK_UNKNOWN))
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
    # Through the audit outbox: results day's sign-ins write one narrow row, not the log and last_login at once.
    outcome = accounts.login_attempt(
        request=request, email=email_for_identifier(identifier), password=password, outbox=True
    )
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
    staff_wording = gettext(accounts.LOGIN_FAILED)
    errors = tuple(gettext(LOGIN_FAILED) if message == staff_wording else message for message in outcome.errors)
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
    # Through the outbox (examdesk.audit.outbox): in the log within seconds, never lost, no log insert per download.
    audit_defer(
        action=AuditEvent.Action.STATEMENT_DOWNLOADED,
        request=request,
        actor=user,
        subject=user,
        centre=entry.centre,
        summary=f"Statement of {entry.qualification.name}, {entry.series.name}, candidate {entry.candidate_number}",
        data={"entry": entry.pk, "result": result.pk, "revision": result.revision},
    )
