"""Groups get `updated_at` so that an information system can sync them with `updated_since` (the REST API).
A group made before this has not changed since it was made: its time is its creation time."""

from django.db import migrations, models
from django.db.models import F


def from_created_at(apps, schema_editor):
    apps.get_model("people", "Group").objects.update(updated_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_values_as_written_in_one_field"),
    ]

    operations = [
        migrations.AddField(
            model_name="group",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(from_created_at, migrations.RunPython.noop, elidable=True),
    ]
