"""Reads of the audit log, scoped to one centre's part."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from examdesk.audit.models import AuditEvent


def audit_event_list_for_centre(
    *, centre: Any, member_ids: Any, action: str = "", search: str = ""
) -> QuerySet[AuditEvent]:
    """The centre's part: events at the centre, and sign-in events of the centre's staff.

    The caller has checked the actor may read this centre's log (Capability.VIEW_AUDIT).
    """
    events = AuditEvent.objects.filter(
        Q(centre_id=centre.pk) | Q(centre_id__isnull=True, subject_user_id__in=member_ids)
    )
    if action:
        events = events.filter(action=action)
    if search:
        events = events.filter(Q(actor_email__icontains=search) | Q(subject_email__icontains=search))
    return events
