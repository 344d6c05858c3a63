from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def examdesk(request: HttpRequest) -> dict[str, Any]:
    return {"password_min_length": settings.EXAMDESK_PASSWORD_MIN_LENGTH}
