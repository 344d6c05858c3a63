"""A centre with one sitting of a few candidates, for the selector tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from examdesk.catalogue.models import Product
from examdesk.centres.models import Centre
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.tests.factories import CandidateFactory
from examdesk.sittings import services
from examdesk.sittings.models import Sitting
from examdesk.sittings.tests.fixtures import credits, product

_codes = itertools.count(1)


@dataclass
class Made:
    centre: Centre
    product: Product
    sitting: Sitting


def centre_with_sitting(*, candidates: int = 2, centre: Centre | None = None) -> Made:
    centre = centre or CentreFactory()
    made = product(centre, code=f"READ-{next(_codes)}")
    credits(centre, made, 100, date(2027, 12, 31))
    sitting = services.sitting_create(
        actor=None,
        centre=centre,
        product=made,
        name="Year 8",
        opens_on=date(2027, 3, 1),
        closes_on=date(2027, 3, 5),
        candidates=CandidateFactory.create_batch(candidates, centre=centre),
    )
    return Made(centre, made, sitting)
