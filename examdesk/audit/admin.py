from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from examdesk.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("at", "action", "actor_email", "subject_email", "centre_number", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_email", "subject_email", "centre_number")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
