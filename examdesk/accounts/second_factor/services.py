"""Two-step sign-in: enrolment, the challenge, recovery codes, removal and reset. Atomic, keyword-only, audited.

Rules:
- Enrolment makes an unconfirmed TOTP device, shows it as a QR code and as text, and confirms it only with a code
  the app shows: a mistyped secret never locks anyone out. Confirming also makes ten recovery codes (a django-otp
  static device), shown once; each works once.
- Who must use it is a setting: EXAMDESK_MFA_REQUIRED_ROLES (default board staff and centre admins), read against
  the roles the centres app reports (settings.EXAMDESK_SIGN_IN_ROLES, a dotted path: accounts does not import
  centres). Anyone else may add or remove it from the account area.
- "Remember this browser for 30 days" is the device cookie's second-factor part (examdesk.accounts.devices). A
  remembered browser counts only for the device enrolled before it was remembered: after a reset or a new
  enrolment, every browser is asked again.
- Wrong codes are throttled by django-otp per device (growing delays: 1, 2, 4… seconds) and audited.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

import django_otp
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from examdesk.accounts import devices
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.core.errors import ApplicationError
from examdesk.core.time import format_in_zone, now

REMEMBER_DAYS: Final = 30
RECOVERY_CODES: Final = 10
APP_NAME: Final = "Authenticator app"
RECOVERY_NAME: Final = "Recovery codes"

WRONG_CODE = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes."
)
ENROL_WRONG_CODE = (
    "The code is not right. Check that the app shows Examdesk and your e-mail address, then enter the 6-digit code "
    "it shows now."
)
CODE_REQUIRED = "Enter the code from your authenticator app."
TOO_MANY = "Too many wrong codes. Wait until {until}, then enter the code your app shows then."
NOT_ENROLLING = "Start setting up two-step sign-in again: the set-up was finished or has expired."


def _roles_of(user: Any) -> set[str]:
    """The roles `user` holds anywhere ("board_staff", "centre_admin", …), as the centres app says."""
    roles: set[str] = import_string(settings.EXAMDESK_SIGN_IN_ROLES)(user=user)
    return roles


def second_factor_required(*, user: Any) -> bool:
    """Whether `user` must use two-step sign-in (EXAMDESK_MFA_REQUIRED_ROLES against their roles)."""
    required = set(settings.EXAMDESK_MFA_REQUIRED_ROLES)
    return bool(required) and bool(required & _roles_of(user))


def second_factor_get(*, user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def second_factor_user_ids(*, user_ids: list[int]) -> set[int]:
    """Which of these people have two-step sign-in set up (the staff page's column)."""
    found = TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True)
    return set(found)


def recovery_codes_left(*, user: Any) -> int:
    left: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return left


def browser_remembered(request: HttpRequest, *, user: Any, device: TOTPDevice) -> bool:
    """This browser was told to remember the second factor for `user`, after `device` was set up, and it has not
    expired (the device cookie's part; see the module)."""
    if not devices.second_factor_remembered(request, user=user):
        return False
    entry = devices._entry(request, user)
    until = entry.second_factor_until if entry else None
    granted = until - timedelta(days=REMEMBER_DAYS) if until else None
    created = getattr(device, "created_at", None)
    # The cookie keeps whole seconds.
    return granted is not None and (created is None or granted >= created.replace(microsecond=0))


def session_verify(*, request: HttpRequest, device: Any) -> None:
    """Mark this session as past the second step (django-otp keeps the device in the session)."""
    django_otp.login(request, device)


# --- Enrolment --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, in groups of four, for typing into an app
    qr_data_uri: str  # an SVG image as a data: URI (the CSP allows data: images, no external ones)


def _secret_text(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _qr_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@transaction.atomic
def enrolment_start(*, user: Any) -> Enrolment:
    """The unconfirmed device to set up (made once and shown again on reload, so a scanned code stays valid)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return Enrolment(device=device, secret=_secret_text(device), qr_data_uri=_qr_data_uri(device.config_url))


def _clean(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def _throttled(device: Any, zone: str) -> str:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return ""
    until: datetime | None = (data or {}).get("locked_until")
    return TOO_MANY.format(until=format_in_zone(until, zone) if until else "a minute from now")


@transaction.atomic
def enrolment_confirm(*, request: HttpRequest, user: Any, token: str) -> list[str]:
    """Confirm the device being set up with a code it shows; returns the new recovery codes (shown once).

    Any earlier app and recovery codes are replaced. The session counts as verified from now on."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise ApplicationError(NOT_ENROLLING)
    token = _clean(token)
    if not token:
        raise ApplicationError(CODE_REQUIRED, field="token")
    problem = _throttled(device, settings.EXAMDESK_BOARD_TIME_ZONE)
    if problem:
        raise ApplicationError(problem, field="token")
    if not device.verify_token(token):
        raise ApplicationError(ENROL_WRONG_CODE, field="token")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user=user)
    session_verify(request=request, device=device)
    audit_record(
        action=AuditEvent.Action.SECOND_FACTOR_ADDED,
        request=request,
        actor=user,
        subject=user,
        summary="Two-step sign-in set up (authenticator app and recovery codes)",
    )
    return codes


def _recovery_codes_replace(*, user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def recovery_codes_renew(*, request: HttpRequest, user: Any) -> list[str]:
    """New recovery codes (the old ones stop working), for a user who has two-step sign-in."""
    if second_factor_get(user=user) is None:
        raise ApplicationError("Set up two-step sign-in first.")
    codes = _recovery_codes_replace(user=user)
    audit_record(
        action=AuditEvent.Action.SECOND_FACTOR_CODES_RENEWED,
        request=request,
        actor=user,
        subject=user,
        summary="New recovery codes made (the old ones stopped working)",
    )
    return codes


# --- The challenge ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Challenge:
    ok: bool
    error: str = ""
    recovery_code_used: bool = False


@transaction.atomic
def challenge_answer(*, request: HttpRequest, user: Any, token: str) -> Challenge:
    """Check a code from the app, or a recovery code (which then stops working); on success the session is
    verified. Wrong codes are throttled per device and audited."""
    token = _clean(token)
    if not token:
        return Challenge(False, CODE_REQUIRED)
    app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
    static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    zone = settings.EXAMDESK_BOARD_TIME_ZONE
    # Six digits are the app's code; anything else a recovery code (eight letters and digits).
    candidates: list[Any] = [app] if token.isdigit() and len(token) == 6 else [static]
    for device in candidates:
        if device is None:
            continue
        problem = _throttled(device, zone)
        if problem:
            return Challenge(False, problem)
        if device.verify_token(token):
            session_verify(request=request, device=device)
            used = isinstance(device, StaticDevice)
            if used:
                audit_record(
                    action=AuditEvent.Action.SECOND_FACTOR_RECOVERY_USED,
                    request=request,
                    actor=user,
                    subject=user,
                    summary=f"Signed in with a recovery code ({recovery_codes_left(user=user)} left)",
                )
            return Challenge(True, recovery_code_used=used)
    audit_record(
        action=AuditEvent.Action.SECOND_FACTOR_FAILED,
        request=request,
        actor=user,
        subject=user,
        summary="Wrong two-step sign-in code",
    )
    return Challenge(False, WRONG_CODE)


def browser_remember(response: HttpResponse, *, request: HttpRequest, user: Any, remember: bool) -> None:
    """After the second step: "remember this browser for 30 days" in the device cookie, or keep what it had."""
    until: Any = now() + timedelta(days=REMEMBER_DAYS) if remember else devices.KEEP
    devices.device_remember(response, user=user, request=request, second_factor_until=until)


# --- Removal and reset ------------------------------------------------------------------------------------------


def _delete_all(user: Any) -> bool:
    found: bool = TOTPDevice.objects.filter(user=user).exists() or StaticDevice.objects.filter(user=user).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return found


@transaction.atomic
def second_factor_remove(*, request: HttpRequest, user: Any) -> None:
    """The user turns two-step sign-in off (only when it is not required of them)."""
    if second_factor_required(user=user):
        raise ApplicationError("Two-step sign-in is required for your role: it cannot be turned off.")
    if _delete_all(user):
        audit_record(
            action=AuditEvent.Action.SECOND_FACTOR_REMOVED,
            request=request,
            actor=user,
            subject=user,
            summary="Two-step sign-in turned off",
        )


@transaction.atomic
def second_factor_reset(*, actor: Any, user: Any, centre: Any, request: HttpRequest | None = None) -> bool:
    """A centre admin resets a member's second factor (lost phone and recovery codes): the app and the recovery
    codes are removed, and every browser that remembered them is asked again. The member sets it up anew at their
    next sign-in when it is required of them. Audited at the centre. False when there was nothing to reset."""
    found = _delete_all(user)
    audit_record(
        action=AuditEvent.Action.SECOND_FACTOR_RESET,
        request=request,
        actor=actor,
        subject=user,
        centre=centre,
        summary=f"Two-step sign-in of {user.email} reset" + ("" if found else " (none was set up)"),
    )
    return found
