from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from examdesk.audit.models import AuditEvent
from examdesk.audit.selectors import audit_event_list_for_centre
from examdesk.audit.services import audit_record
from examdesk.centres.selectors import member_ids_for_centre
from examdesk.core.tests.factories import CentreFactory, member

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = audit_record(action=AuditEvent.Action.LOGIN_FAILED, summary="x")
    event.summary = "edited"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="edited")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditevent SET summary = 'edited'", "DELETE FROM audit_auditevent"]
)
def test_the_database_itself_refuses_update_and_delete(statement):
    audit_record(action=AuditEvent.Action.LOGIN_FAILED, summary="original")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get().summary == "original"


def test_a_centre_sees_its_events_and_its_staffs_sign_ins_only():
    mine, theirs = CentreFactory(), CentreFactory()
    teacher, outsider = member(mine), member(theirs)
    audit_record(action=AuditEvent.Action.LOGIN_SUCCEEDED, actor=teacher, subject=teacher)
    audit_record(action=AuditEvent.Action.CENTRE_UPDATED, centre=mine)
    audit_record(action=AuditEvent.Action.LOGIN_SUCCEEDED, actor=outsider, subject=outsider)
    audit_record(action=AuditEvent.Action.CENTRE_UPDATED, centre=theirs)

    events = audit_event_list_for_centre(centre=mine, member_ids=member_ids_for_centre(centre=mine))

    assert {(e.action, e.subject_email or e.centre_number) for e in events} == {
        (AuditEvent.Action.LOGIN_SUCCEEDED, teacher.email),
        (AuditEvent.Action.CENTRE_UPDATED, mine.number),
    }


def test_sign_in_events_record_client_ip_and_browser(client):
    centre = CentreFactory()
    person = member(centre)
    client.post(
        "/account/login/",
        {"email": person.email, "password": "wrong"},
        HTTP_USER_AGENT="Firefox/140",
        REMOTE_ADDR="192.0.2.44",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert (event.ip_address, event.user_agent, event.subject_email) == (
        "192.0.2.44",
        "Firefox/140",
        person.email,
    )
