"""Refuse UPDATE and DELETE on the credit ledger in the database itself, whatever code runs."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION sittings_ledgerentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The credit ledger is append-only: rows are never changed or deleted.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sittings_ledgerentry_no_update BEFORE UPDATE OR DELETE ON sittings_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION sittings_ledgerentry_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS sittings_ledgerentry_no_update ON sittings_ledgerentry;
DROP FUNCTION IF EXISTS sittings_ledgerentry_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER sittings_ledgerentry_no_update BEFORE UPDATE ON sittings_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'The credit ledger is append-only: rows are never changed or deleted.'); END;""",
    """CREATE TRIGGER sittings_ledgerentry_no_delete BEFORE DELETE ON sittings_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'The credit ledger is append-only: rows are never changed or deleted.'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS sittings_ledgerentry_no_update;",
    "DROP TRIGGER IF EXISTS sittings_ledgerentry_no_delete;",
]


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    statements = [postgres] if vendor == "postgresql" else sqlite if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_UP, SQLITE_UP)


def backwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_DOWN, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("sittings", "0001_credits_sittings_attempts")]

    operations = [migrations.RunPython(forwards, backwards)]
