"""The released part of the result page is rendered once per result revision and read from the cache after
the gate has shown the result on that request; the cache never decides what anyone sees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from examdesk.results.models import Result
from examdesk.results.online import panel as result_panel
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


@pytest.fixture
def person():
    return registrant(released_at=RELEASE)


@pytest.fixture
def browser(person) -> Client:
    browser = Client()
    browser.force_login(registered(person))
    return browser


def _page(browser: Client, person) -> str:
    response = browser.get(f"/results/entries/{person.entry.pk}/")
    assert response.status_code == 200
    return str(response.content.decode())


def _panel(page: str) -> str:
    return page[page.find("<h2>Your result</h2>") : page.find("<h2>Questions about this result</h2>")]


def _keys(person) -> list[str]:
    prefix = f"results:panel:{result_panel.SHAPE}:"
    results = Result.objects.filter(entry=person.entry).values_list("pk", "revision")
    # English pages (no Accept-Language): the panel of each language has its own key.
    keys = [f"{prefix}{pk}:{revision}:en-gb" for pk, revision in results]
    return [key for key in keys if cache.get(key)]


def test_the_panel_is_rendered_once_and_the_next_view_reads_it(browser, person, monkeypatch):
    renders = []
    real = result_panel.render_to_string
    monkeypatch.setattr(result_panel, "render_to_string", lambda *a, **k: renders.append(1) or real(*a, **k))
    with time_machine.travel(AFTER, tick=False):
        first = _page(browser, person)
        second = _page(browser, person)
        assert len(_keys(person)) == 1
    assert _panel(first) == _panel(second) != ""
    assert "Overall score" in second and "Download your statement (PDF)" in second
    assert len(renders) == 1


def test_a_cached_page_costs_the_session_the_person_and_one_query_for_the_entry(
    browser, person, django_assert_num_queries
):
    with time_machine.travel(AFTER, tick=False):
        _page(browser, person)
        with django_assert_num_queries(3):  # session, user, entry with its release and current result
            _page(browser, person)


def test_nothing_is_cached_or_read_before_the_release_time(browser, person):
    with time_machine.travel(RELEASE - timedelta(seconds=1), tick=False):
        page = _page(browser, person)
    assert "Overall score" not in page
    assert _keys(person) == []


def test_a_new_revision_shows_its_own_figures_at_once(browser, person):
    with time_machine.travel(AFTER, tick=False):
        before = _page(browser, person)
        assert new_revision(person.entry).revision == 2
        after = _page(browser, person)
        assert len(_keys(person)) == 2
    assert before != after
    assert "150" in after


def test_a_result_withheld_after_release_is_hidden_although_its_panel_is_cached(browser, person):
    with time_machine.travel(AFTER, tick=False):
        assert "Overall score" in _page(browser, person)
        new_revision(person.entry, status=Result.Status.WITHHELD)
        page = _page(browser, person)
    assert "Overall score" not in page


def test_a_withdrawn_release_hides_a_cached_panel(browser, person):
    with time_machine.travel(AFTER, tick=False):
        assert "Overall score" in _page(browser, person)
        release = person.entry.release
        release.released_at = None
        release.save()
        assert "Overall score" not in _page(browser, person)
        assert _keys(person)  # still cached, and not shown: the gate decided


def test_only_a_released_result_has_a_panel(person):
    from examdesk.results import gate

    with time_machine.travel(RELEASE - timedelta(seconds=1), tick=False):
        shown = gate.show(person.entry.__class__.objects.get(pk=person.entry.pk))
    with pytest.raises(ValueError, match="released"):
        result_panel.released_panel(shown)
