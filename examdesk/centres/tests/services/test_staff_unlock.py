from __future__ import annotations

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import Http404
from django.test import RequestFactory

from examdesk.accounts import services as accounts
from examdesk.accounts.lockout import lock_states
from examdesk.audit.models import AuditEvent
from examdesk.centres import services
from examdesk.centres.models import Role
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member

pytestmark = pytest.mark.django_db


def _request():
    request = RequestFactory().post("/account/login/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Laptop")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def test_a_centre_admin_sees_and_lifts_a_pause():
    centre = CentreFactory()
    teacher = member(centre, Role.TEACHER)
    for _ in range(3):
        accounts.login_attempt(request=_request(), email=teacher.email, password="wrong")
    state = lock_states([teacher])[teacher.pk]
    assert state.is_locked and state.paused_clients == 1 and state.paused_until is not None

    services.staff_unlock(actor=member(centre), centre=centre, user_id=teacher.pk)

    assert not lock_states([teacher])[teacher.pk].is_locked
    assert accounts.login_attempt(request=_request(), email=teacher.email, password=PASSWORD).user == teacher
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UNLOCK, subject_user_id=teacher.pk).exists()


def test_an_admin_cannot_unlock_someone_from_another_centre():
    centre, other = CentreFactory(), CentreFactory()
    stranger = member(other, Role.TEACHER)
    with pytest.raises(Http404):
        services.staff_unlock(actor=member(centre), centre=centre, user_id=stranger.pk)
