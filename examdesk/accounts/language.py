"""The language switcher: the choice is kept in the language cookie and, for a signed-in person, on the account.

LocaleMiddleware picks the language from the cookie, then the browser's Accept-Language. A signed-in person who
chose a language on another browser gets it here too: AccountLanguageMiddleware, after authentication, activates
the account's language over both.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from examdesk.accounts.services import user_language_set
from examdesk.core import languages


class AccountLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if languages.is_supported(chosen) and chosen != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """POST language, next: remember the choice (cookie, and the account when signed in), then go back."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if not languages.is_supported(language):
        return response
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax" in the settings
    )
    return response
