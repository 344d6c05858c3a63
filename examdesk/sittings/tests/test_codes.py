"""Access codes: well formed, hard to guess, forgiving of how people type them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from examdesk.sittings import codes, selectors, services

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


def test_codes_are_well_formed_unguessable_and_forgiving():
    drawn = {codes.new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(codes.is_well_formed(c) for c in drawn)
    assert not set("".join(drawn)) & set("0O1IL2Z5S8BG")
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2**40
    code = next(iter(drawn))
    assert codes.normalise(" " + codes.group(code).lower().replace("-", " - ") + " ") == code
