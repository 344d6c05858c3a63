from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from examdesk.audit.models import AuditEvent


class ActionListFilter(admin.SimpleListFilter):
    """The admin's filter by action, with the names from `AuditEvent.Action` (the column has no choices)."""

    title = "action"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in AuditEvent.Action.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("at", "action_name", "actor_email", "subject_email", "centre_number", "ip_address")
    list_filter = (ActionListFilter,)
    search_fields = ("actor_email", "subject_email", "centre_number")

    @admin.display(description="action", ordering="action")
    def action_name(self, event: AuditEvent) -> str:
        return event.get_action_display()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
