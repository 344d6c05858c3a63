"""What we know of the client behind a request, read the same way django-axes reads it."""

from __future__ import annotations

from axes.helpers import get_client_ip_address, get_client_user_agent
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    ip = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return str(ip or "")


def client_user_agent(request: HttpRequest) -> str:
    agent = getattr(request, "axes_user_agent", None) or get_client_user_agent(request)
    return str(agent or "")
