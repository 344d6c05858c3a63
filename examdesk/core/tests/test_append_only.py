from __future__ import annotations

import pytest
from django.db import connection

from examdesk.core.append_only import append_only_tables

pytestmark = pytest.mark.django_db


def test_every_append_only_table_is_found_in_the_migrations():
    assert [triggers.table for triggers in append_only_tables()] == ["audit_auditevent", "sittings_ledgerentry"]


def test_every_append_only_table_has_its_triggers_in_the_database():
    """What each trigger refuses is tested with its table (audit, sittings); here: none is missing."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            expected = {(t.table, name) for t in append_only_tables() for name in (t.update_trigger, t.delete_trigger)}
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal"
            )
            expected = {(t.table, t.update_trigger) for t in append_only_tables()}
        assert expected <= set(cursor.fetchall())
