"""Who is calling: the API key in `Authorization: Bearer`, its rate limit, and the scope an operation needs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from examdesk.api.keys import api_key_for_token, api_key_mark_used
from examdesk.api.models import ApiKey
from examdesk.api.problems import ApiError
from examdesk.centres.models import Board, Centre
from examdesk.core.ratelimit import Limit
from examdesk.core.time import now

WINDOW = 60  # seconds: the rate limit counts requests per key and minute
NO_SCOPE = "This API key may not {verb} {family}."
CENTRE_ONLY = "This operation needs a centre's API key."
BOARD_ONLY = "This operation needs a board's API key."


def _limit() -> Limit:
    return Limit("api", attempts=settings.EXAMDESK_API_RATE_PER_MINUTE, pause=timedelta(seconds=WINDOW))


class KeyAuth(HttpBearer):
    """A live key, counted against its limit; a revoked or expired key is refused at once (nothing is cached)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = api_key_for_token(token)
        if key is None:
            return None
        moment = now()
        window = int(moment.timestamp()) // WINDOW
        count, _ = _limit().hit(key.prefix, str(window))
        if count > settings.EXAMDESK_API_RATE_PER_MINUTE:
            retry = WINDOW - int(moment.timestamp()) % WINDOW
            raise ApiError(
                429,
                f"This key made more than {settings.EXAMDESK_API_RATE_PER_MINUTE} requests this minute.",
                headers={"Retry-After": str(retry)},
            )
        api_key_mark_used(key=key)
        return key


def key_of(request: HttpRequest) -> ApiKey:
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    return key


def centre_key(request: HttpRequest, family: str, *, write: bool = False) -> tuple[ApiKey, Centre]:
    """The calling centre key, if its scopes allow `family` (to write, when `write`): else 403."""
    key = key_of(request)
    if key.centre is None:
        raise ApiError(403, CENTRE_ONLY)
    _check_scope(key, family, write=write)
    return key, key.centre


def board_key(request: HttpRequest, family: str, *, write: bool = False) -> tuple[ApiKey, Board]:
    key = key_of(request)
    if key.centre is not None:
        raise ApiError(403, BOARD_ONLY)
    _check_scope(key, family, write=write)
    return key, key.board


def _check_scope(key: ApiKey, family: str, *, write: bool) -> None:
    granted = key.scopes.get(family, "")
    if granted == "write" or (granted == "read" and not write):
        return
    raise ApiError(403, NO_SCOPE.format(verb="write" if write else "read", family=family.replace("_", " ")))


def actor_of(request: HttpRequest) -> Any:
    """The person a key acts for (its creator): the services audit them, with the key beside (api.write)."""
    return key_of(request).created_by
