"""Filled in by the bulk statements work (issue 5); until then these pages do not exist."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def start(request: HttpRequest, number: str) -> HttpResponse:
    raise Http404


def status(request: HttpRequest, number: str, run_id: str) -> HttpResponse:
    raise Http404
