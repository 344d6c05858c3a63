"""Helpers for the sittings and player tests: products made with the ORM.

(The credit ledger's triggers around transactional tests are handled with every append-only table's, in
examdesk/conftest.py.)"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
