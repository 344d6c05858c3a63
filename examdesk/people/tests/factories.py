from __future__ import annotations

import factory

from examdesk.core.tests.factories import CentreFactory
from examdesk.people.models import Candidate


class CandidateFactory(factory.django.DjangoModelFactory[Candidate]):
    class Meta:
        model = Candidate

    centre = factory.SubFactory(CentreFactory)
    unique_id = factory.Sequence(lambda n: f"{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
