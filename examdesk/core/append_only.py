"""Tables that refuse UPDATE and DELETE in the database itself, whatever code runs: one mechanism for all.

A migration makes a table append-only with the `AppendOnly` operation, which writes the same triggers
for every table, on PostgreSQL and on SQLite. `append_only_tables()` finds every table so made by
reading the migrations, so whatever must lift the triggers for a moment (the test suite empties the
tables between transactional tests on SQLite with DELETE) cannot forget one: a new append-only table
is one `AppendOnly(...)` in its app's migration, nothing else.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import router
from django.db.migrations.operations.base import Operation


@dataclass(frozen=True)
class AppendOnlyTriggers:
    """The triggers that keep one table append-only, and the message they refuse a change with."""

    table: str
    message: str

    @property
    def update_trigger(self) -> str:
        # On PostgreSQL this one trigger refuses both UPDATE and DELETE.
        return f"{self.table}_no_update"

    @property
    def delete_trigger(self) -> str:
        """SQLite only: a trigger fires for one event there, so DELETE has its own."""
        return f"{self.table}_no_delete"

    def postgres_create(self) -> list[str]:
        function = f"{self.table}_append_only"
        return [
            f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{self.message}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {self.update_trigger} BEFORE UPDATE OR DELETE ON {self.table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
        ]

    def postgres_drop(self) -> list[str]:
        return [
            f"""
DROP TRIGGER IF EXISTS {self.update_trigger} ON {self.table};
DROP FUNCTION IF EXISTS {self.table}_append_only();
"""
        ]

    def sqlite_create(self, *, if_not_exists: bool = False) -> list[str]:
        create = "CREATE TRIGGER IF NOT EXISTS" if if_not_exists else "CREATE TRIGGER"
        return [
            f"""{create} {self.update_trigger} BEFORE UPDATE ON {self.table}
       BEGIN SELECT RAISE(ABORT, '{self.message}'); END;""",
            f"""{create} {self.delete_trigger} BEFORE DELETE ON {self.table}
       BEGIN SELECT RAISE(ABORT, '{self.message}'); END;""",
        ]

    def sqlite_drop(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {self.update_trigger};", self.sqlite_drop_delete()]

    def sqlite_drop_delete(self) -> str:
        return f"DROP TRIGGER IF EXISTS {self.delete_trigger};"

    def create(self, vendor: str) -> list[str]:
        """The statements that make the table append-only on this database vendor (none on others)."""
        if vendor == "postgresql":
            return self.postgres_create()
        return self.sqlite_create() if vendor == "sqlite" else []

    def drop(self, vendor: str) -> list[str]:
        if vendor == "postgresql":
            return self.postgres_drop()
        return self.sqlite_drop() if vendor == "sqlite" else []


class AppendOnly(Operation):
    """Migration operation: refuse UPDATE and DELETE on `table` with `message`, by database triggers.

    It changes no model state (the triggers are invisible to the ORM); the models refuse the same
    in Python, so that code hears it before the database does.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, *, table: str, message: str) -> None:
        self.triggers = AppendOnlyTriggers(table=table, message=message)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__name__, [], {"table": self.triggers.table, "message": self.triggers.message})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if router.allow_migrate(schema_editor.connection.alias, app_label):
            for statement in self.triggers.create(schema_editor.connection.vendor):
                schema_editor.execute(statement)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if router.allow_migrate(schema_editor.connection.alias, app_label):
            for statement in self.triggers.drop(schema_editor.connection.vendor):
                schema_editor.execute(statement)

    def describe(self) -> str:
        return f"Refuse UPDATE and DELETE on {self.triggers.table}"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.triggers.table}_append_only"


@functools.cache
def append_only_tables() -> tuple[AppendOnlyTriggers, ...]:
    """Every table that a migration makes append-only, read from the migrations themselves."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = {
        operation.triggers
        for migration in loader.graph.nodes.values()
        for operation in migration.operations
        if isinstance(operation, AppendOnly)
    }
    return tuple(sorted(found, key=lambda triggers: triggers.table))
