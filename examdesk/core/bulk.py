"""Inserting many rows fast, for imports: COPY on PostgreSQL, executemany elsewhere.

Django's bulk_create compiles every value of every object through the ORM, which is most of the
cost of a 100,000-row import. Here values are prepared by each field's own get_db_prep_save (so
they are stored exactly as the ORM would store them) and sent in one COPY (PostgreSQL) or one
executemany (SQLite). Only plain columns: no signals, no auto_now (give the timestamps).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in the order of `fields`, attnames such as centre_id) into model's table."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    field_objects = [next(f for f in meta.concrete_fields if f.attname == name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(field.column) for field in field_objects)
    # Only dates and times need the database's own form (naive UTC text on SQLite); PostgreSQL's
    # driver takes Python dates, times, text, numbers and booleans as they are, which keeps a
    # 100,000-row insert fast. JSON needs it everywhere (JSON text on SQLite, a Jsonb value for COPY).
    needs_prep = [
        (index, field)
        for index, field in enumerate(field_objects)
        if field.get_internal_type() == "JSONField"
        or (
            connection.vendor != "postgresql"
            and field.get_internal_type() in ("DateField", "DateTimeField", "DecimalField")
        )
    ]
    prepared: list[Sequence[Any]] = rows if isinstance(rows, list) else list(rows)
    if needs_prep:
        # Only the columns that need it, in place in a copy of each row: touching every value of every
        # row through a generator costs a 100,000-row import as much as the JSON itself.
        prepared = [_prepared(row, needs_prep, connection) for row in prepared]
    if not prepared:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return len(prepared)
        placeholders = ", ".join(["%s"] * len(field_objects))
        # Table and column names come from the model and are quoted; every value is a parameter.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)  # noqa: S608
        return len(prepared)


def _prepared(row: Sequence[Any], needs_prep: list[tuple[int, models.Field[Any, Any]]], connection: Any) -> list[Any]:
    values = list(row)
    for index, field in needs_prep:
        values[index] = field.get_db_prep_save(values[index], connection)
    return values
