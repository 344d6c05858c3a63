"""The credit ledger is append-only, in the model and in the database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection, transaction

from examdesk.audit.models import AuditEvent
from examdesk.core.tests.factories import CentreFactory
from examdesk.sittings import selectors, services
from examdesk.sittings.models import LedgerEntry
from examdesk.sittings.tests.fixtures import credits, product

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _sitting(centre, made, people, opens=date(2027, 3, 1), closes=date(2027, 3, 5)):
    return services.sitting_create(
        actor=None, centre=centre, product=made, name="Year 8", opens_on=opens, closes_on=closes, candidates=people
    )


def _left(centre, made):
    return {row.product.pk: row for row in selectors.product_credit_list(centre=centre)}[made.pk]


def test_ledger_is_append_only(frozen):
    centre = CentreFactory()
    made = product(centre)
    allocation = credits(centre, made, 5, date(2027, 12, 31))
    entry = LedgerEntry.objects.get(allocation=allocation)
    assert entry.kind == "allocated" and entry.quantity == 5
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.update(quantity=1)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE sittings_ledgerentry SET quantity = 99")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM sittings_ledgerentry")
    assert AuditEvent.objects.filter(action="credits.allocated").count() == 1
