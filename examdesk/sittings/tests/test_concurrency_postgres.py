"""Twenty sittings made at once against ten credits: exactly ten succeed (PostgreSQL row locks on the allocations).

SQLite takes the database's write lock at the start of every transaction (IMMEDIATE), which serialises the same
code; this test needs real concurrent connections, so it runs on PostgreSQL only."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from examdesk.core.errors import ApplicationError
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.tests.factories import CandidateFactory
from examdesk.sittings import selectors, services
from examdesk.sittings.models import Attempt, LedgerEntry
from examdesk.sittings.tests.fixtures import credits, product

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def test_twenty_concurrent_sittings_against_ten_credits():
    centre = CentreFactory()
    made = product(centre)
    allocation = credits(centre, made, 10, date(2099, 12, 31))
    people = CandidateFactory.create_batch(20, centre=centre)
    start = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def make(index: int) -> None:
        try:
            start.wait()
            services.sitting_create(
                actor=None,
                centre=centre,
                product=made,
                name=f"Sitting {index}",
                opens_on=date(2099, 1, 1),
                closes_on=date(2099, 1, 2),
                candidates=[people[index]],
            )
            result = "made"
        except ApplicationError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=make, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count("made") == 10 and outcomes.count("refused") == 10
    assert Attempt.objects.count() == 10
    assert selectors.allocation_balances(allocations=[allocation])[allocation.pk] == 0
    assert LedgerEntry.objects.filter(kind="reserved").count() == 10
