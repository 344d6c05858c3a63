"""Actions are stored without `choices`: a new one needs no migration, and the names still show."""

from __future__ import annotations

from unittest import mock

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState

from examdesk.audit.admin import ActionListFilter, AuditEventAdmin
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.audit_log.forms import AuditFilterForm
from examdesk.core.tests.factories import BoardMembershipFactory, CentreFactory, member

pytestmark = pytest.mark.django_db


class _ActionWithANewMember(models.TextChoices):
    LOGIN_FAILED = "login.failed", "Sign-in failed"
    LOGIN_SUCCEEDED = "login.succeeded", "Signed in"
    CERTIFICATE_REPRINTED = "certificate.reprinted", "Certificate reprinted"


def _migration_changes() -> dict[str, list]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    autodetector = MigrationAutodetector(
        loader.project_state(), ProjectState.from_apps(apps), NonInteractiveMigrationQuestioner()
    )
    return autodetector.changes(graph=loader.graph)


def test_the_column_has_no_choices_so_a_new_action_needs_no_migration():
    assert AuditEvent._meta.get_field("action").choices is None
    with mock.patch.object(AuditEvent, "Action", _ActionWithANewMember):
        assert "audit" not in _migration_changes()
        event = audit_record(action="certificate.reprinted")
        assert event.get_action_display() == "Certificate reprinted"
        assert ("certificate.reprinted", "Certificate reprinted") in ActionListFilter(
            None, {}, AuditEvent, None
        ).lookup_choices
    assert "audit" not in _migration_changes()


def test_the_stored_values_are_unchanged_and_show_their_names():
    event = audit_record(action=AuditEvent.Action.LOCK_ACCOUNT)
    stored = AuditEvent.objects.values_list("action", flat=True).get(pk=event.pk)
    assert stored == "lock.account"
    assert AuditEvent.objects.get(pk=event.pk).get_action_display() == "Account locked (too many failures)"


def test_an_action_no_longer_in_the_enum_shows_as_stored():
    event = audit_record(action="retired.action")
    assert AuditEvent.objects.get(pk=event.pk).get_action_display() == "retired.action"


def test_the_admin_lists_and_filters_actions_by_name(client):
    staff = BoardMembershipFactory(user__is_superuser=True).user
    client.force_login(staff)
    audit_record(action=AuditEvent.Action.LOGIN_FAILED, summary="x")
    audit_record(action=AuditEvent.Action.LOCK_ACCOUNT, summary="y")

    everything = client.get("/admin/audit/auditevent/").content.decode()
    assert "Account locked (too many failures)" in everything and "Sign-in failed" in everything
    assert "?action=lock.account" in everything  # the filter's link, under the action's name

    response = client.get("/admin/audit/auditevent/", {"action": "lock.account"})
    assert [event.action for event in response.context["cl"].result_list] == ["lock.account"]
    assert AuditEventAdmin(AuditEvent, admin.site).action_name(AuditEvent(action="logout")) == "Signed out"


def test_the_centres_audit_log_filters_by_name(client):
    centre = CentreFactory()
    admin = member(centre)
    client.force_login(admin)
    audit_record(action=AuditEvent.Action.CENTRE_UPDATED, centre=centre)
    assert ("centre.updated", "Centre updated") in AuditFilterForm().fields["action"].choices
    page = client.get(f"/centres/{centre.number}/audit/", {"action": "centre.updated"}).content.decode()
    assert '<option value="centre.updated" selected>Centre updated</option>' in page
    assert "<td>Centre updated" in page
