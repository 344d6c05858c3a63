"""The credit ledger is append-only, in the model and in the database."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction

from examdesk.audit.models import AuditEvent
from examdesk.core.tests.factories import CentreFactory
from examdesk.sittings.models import LedgerEntry
from examdesk.sittings.tests.fixtures import credits, product

pytestmark = pytest.mark.django_db


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
