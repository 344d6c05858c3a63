"""The audit outbox (examdesk.audit.outbox), and an event's time given by whoever writes it (the drain writes the
time of the request) instead of `auto_now_add`.

The second change is Python's only: the column stays as it is. It is applied to the migration state alone,
because SQLite would otherwise rebuild the audit table, and a rebuilt table loses the append-only triggers of
migration 0002."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0007_action_without_choices"),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingAuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fields", models.JSONField()),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="at",
                    field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
            ],
        ),
    ]
