from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from examdesk.sittings.tests.fixtures import _ledger_flushable_on_sqlite  # noqa: F401

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
OPENS, CLOSES = date(2027, 3, 1), date(2027, 3, 5)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
