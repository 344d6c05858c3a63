"""Demo credits and one open sitting at a centre, so the student's way in can be tried at once; its first student
has access arrangements (25 % extra time, rest breaks, the reader) to try them too."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from examdesk.catalogue.models import Product
from examdesk.centres.models import Centre
from examdesk.core.time import now
from examdesk.people.arrangements import candidate_arrangements_set, form_initial
from examdesk.people.models import Candidate, CandidateArrangements
from examdesk.sittings.models import Allocation, Attempt, Sitting
from examdesk.sittings.services import allocation_create, sitting_create

DEMO_SITTING = "Year 7 reading and listening"


@transaction.atomic
def load_demo_sittings(*, centre: Centre, products: dict[str, Product], actor: object) -> list[Attempt]:
    """Credits for both demo products and a two-week sitting for Year 7. Idempotent; returns its attempts."""
    today = now().astimezone(ZoneInfo(centre.time_zone)).date()
    for code, quantity in (("RL-Y7", 100), ("DICT", 30)):
        if not Allocation.objects.filter(centre=centre, product=products[code]).exists():
            allocation_create(
                actor=actor,
                centre=centre,
                product=products[code],
                quantity=quantity,
                expires_on=today + timedelta(days=365),
            )
    sitting = Sitting.objects.filter(centre=centre, name=DEMO_SITTING).first()
    if sitting is None:
        year_7 = Candidate.objects.filter(centre=centre, is_active=True, groups__name="Year 7").order_by("unique_id")
        sitting = sitting_create(
            actor=actor,
            centre=centre,
            product=products["RL-Y7"],
            name=DEMO_SITTING,
            opens_on=today,
            closes_on=today + timedelta(days=14),
            candidates=list(year_7),
        )
    attempts = list(sitting.attempts.select_related("candidate").order_by("candidate__unique_id"))
    if attempts and not CandidateArrangements.objects.filter(candidate=attempts[0].candidate).exists():
        candidate_arrangements_set(
            actor=actor,
            candidate=attempts[0].candidate,
            values={**form_initial(None), "extra_time_percent": 25, "rest_breaks": True, "reader": True},
        )
    return attempts
