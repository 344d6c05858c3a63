"""Refuse UPDATE and DELETE on the credit ledger in the database itself, whatever code runs."""

from django.db import migrations

from examdesk.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("sittings", "0001_credits_sittings_attempts")]

    operations = [
        AppendOnly(
            table="sittings_ledgerentry",
            message="The credit ledger is append-only: rows are never changed or deleted.",
        )
    ]
