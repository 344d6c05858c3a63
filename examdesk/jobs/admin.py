from django.contrib import admin

from examdesk.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ("title", "kind", "owner", "centre", "status", "done", "total", "attempts", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = [field.name for field in Job._meta.fields]
