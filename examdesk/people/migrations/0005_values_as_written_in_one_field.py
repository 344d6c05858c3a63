"""The values an import could not read, kept as one field → value map instead of a column per list field, so
that gender, UPN, e-mail address and Active can keep theirs too. Moves what the three columns held. A centre can
now map gender values too."""

from django.db import migrations, models

OLD_FIELDS = ("nationality", "ethnicity", "sen_status")


def columns_to_map(apps, schema_editor):
    Candidate = apps.get_model("people", "Candidate")
    changed = []
    for candidate in Candidate.objects.exclude(
        nationality_as_written="", ethnicity_as_written="", sen_status_as_written=""
    ).iterator(chunk_size=2000):
        written = {name: getattr(candidate, f"{name}_as_written") for name in OLD_FIELDS}
        candidate.values_as_written = {name: value for name, value in written.items() if value}
        changed.append(candidate)
    Candidate.objects.bulk_update(changed, ["values_as_written"], batch_size=1000)


def map_to_columns(apps, schema_editor):
    Candidate = apps.get_model("people", "Candidate")
    changed = []
    for candidate in Candidate.objects.exclude(values_as_written={}).iterator(chunk_size=2000):
        for name in OLD_FIELDS:
            setattr(candidate, f"{name}_as_written", candidate.values_as_written.get(name, "")[:200])
        changed.append(candidate)
    fields = [f"{name}_as_written" for name in OLD_FIELDS]
    Candidate.objects.bulk_update(changed, fields, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_candidate_sourced_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="values_as_written",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(columns_to_map, map_to_columns),
        migrations.RemoveField(model_name="candidate", name="ethnicity_as_written"),
        migrations.RemoveField(model_name="candidate", name="nationality_as_written"),
        migrations.RemoveField(model_name="candidate", name="sen_status_as_written"),
        migrations.AlterField(
            model_name="valuemapping",
            name="field",
            field=models.CharField(
                choices=[
                    ("nationality", "Nationality"),
                    ("ethnicity", "Ethnicity"),
                    ("sen_status", "SEN status"),
                    ("gender", "Gender"),
                ],
                max_length=20,
            ),
        ),
    ]
