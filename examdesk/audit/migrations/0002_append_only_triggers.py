"""Refuse UPDATE and DELETE on the audit log in the database itself, whatever code runs."""

from django.db import migrations

from examdesk.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_event")]

    operations = [
        AppendOnly(
            table="audit_auditevent", message="The audit log is append-only: events are never changed or deleted."
        )
    ]
