"""Load shedding: beyond what a web process can work on at once, answer at once with 503 and Retry-After.

On results day more people can arrive than the machine can serve. Without a limit every request waits in a
queue that only grows, until each one times out (the "timeout wall"): nobody is served. With gunicorn's threaded
workers (`examdesk serve --threads N`) a process accepts up to N requests; this middleware lets at most
EXAMDESK_MAX_IN_FLIGHT of them run at once and answers the others immediately with a short 503 page and a
Retry-After header, so the requests that are admitted finish in normal time and the rest know when to come
back. Sessions are untouched: a shed request changes nothing. 0 (the default) turns it off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

BUSY_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Busy: please try again</title>"
    "<h1>Examdesk is very busy</h1><p>Many people are using Examdesk right now. Nothing has been lost: "
    "please try again in {seconds} seconds.</p></html>"
)


class InFlightLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = int(getattr(settings, "EXAMDESK_MAX_IN_FLIGHT", 0))
        self.retry_after = int(getattr(settings, "EXAMDESK_RETRY_AFTER_SECONDS", 5))
        self.in_flight = 0
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.limit <= 0:
            return self.get_response(request)
        with self.lock:
            admitted = self.in_flight < self.limit
            if admitted:
                self.in_flight += 1
        if not admitted:
            return busy(self.retry_after)
        try:
            return self.get_response(request)
        finally:
            with self.lock:
                self.in_flight -= 1


def busy(seconds: int) -> HttpResponse:
    response = HttpResponse(BUSY_PAGE.format(seconds=seconds), status=503)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
