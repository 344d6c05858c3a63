"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest

from examdesk.core.append_only import append_only_tables

pytest_plugins = ["examdesk.core.tests.browser_support"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters live in the cache (examdesk.core.ratelimit): each test starts without any."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
def _append_only_tables_flushable_on_sqlite(request, _django_db_helper):
    """Let transactional tests empty the append-only tables afterwards on SQLite.

    The audit log and the credit ledger refuse DELETE in the database (examdesk.core.append_only).
    PostgreSQL empties tables between transactional tests with TRUNCATE, which row triggers do not see;
    SQLite uses DELETE, so after a transactional test the delete triggers are lifted for that clean-up,
    and before every test that uses the database all the triggers are put back: pytest may run a
    transactional test before a plain one (it groups the browser tests together). The tables are read
    from the migrations, so a new append-only table is covered without a word here.
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
    tables = append_only_tables()
    with connection.cursor() as cursor:
        for triggers in tables:
            for statement in triggers.sqlite_create(if_not_exists=True):
                cursor.execute(statement)
    yield
    if transactional:
        with connection.cursor() as cursor:
            for triggers in tables:
                cursor.execute(triggers.sqlite_drop_delete())
