"""Statements are rendered once per result revision, kept in private storage, and served from there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import storages
from django.test import Client

from examdesk.results import gate
from examdesk.results.statements.store import FOLDER
from examdesk.results.tests.factories import new_revision
from examdesk.results.tests.online.helpers import registered, registrant

pytestmark = pytest.mark.django_db

RELEASE = datetime(2026, 8, 13, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_statements():
    storage = storages["private"]
    yield
    folders, _ = storage.listdir(FOLDER) if storage.exists(FOLDER) else ([], [])
    for folder in folders:
        for name in storage.listdir(f"{FOLDER}/{folder}")[1]:
            storage.delete(f"{FOLDER}/{folder}/{name}")


def _stored(entry_id: int) -> list[str]:
    storage = storages["private"]
    folder = f"{FOLDER}/{entry_id}"
    return sorted(storage.listdir(folder)[1]) if storage.exists(folder) else []


def _browser(person) -> Client:
    browser = Client()
    browser.force_login(registered(person))
    return browser


def test_the_statement_is_rendered_once_then_served_from_private_storage(monkeypatch):
    person = registrant(released_at=RELEASE)
    browser = _browser(person)
    url = f"/results/entries/{person.entry.pk}/statement.pdf"
    renders = []
    from examdesk.results.statements import store as statement_store

    real = statement_store.render_statement
    monkeypatch.setattr(statement_store, "render_statement", lambda data: renders.append(1) or real(data))
    with time_machine.travel(RELEASE + timedelta(minutes=1), tick=False):
        first = browser.get(url)
        second = browser.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.content.startswith(b"%PDF")
    assert len(renders) == 1
    assert len(_stored(person.entry.pk)) == 1
    assert "no-store" in second["Cache-Control"]


def test_nothing_is_rendered_or_stored_before_release():
    person = registrant(released_at=RELEASE)
    browser = _browser(person)
    with time_machine.travel(RELEASE - timedelta(seconds=1), tick=False):
        assert browser.get(f"/results/entries/{person.entry.pk}/statement.pdf").status_code == 404
    assert _stored(person.entry.pk) == []


def test_a_new_revision_gets_its_own_statement_and_the_old_file_is_never_served():
    person = registrant(released_at=RELEASE)
    browser = _browser(person)
    url = f"/results/entries/{person.entry.pk}/statement.pdf"
    with time_machine.travel(RELEASE + timedelta(minutes=1), tick=False):
        before = browser.get(url).content
        result = new_revision(person.entry)
        assert result.revision == 2
        after = browser.get(url).content
    assert after != before
    names = _stored(person.entry.pk)
    assert len(names) == 2
    assert any(f"{result.pk}-r2-" in name for name in names)


def test_a_withdrawn_release_hides_a_stored_statement():
    person = registrant(released_at=RELEASE)
    browser = _browser(person)
    url = f"/results/entries/{person.entry.pk}/statement.pdf"
    with time_machine.travel(RELEASE + timedelta(minutes=1), tick=False):
        assert browser.get(url).status_code == 200
        release = person.entry.release
        release.released_at = None
        release.save()
        assert gate.show(person.entry.__class__.objects.get(pk=person.entry.pk)).result is None
        assert browser.get(url).status_code == 404
