"""The second step on every request: a signed-in person with two-step sign-in set up is asked for their code
before any page, and one whose role requires it is sent to set it up first.

Why a middleware rather than a step inside the sign-in view: every way a session becomes signed in (the sign-in
page, the candidates' sign-in, a completed password reset, an accepted invitation) meets the same step without
each of them knowing about it, and the password check and its throttles stay as they are. The session is signed
in from the password on, but until django-otp marks it verified (`django_otp.login`, which OTPMiddleware reads
back) the only pages it reaches are the challenge, the set-up and signing out.

A browser remembered for 30 days (the device cookie) passes at once: the session is verified with the user's
device. People without a device whose role does not require one are let through, and a short-lived signed cookie
(bound to the account and the session) notes it for a few minutes so that their pages pay no query for this. A
cookie rather than a session key: the session is not written again on every few minutes' page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from examdesk.accounts.generated_logins import is_login_email
from examdesk.accounts.second_factor import services

NOT_NEEDED_COOKIE = "examdesk_second_step"
NOT_NEEDED_SECONDS = 300
_SALT = "examdesk.accounts.second_factor.not_needed"
_OPEN_PREFIXES = ("/static/", "/healthz")


def _open_paths() -> set[str]:
    return {
        reverse("accounts:logout"),
        reverse("accounts:second_factor_challenge"),
        reverse("accounts:second_factor_enrol"),
    }


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._step(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if getattr(request, "_second_step_not_needed", False):
            response.set_cookie(
                NOT_NEEDED_COOKIE,
                signing.dumps(_binding(request), salt=_SALT),
                max_age=NOT_NEEDED_SECONDS,
                secure=bool(settings.SESSION_COOKIE_SECURE),
                httponly=True,
                samesite="Lax",
            )
        return response

    def _step(self, request: HttpRequest) -> HttpResponse | None:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if is_login_email(user.email):
            return None  # a generated login of a candidate: never staff
        if _noted(request):
            return None
        if request.path.startswith(_OPEN_PREFIXES) or request.path in _open_paths():
            return None
        device = services.second_factor_get(user=user)
        if device is not None:
            if services.browser_remembered(request, user=user, device=device):
                services.session_verify(request=request, device=device)
                return None
            return _to("accounts:second_factor_challenge", request)
        if services.second_factor_required(user=user):
            return _to("accounts:second_factor_enrol", request)
        request._second_step_not_needed = True  # type: ignore[attr-defined]
        return None


def _binding(request: HttpRequest) -> str:
    """The account and the session the note is for: signing out or in as someone else makes it void."""
    key = request.session.session_key or ""
    return hashlib.sha256(f"{request.user.pk}:{key}".encode()).hexdigest()[:32]


def _noted(request: HttpRequest) -> bool:
    raw = request.COOKIES.get(NOT_NEEDED_COOKIE)
    if not raw:
        return False
    try:
        return bool(signing.loads(raw, salt=_SALT, max_age=NOT_NEEDED_SECONDS) == _binding(request))
    except signing.BadSignature:
        return False


def _to(name: str, request: HttpRequest) -> HttpResponse:
    target = request.get_full_path() if request.method == "GET" else ""
    query = f"?{urlencode({'next': target})}" if target else ""
    return HttpResponseRedirect(reverse(name) + query)
