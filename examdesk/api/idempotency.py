"""The API's request plumbing around every view: the body limit (413), `Idempotency-Key` on POST, the audit of
writes, problems for unknown addresses. A Django middleware, so that a replayed answer is the very bytes of the
first one.

A POST with a key first inserts its record (committed on its own, before the work): a twin sent at the same
moment finds it and waits for the first answer instead of doing the work again; on PostgreSQL the unique
constraint decides between them. The same key with another body is a 422.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from examdesk.api.keys import api_key_audit_write, api_key_for_token
from examdesk.api.models import ApiKey, IdempotencyRecord
from examdesk.api.problems import problem_response
from examdesk.core.time import now

PREFIX = "/api/"
KEEP = timedelta(days=1)  # how long a retry is answered from the record (idempotency_records_expire)
WRITES = ("POST", "PUT", "PATCH", "DELETE")
WAIT_SECONDS = 10.0
KEY_REUSED = "This Idempotency-Key was sent before with a different request."
STILL_RUNNING = "A request with this Idempotency-Key is still being worked on; retry in a moment."
TOO_LARGE = "The request body is larger than {limit} bytes; send fewer rows per request."
KEY_TOO_LONG = "An Idempotency-Key has at most 255 characters."


def _request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class ApiRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        limit = settings.EXAMDESK_API_MAX_BODY_BYTES
        if request.content_type == "multipart/form-data":  # a file upload (an import, a results file)
            limit = max(limit, settings.EXAMDESK_API_MAX_UPLOAD_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return problem_response(413, TOO_LARGE.format(limit=limit))
        idempotency_key = request.headers.get("Idempotency-Key", "")
        # A body Django will not hold in memory (a large upload) is not hashed: it runs as sent; its job is
        # polled by id, so a retry makes at most another check job and writes nothing.
        readable = length <= (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or length)
        if request.method == "POST" and idempotency_key and readable:
            response = self._idempotent(request, idempotency_key)
        else:
            response = self.get_response(request)
        self._audit(request, response)
        if response.status_code in (404, 405) and response.get("Content-Type", "").startswith("text/html"):
            # No such address under /api/ (Django's own page): the API answers in its own format.
            detail = "No such resource." if response.status_code == 404 else "This method is not allowed here."
            return problem_response(response.status_code, detail)
        return response

    def _idempotent(self, request: HttpRequest, idempotency_key: str) -> HttpResponse:
        if len(idempotency_key) > 255:
            return problem_response(422, KEY_TOO_LONG, errors=[{"path": "Idempotency-Key", "detail": KEY_TOO_LONG}])
        key = api_key_for_token(_bearer(request))
        if key is None:
            return self.get_response(request)  # the view answers 401
        request_hash = _request_hash(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(api_key=key, key=idempotency_key, request_hash=request_hash)
        except IntegrityError:
            return self._replay(key, idempotency_key, request_hash)
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500 or response.streaming:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()  # nothing was done: a retry may try again
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=response.content,
            )
        return response

    def _replay(self, key: ApiKey, idempotency_key: str, request_hash: str) -> HttpResponse:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            record = IdempotencyRecord.objects.filter(api_key=key, key=idempotency_key).first()
            if record is not None and record.request_hash != request_hash:
                return problem_response(
                    422, KEY_REUSED, errors=[{"path": "Idempotency-Key", "detail": KEY_REUSED}], kind="key-reused"
                )
            if record is not None and record.status is not None:
                response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type)
                response["Idempotent-Replayed"] = "true"
                return response
            if time.monotonic() > deadline:
                return problem_response(409, STILL_RUNNING, headers={"Retry-After": "1"})
            time.sleep(0.05)

    def _audit(self, request: HttpRequest, response: HttpResponse) -> None:
        key = getattr(request, "auth", None)
        if request.method in WRITES and isinstance(key, ApiKey) and response.status_code < 400:
            if response.get("Idempotent-Replayed") != "true":
                api_key_audit_write(key=key, request=request, status=response.status_code)


def idempotency_records_expire() -> int:
    """Forget the answers older than a day (a client retries within minutes). Returns how many."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=now() - KEEP).delete()
    return deleted
