"""factory_boy factories for the foundation's models."""

from __future__ import annotations

import factory

from examdesk.accounts.models import User
from examdesk.centres.models import Board, BoardMembership, Centre, Membership, Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class BoardFactory(factory.django.DjangoModelFactory[Board]):
    class Meta:
        model = Board
        django_get_or_create = ("name",)

    name = "Test Board"
    time_zone = "Europe/London"


class CentreFactory(factory.django.DjangoModelFactory[Centre]):
    class Meta:
        model = Centre

    board = factory.SubFactory(BoardFactory)
    number = factory.Sequence(lambda n: f"{10000 + n}")
    name = factory.Sequence(lambda n: f"Centre {n}")
    country = "GB"
    time_zone = "Europe/London"


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    role = Role.CENTRE_ADMIN


class BoardMembershipFactory(factory.django.DjangoModelFactory[BoardMembership]):
    class Meta:
        model = BoardMembership

    user = factory.SubFactory(UserFactory, is_staff=True)
    board = factory.SubFactory(BoardFactory)


def member(centre: Centre, role: str = Role.CENTRE_ADMIN, **user_fields) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, centre=centre, role=role)
    return user
