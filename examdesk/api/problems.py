"""Errors as RFC 9457 problem details (`application/problem+json`), with a field path for each problem."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja import Schema

PROBLEM_TYPE = "https://examdesk.org/problems/"
MEDIA_TYPE = "application/problem+json"
TITLES = {
    304: "Not modified",
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    422: "The request has problems",
    429: "Too many requests",
    500: "Server error",
}


class FieldProblem(Schema):
    path: str
    detail: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = []


class ApiError(Exception):
    """Raised by the API's interfaces; turned into a problem response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        kind: str = "",
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}
        self.kind = kind


def problem_body(status: int, detail: str, *, errors: list[dict[str, str]] | None = None, kind: str = "") -> bytes:
    title = TITLES.get(status, "Error")
    slug = kind or title.lower().replace(" ", "-")
    body = {"type": PROBLEM_TYPE + slug, "title": title, "status": status, "detail": detail, "errors": errors or []}
    return json.dumps(body).encode()


def problem_response(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    kind: str = "",
) -> HttpResponse:
    response = HttpResponse(problem_body(status, detail, errors=errors, kind=kind), status=status)
    response["Content-Type"] = MEDIA_TYPE
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """ninja's validation errors as field paths ("body.payload.unique_id" → "unique_id", "query.limit")."""
    found = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if len(location) >= 2 and location[0] == "body":
            location = location[2:] if len(location) > 2 else location[1:]
        found.append({"path": ".".join(location) or "body", "detail": str(error.get("msg", "Invalid value."))})
    return found
