"""Helpers for the sittings and player tests: products made with the ORM.

(The credit ledger's triggers around transactional tests are handled with every append-only table's, in
examdesk/conftest.py.)"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from examdesk.catalogue.models import MeasureDefinition, Product, Section
from examdesk.centres.models import Centre
from examdesk.sittings import selectors, services

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # the sittings tests' frozen moment (conftest.frozen)


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


def sitting_for(centre, made, people, opens=date(2027, 3, 1), closes=date(2027, 3, 5)):
    return services.sitting_create(
        actor=None, centre=centre, product=made, name="Year 8", opens_on=opens, closes_on=closes, candidates=people
    )


def credits_left(centre, made):
    return {row.product.pk: row for row in selectors.product_credit_list(centre=centre)}[made.pk]
