"""The REST API's one NinjaAPI: versioned path, OpenAPI 3.1, local Swagger UI, problems, ETags."""

from __future__ import annotations

import hashlib
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from examdesk.api.auth import KeyAuth
from examdesk.api.problems import MEDIA_TYPE, ApiError, problem_response, validation_errors
from examdesk.core.errors import ApplicationError

VERSION = "1.0.0"
DESCRIPTION = """Examdesk's REST API for schools' information systems and the board's systems.

Authenticate with `Authorization: Bearer <key>` (keys are made on the centre's *API keys* page).
Lists use cursor pagination (`cursor`, `limit`; follow `next_cursor`) in a stable order, and take `updated_since`
for incremental sync. Reads send an `ETag`; send it back in `If-None-Match` to get `304`. Every POST takes an
`Idempotency-Key` header: a retry with the same key and body returns the first answer and does nothing twice.
Errors are `application/problem+json` (RFC 9457) with a field path for each problem. Changes to v1 are additive.
"""

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "detail"],
                "properties": {"path": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
}
ERRORS_EVERYWHERE = {
    400: "The body cannot be read (not JSON)",
    401: "No valid API key",
    403: "The key's scopes do not allow this",
    404: "Not found",
    422: "The request has problems",
    429: "Rate limit reached (see Retry-After)",
}
ERRORS_OF_WRITES = {409: "A request with this Idempotency-Key is still running", 413: "Request body too large"}
IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique text (a UUID): a retry with the same key and body is answered as the first was.",
    "schema": {"type": "string", "maxLength": 255},
}


class ExamdeskApi(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if request.method == "GET" and response.status_code == 200:
            tag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = tag
            wanted = [part.strip() for part in request.headers.get("If-None-Match", "").split(",")]
            if tag in wanted or "*" in wanted:
                not_modified = HttpResponse(status=304)
                not_modified["ETag"] = tag
                return not_modified
        return response

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                errors = dict(ERRORS_EVERYWHERE)
                if method in ("post", "put", "patch", "delete"):
                    errors |= ERRORS_OF_WRITES
                if method == "post":
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_HEADER)
                if method == "get":
                    responses.setdefault(304, {"description": "Not modified (If-None-Match)"})
                for status, description in errors.items():
                    responses[status] = {"description": description, "content": problem}
        return schema


def _on_api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return problem_response(error.status, error.detail, errors=error.errors, headers=error.headers, kind=error.kind)


def _on_validation(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = validation_errors(list(error.errors))
    return problem_response(422, "Some values are missing or not valid.", errors=errors)


def _on_authentication(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    detail = "Send a live API key as 'Authorization: Bearer <key>'. Revoked and expired keys are refused."
    return problem_response(401, detail, headers={"WWW-Authenticate": "Bearer"})


def _on_not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem_response(404, str(error) or "Not found.")


def _on_application_error(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    errors = [{"path": error.field or "", "detail": error.message}]
    return problem_response(422, error.message, errors=errors)


def _on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem_response(error.status_code, str(error))


def build_api() -> ExamdeskApi:
    from examdesk.api.routers import board, candidates, jobs, results, sittings

    api = ExamdeskApi(
        title="Examdesk API",
        version=VERSION,
        description=DESCRIPTION,
        auth=KeyAuth(),
        urls_namespace="api-v1",
        docs=Swagger(settings={"persistAuthorization": False}),
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    api.add_exception_handler(ApiError, cast(Any, _on_api_error))
    api.add_exception_handler(ValidationError, cast(Any, _on_validation))
    api.add_exception_handler(AuthenticationError, cast(Any, _on_authentication))
    api.add_exception_handler(Http404, cast(Any, _on_not_found))
    api.add_exception_handler(ApplicationError, cast(Any, _on_application_error))
    api.add_exception_handler(HttpError, cast(Any, _on_http_error))
    api.add_router("/candidates", candidates.router)
    api.add_router("/candidate-batches", candidates.batches_router)
    api.add_router("/groups", candidates.groups_router)
    api.add_router("/entries", results.router)
    api.add_router("/sittings", sittings.router)
    api.add_router("/jobs", jobs.router)
    api.add_router("/board", board.router)
    return api


api = build_api()
