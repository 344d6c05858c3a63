"""Writing to the audit log. Every sensitive service calls audit_record in its own transaction."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.http import HttpRequest

from examdesk.audit.models import AuditEvent
from examdesk.core.http import client_ip, client_user_agent


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: Any = None,
    centre: Any = None,
    subject: Any = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `actor` and `subject` are users, `centre` a centre; all optional."""
    return AuditEvent.objects.create(
        **event_fields(
            action=action, request=request, actor=actor, centre=centre, subject=subject, summary=summary, data=data
        )
    )


def event_fields(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: Any = None,
    centre: Any = None,
    subject: Any = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An event's column values (without its time): for audit_record, and for the outbox (examdesk.audit.outbox)."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            actor = request.user
    return dict(
        action=action,
        actor_id=getattr(actor, "pk", None),
        actor_email=getattr(actor, "email", "") or "",
        centre_id=getattr(centre, "pk", None),
        centre_number=getattr(centre, "number", "") or "",
        subject_user_id=getattr(subject, "pk", None),
        subject_email=getattr(subject, "email", "") or "",
        ip_address=_valid_ip(client_ip(request)) if request is not None else None,
        user_agent=client_user_agent(request) if request is not None else "",
        summary=summary[:500],
        data=data or {},
    )
