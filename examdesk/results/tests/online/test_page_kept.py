"""The result page asks the gate with the columns it decides on, on every request, and for a released result
reads the entry, result and panel in one cache read named by the gate's answer; the gate with those columns
decides exactly as the gate with the whole entry."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext

from examdesk.catalogue.models import Qualification
from examdesk.core.tests.factories import UserFactory
from examdesk.results import gate
from examdesk.results.models import Result
from examdesk.results.online import panel as result_panel
from examdesk.results.online.selectors import candidate_entry, candidate_entry_gate, gate_facts_query
from examdesk.results.tests.factories import new_revision
from examdesk.results.tests.online.helpers import registered, registrant

pytestmark = pytest.mark.django_db

RELEASE = datetime(2026, 8, 13, 8, 0, tzinfo=UTC)
AFTER = RELEASE + timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _without_tokens(page: str) -> str:
    """A page without its CSRF tokens, which Django masks afresh on every request."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", page)


def _signed_in(person) -> Client:
    browser = Client()
    browser.force_login(registered(person))
    return browser


def test_a_kept_page_is_the_same_page_from_the_gate_s_columns_and_one_cache_read(monkeypatch):
    person = registrant(released_at=RELEASE)
    browser = _signed_in(person)
    url = f"/results/entries/{person.entry.pk}/"
    with time_machine.travel(AFTER, tick=False):
        first = browser.get(url).content.decode()
        reads = []
        real_get = cache.get
        monkeypatch.setattr(cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k))
        with CaptureQueriesContext(connection) as queries:
            second = browser.get(url).content.decode()
    assert _without_tokens(first) == _without_tokens(second)
    assert "Overall score" in second and person.entry.candidate.last_name in second
    entry_queries = [q["sql"] for q in queries.captured_queries if "results_entry" in q["sql"]]
    assert len(entry_queries) == 1
    assert "last_name" not in entry_queries[0] and "released_at" in entry_queries[0]  # the gate's columns only
    assert [key for key in reads if key.startswith("results:")] == [
        result_panel.page_key(person.entry.pk, person.entry.results.get().pk, 1)
    ]


@pytest.mark.parametrize(
    "case", ["released", "not yet", "not scheduled", "not online", "pending", "withheld", "no result", "new revision"]
)
def test_the_gate_from_its_columns_decides_as_the_gate_from_the_entry(case):
    person = registrant(released_at=RELEASE if case != "not scheduled" else None)
    user = registered(person)
    entry = person.entry
    moment = RELEASE - timedelta(seconds=1) if case == "not yet" else AFTER
    if case == "not online":
        Qualification.objects.filter(pk=entry.qualification_id).update(results_online=False)
    elif case in ("pending", "withheld"):
        new_revision(entry, status=Result.Status.PENDING if case == "pending" else Result.Status.WITHHELD)
    elif case == "no result":
        Result.objects.filter(entry=entry).update(is_current=False)
    elif case == "new revision":
        new_revision(entry)
    with time_machine.travel(moment, tick=False):
        decided = candidate_entry_gate(user=user, entry_id=entry.pk)
        shown = candidate_entry(user=user, entry_id=entry.pk)
        online, released_at, result_id, status, revision = gate_facts_query(user=user, entry_id=entry.pk).get()
    assert (released_at, result_id, revision) == (decided.released_at, decided.result_id, decided.revision)
    assert decided.state is shown.state
    assert decided.released_at == shown.released_at
    if shown.state is gate.State.RELEASED:
        assert (decided.result_id, decided.revision) == (shown.result.pk, shown.result.revision)


def test_anyone_else_s_entry_is_404_for_the_gate_s_columns_too():
    person = registrant(released_at=RELEASE)
    registered(person)
    someone = UserFactory(email="someone@example.org")
    with pytest.raises(Http404):
        candidate_entry_gate(user=someone, entry_id=person.entry.pk)
    assert not gate_facts_query(user=someone, entry_id=person.entry.pk).exists()


def test_a_result_withheld_after_its_page_was_kept_is_hidden_at_once():
    person = registrant(released_at=RELEASE)
    browser = _signed_in(person)
    url = f"/results/entries/{person.entry.pk}/"
    with time_machine.travel(AFTER, tick=False):
        assert "Overall score" in browser.get(url).content.decode()
        assert "Overall score" in browser.get(url).content.decode()  # from what was kept
        new_revision(person.entry, status=Result.Status.WITHHELD)
        page = browser.get(url).content.decode()
    assert "Overall score" not in page and "withheld" in page


def test_only_a_released_result_is_kept():
    person = registrant(released_at=RELEASE)
    user = registered(person)
    with time_machine.travel(RELEASE - timedelta(seconds=1), tick=False):
        shown = candidate_entry(user=user, entry_id=person.entry.pk)
        decided = candidate_entry_gate(user=user, entry_id=person.entry.pk)
    with pytest.raises(ValueError, match="released"):
        result_panel.page_keep(shown, result_panel.mark_safe(""))
    assert result_panel.released_page(decided) is None
