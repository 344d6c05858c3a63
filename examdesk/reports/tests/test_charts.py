from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.mark.parametrize(("largest", "top"), [(0, 2), (1, 2), (3, 4), (5, 6), (7, 10), (11, 20), (950, 1000)])
def test_count_scale_tops_are_even(largest, top):
    from examdesk.reports.charts import _top

    assert _top([Decimal(largest)]) == top
