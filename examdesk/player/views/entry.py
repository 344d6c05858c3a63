"""The student's way in at /code/: the access code, then a device check. No Django login: the attempt's id is kept
in the session under selectors.SESSION_KEY."""

from __future__ import annotations

import io
import math
import struct
import wave
from functools import cache

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from examdesk.accounts import services as accounts_services
from examdesk.core.browser_id import keeps_browser_id
from examdesk.core.time import now as current_time
from examdesk.player import services
from examdesk.player.selectors import SESSION_KEY, attempt_get_for_session
from examdesk.sittings.models import Attempt
from examdesk.sittings.services import attempt_start


@require_http_methods(["GET", "POST"])
@keeps_browser_id
def code(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"typed": ""}
    if request.user.is_authenticated:
        return render(request, "player/code.html", {"staff": request.user})
    if request.method == "POST":
        typed = request.POST.get("code", "")
        outcome = services.code_check(request=request, typed=typed)
        if outcome.attempt is not None:
            attempt = attempt_start(attempt=outcome.attempt)
            request.session.cycle_key()
            request.session[SESSION_KEY] = attempt.pk
            return redirect("player:check")
        context.update(typed=typed[:40], error=outcome.error)
        response = render(request, "player/code.html", context, status=429 if outcome.paused_until else 200)
        if outcome.paused_until is not None:
            seconds = max(1, math.ceil((outcome.paused_until - current_time()).total_seconds()))
            response["Retry-After"] = str(seconds)
        return response
    return render(request, "player/code.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    name = request.user.display_name if request.user.is_authenticated else ""
    accounts_services.logout_user(request=request)
    if name:
        messages.success(request, gettext("{name} has been signed out. Now type your access code.").format(name=name))
    return redirect("player:code")


def _attempt(request: HttpRequest) -> Attempt | None:
    attempt = attempt_get_for_session(session=request.session)
    if attempt is None or services.refusal(attempt=attempt, at=current_time()):
        request.session.pop(SESSION_KEY, None)
        return None
    return attempt


def _attempt_page(request: HttpRequest, template: str) -> HttpResponse:
    """A page of the way in for the attempt this browser entered a code for; without one, back to the code."""
    attempt = _attempt(request)
    if attempt is None:
        messages.info(request, gettext("Type your access code to begin."))
        return redirect("player:code")
    return render(request, template, {"attempt": attempt})


@require_GET
def device_check(request: HttpRequest) -> HttpResponse:
    return _attempt_page(request, "player/check.html")


@require_GET
def ready(request: HttpRequest) -> HttpResponse:
    return _attempt_page(request, "player/ready.html")


@cache
def _tone_wav() -> bytes:
    """One second of a 440 Hz tone, faded in and out: a small WAV every browser plays."""
    rate, seconds, frequency = 22050, 1.0, 440.0
    count = int(rate * seconds)
    fade = rate // 20
    frames = bytearray()
    for i in range(count):
        envelope = min(1.0, i / fade, (count - i) / fade)
        frames += struct.pack("<h", int(12000 * envelope * math.sin(2 * math.pi * frequency * i / rate)))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return out.getvalue()


@require_GET
def tone(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_tone_wav(), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response
