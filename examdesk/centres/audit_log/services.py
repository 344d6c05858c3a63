"""Starting a centre's audit-log export."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.jobs.services import job_create


def audit_export_request(
    *, actor: Any, centre: Any, action: str = "", search: str = "", request: HttpRequest | None = None
) -> Any:
    """Record the request and start the export job, in one transaction: the file includes the request."""
    with transaction.atomic():
        event = audit_record(
            action=AuditEvent.Action.EXPORT_REQUESTED,
            request=request,
            actor=actor,
            centre=centre,
            summary="Audit log export",
            data={"action": action, "search": search},
        )
        return job_create(
            owner=actor,
            centre=centre,
            kind="audit.export",
            title=f"Audit log export of centre {centre.number}",
            params={"action": action, "search": search, "requested_event": event.pk},
        )
