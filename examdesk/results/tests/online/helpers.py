"""Results Online test data: a candidate with an entry, a result and their registration keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory

from examdesk.results import keys
from examdesk.results.models import Entry, OnlineRegistration
from examdesk.results.tests.factories import entry_with_result


@dataclass
class Registrant:
    entry: Entry
    registration: OnlineRegistration

    @property
    def id_number(self) -> str:
        return self.registration.id_number

    @property
    def secret(self) -> str:
        return keys.secret_number(self.registration.id_number, self.registration.secret_version)


def registrant(*, released_at: datetime | None = None, **fields) -> Registrant:
    entry = entry_with_result(released_at=released_at, **fields)
    return Registrant(entry=entry, registration=OnlineRegistration.objects.get(candidate=entry.candidate))


def a_request(*, agent: str = "Browser A", ip: str = "203.0.113.7", path: str = "/results/register/"):
    request = RequestFactory().post(path, REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def wrong_secret(secret: str) -> str:
    return secret[:-1] + str((int(secret[-1]) + 1) % 10)


def well_formed_unknown_id(taken: str) -> str:
    while True:
        number = keys.new_id_number()
        if number != taken:
            return number


def registered(person: Registrant, *, email: str = "ana@example.org"):
    """Link the person's registration to an account directly (the confirmation flow has its own tests)."""
    from django.utils import timezone

    from examdesk.core.tests.factories import UserFactory

    user = UserFactory(email=email, full_name=person.entry.candidate.full_name)
    OnlineRegistration.objects.filter(pk=person.registration.pk).update(user=user, registered_at=timezone.now())
    person.registration.refresh_from_db()
    return user
