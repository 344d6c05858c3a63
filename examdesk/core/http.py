"""What we know of the client behind a request, read the same way django-axes reads it."""

from __future__ import annotations

from axes.helpers import get_client_ip_address, get_client_user_agent
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header


def client_ip(request: HttpRequest) -> str:
    ip = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return str(ip or "")


def client_user_agent(request: HttpRequest) -> str:
    agent = getattr(request, "axes_user_agent", None) or get_client_user_agent(request)
    return str(agent or "")


def attachment(content: bytes, *, content_type: str, name: str) -> HttpResponse:
    """A download that is never cached by a shared cache, named safely for any browser (filename* for Unicode)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
    response["Cache-Control"] = "private, no-store"
    return response
