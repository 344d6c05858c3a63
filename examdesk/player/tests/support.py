"""A sitting of the demo assessment (Reading, 20 minutes, six items; Listening with audio, 15 minutes) with one
candidate, for the player's tests."""

from __future__ import annotations

from datetime import date

from examdesk.catalogue.demo import DEMO_ASSESSMENTS_FILE
from examdesk.catalogue.models import Product
from examdesk.catalogue.products import services as product_services
from examdesk.catalogue.products.assessments import parse_text
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.tests.factories import CandidateFactory
from examdesk.sittings import services
from examdesk.sittings.models import Attempt
from examdesk.sittings.tests.fixtures import credits


def demo_attempt(opens_on: date, closes_on: date, expires_on: date) -> Attempt:
    centre = CentreFactory()
    product_services.assessments_load(
        board=centre.board, definitions=parse_text(DEMO_ASSESSMENTS_FILE.read_text(encoding="utf-8"))
    )
    product = Product.objects.get(board=centre.board, code="RL-Y7")
    credits(centre, product, 3, expires_on)
    sitting = services.sitting_create(
        actor=None,
        centre=centre,
        product=product,
        name="Year 7",
        opens_on=opens_on,
        closes_on=closes_on,
        candidates=[CandidateFactory(centre=centre, first_name="Ana", last_name="Lima")],
    )
    return sitting.attempts.get()
