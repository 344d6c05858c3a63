"""Helpers for the sittings and player tests: products made with the ORM, and a ledger emptied between
transactional tests on SQLite (like the audit log in examdesk/conftest.py)."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest

from examdesk.catalogue.models import MeasureDefinition, Product, Section
from examdesk.centres.models import Centre


def product(centre: Centre, code: str = "READ-7", name: str = "Reading Age 7", **fields) -> Product:
    made = Product.objects.create(board=centre.board, code=code, name=name, **fields)
    Section.objects.create(product=made, position=0, title="Reading")
    Section.objects.create(product=made, position=1, title="Listening")
    return made


def measured_product(centre: Centre) -> Product:
    made = product(centre, code="DICT", name="Dictation Check")
    MeasureDefinition.objects.create(
        product=made,
        position=0,
        code="typed",
        label="Typed dictation",
        kind="number",
        min_value=Decimal(0),
        max_value=Decimal(40),
    )
    MeasureDefinition.objects.create(product=made, position=1, code="evidence", label="Written work", kind="file")
    MeasureDefinition.objects.create(product=made, position=2, code="comment", label="Comment", kind="text")
    return made


def credits(centre: Centre, made: Product, quantity: int, expires_on: date, actor=None):
    from examdesk.sittings.services import allocation_create

    return allocation_create(actor=actor, centre=centre, product=made, quantity=quantity, expires_on=expires_on)


@pytest.fixture(autouse=True)
def _ledger_flushable_on_sqlite(request, _django_db_helper):
    from django.db import connection

    transactional = any(n in request.fixturenames for n in ("transactional_db", "live_server"))
    marker = request.node.get_closest_marker("django_db")
    transactional = transactional or (marker is not None and marker.kwargs.get("transaction"))
    if not transactional or connection.vendor != "sqlite":
        yield
        return
    migration = importlib.import_module("examdesk.sittings.migrations.0002_ledger_append_only")
    with connection.cursor() as cursor:
        cursor.execute(migration.SQLITE_UP[1].replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS sittings_ledgerentry_no_delete")
