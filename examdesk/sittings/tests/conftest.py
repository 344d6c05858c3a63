"""Fixtures of the sittings tests."""

from __future__ import annotations

import pytest
import time_machine

from examdesk.sittings.tests.fixtures import NOW


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
