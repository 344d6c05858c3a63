"""Cursor pagination with a stable order (ascending id): the cursor is opaque, the id after which to go on."""

from __future__ import annotations

import base64
import json
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from examdesk.api.problems import ApiError

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
BAD_CURSOR = "The cursor is not one this API gave out."

M = TypeVar("M", bound=Model)


def encode_cursor(after: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps({"a": after}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))["a"]
    except (ValueError, KeyError, TypeError) as error:
        raise ApiError(422, BAD_CURSOR, errors=[{"path": "cursor", "detail": BAD_CURSOR}]) from error
    if not isinstance(value, int | str):
        raise ApiError(422, BAD_CURSOR, errors=[{"path": "cursor", "detail": BAD_CURSOR}])
    return value


def page(items: QuerySet[M], *, cursor: str | None, limit: int, key: str = "pk") -> tuple[list[M], str | None]:
    """One page of `items` ordered by `key` (unique), and the cursor of the next page (None at the end)."""
    ordered = items.order_by(key)
    if cursor:
        ordered = ordered.filter(**{f"{key}__gt": decode_cursor(cursor)})
    rows = list(ordered[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    last = getattr(rows[-1], "pk" if key == "pk" else key) if rows else None
    if isinstance(last, int | str) and more:
        return rows, encode_cursor(last)
    return rows, None
