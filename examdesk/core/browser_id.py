"""A per-browser id: a random value in a signed cookie, set on a browser's first visit to a page that counts
attempts (/code/, /verify/). Throttles keyed on it pause one browser, not everyone behind the same address (a
school's computer room). A client that drops the cookie gets a new id each time, so every such throttle also has a
higher per-address ceiling (examdesk.core.ratelimit.client_key)."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any, Final

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE_NAME: Final = "examdesk_browser"
_SALT: Final = "examdesk.core.browser_id"
_AGE: Final = 60 * 60 * 24 * 365
_NEW: Final = "_examdesk_browser_id_new"


def browser_id(request: HttpRequest) -> str:
    """This browser's id: the one its cookie carries when the signature holds, else a new one (set on the response
    by `keeps_browser_id`)."""
    new: str | None = getattr(request, _NEW, None)
    if new is not None:
        return new
    known = request.get_signed_cookie(COOKIE_NAME, default=None, salt=_SALT)
    if known:
        return str(known)
    new = secrets.token_urlsafe(16)
    setattr(request, _NEW, new)
    return new


def keeps_browser_id(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose browser gets an id cookie on its first visit."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        browser_id(request)
        response = view(request, *args, **kwargs)
        new: str | None = getattr(request, _NEW, None)
        if new is not None:
            response.set_signed_cookie(
                COOKIE_NAME,
                new,
                salt=_SALT,
                max_age=_AGE,
                secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
                httponly=True,
                samesite="Lax",
            )
        return response

    return wrapped
