from __future__ import annotations

from datetime import date

import pytest

from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.models import Group
from examdesk.people.tests.factories import CandidateFactory
from examdesk.reports.tests.factories import COMPLETED as C
from examdesk.reports.tests.factories import attempts, sitting
from examdesk.sittings.tests import fixtures as sittings


@pytest.fixture
def school():
    centre = CentreFactory(number="74001", name="Hillside School")
    teacher = member(centre, Role.TEACHER, email="t@hillside.example.org")
    reading = sittings.product(centre)
    group = Group.objects.create(centre=centre, name="7B")
    ana = CandidateFactory(centre=centre, first_name="Ana", last_name="Abel", unique_id="A1")
    ben = CandidateFactory(centre=centre, first_name="Ben", last_name="Berg", unique_id="B1")
    cat = CandidateFactory(centre=centre, first_name="Cat", last_name="Cole", unique_id="C1", is_active=False)
    dan = CandidateFactory(centre=centre, first_name="Dan", last_name="Dale", unique_id="D1")
    eve = CandidateFactory(centre=centre, first_name="Eve", last_name="Egan", unique_id="E1")
    for c in (ana, ben, cat, dan, eve):
        c.groups.add(group)
    march = sitting(centre, reading, "March reading")
    attempts(
        march,
        [
            (ana, C, [(18, 20), (9, 10)]),  # 90.0 %
            (ben, C, [(5, 20), (2, 10)]),  # 23.3 %
            (cat, C, [(10, 20), (5, 10)]),  # 50.0 %, deactivated
            (dan, "in_progress", [(10, 20)]),
            (eve, "void", None),
        ],
    )
    june = sitting(centre, reading, "June reading", opens=date(2026, 6, 1))
    attempts(june, [(ana, C, [(20, 20), (10, 10)]), (eve, "expired", None)])
    return {"centre": centre, "teacher": teacher, "group": group, "march": march, "june": june, "reading": reading}
