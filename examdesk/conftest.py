"""Fixtures shared by every app's tests."""

from __future__ import annotations

import importlib

import pytest

pytest_plugins = ["examdesk.core.tests.browser_support"]


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Each test writes its private files (job results) into its own folder."""
    location = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    from django.core.files.storage import storages

    storages._storages = {}
    yield
    storages._storages = {}


@pytest.fixture(autouse=True)
def _audit_log_flushable_on_sqlite(request, _django_db_helper):
    """Let transactional tests empty the audit table afterwards on SQLite.

    The audit log refuses DELETE in the database (migration audit 0002). PostgreSQL empties tables
    between transactional tests with TRUNCATE, which row triggers do not see; SQLite uses DELETE, so
    the delete trigger is lifted just for that clean-up and put back before the next test.
    """
    from django.db import connection

    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server", "django_user_model")
    )
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not uses_db or connection.vendor != "sqlite":
        yield
        return
    migration = importlib.import_module("examdesk.audit.migrations.0002_append_only_triggers")
    with connection.cursor() as cursor:
        cursor.execute(migration.SQLITE_UP[1].replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
    yield
    if transactional:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")
