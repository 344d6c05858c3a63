from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app

log = logging.getLogger(__name__)


def _check_database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor


def _check_broker() -> tuple[bool, str]:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
        return True, str(conn.as_uri(include_password=False))


def _check_storage() -> tuple[bool, str]:
    storage = storages["private"]
    name = storage.save(f"healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with storage.open(name, "rb") as handle:
            ok = handle.read() == b"ok"
    finally:
        storage.delete(name)
    return ok, type(storage).__name__


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """State of the database, the broker and storage: 200 only when every one of them is usable."""
    report: dict[str, Any] = {}
    healthy = True
    for name, check in (
        ("database", _check_database),
        ("broker", _check_broker),
        ("storage", _check_storage),
    ):
        try:
            ok, detail = check()
        except Exception as error:  # noqa: BLE001 - any failure means "not usable", reported as such
            log.warning("healthz: %s unusable: %s", name, error)
            ok, detail = False, type(error).__name__
        report[name] = {"ok": ok, "detail": detail}
        healthy = healthy and ok
    report["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(report, status=200 if healthy else 503)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be why we are here.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: a form sent with an out-of-date token, most often because someone signed in or
    out on this browser (in another tab) after the form was opened, which gives the browser a new token.

    Never Django's bare page: say what happened and offer a way forward — reload the form, or, when someone is
    signed in now, sign them out and carry on (a pupil's /code/ page after a teacher signed in in another tab)."""
    user = request.user if request.user.is_authenticated else None
    return render(
        request,
        "csrf_failure.html",
        {"signed_in": user, "again": request.path if request.method == "POST" else ""},
        status=403,
    )
