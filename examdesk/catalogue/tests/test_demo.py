"""The demo catalogue: qualifications, two series and their release times; loading it twice changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from examdesk.audit.models import AuditEvent
from examdesk.catalogue.demo import load_demo_catalogue
from examdesk.catalogue.models import Component, GradeBand, Qualification, Release, Series
from examdesk.core.tests.factories import BoardFactory

pytestmark = pytest.mark.django_db

DEMO_NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def snapshot() -> tuple:
    return (
        list(Qualification.objects.values_list("pk", "code", "name")),
        list(Component.objects.values_list("pk", "code", "max_score")),
        list(GradeBand.objects.values_list("pk", "min_score", "label")),
        list(Series.objects.values_list("pk", "code", "name", "starts_on")),
        list(Release.objects.values_list("pk", "qualification__code", "series__code", "released_at")),
        AuditEvent.objects.count(),
    )


def test_the_demo_catalogue():
    board = BoardFactory(time_zone="Europe/London")
    loaded = load_demo_catalogue(board)
    assert set(loaded["qualifications"]) == {"FCE", "KET", "0580", "YLE-MOV"}
    assert {code: s.name for code, s in loaded["series"].items()} == {
        "2026-06": "June 2026",
        "2026-11": "November 2026",
    }
    june = Release.objects.filter(series__code="2026-06")
    november = Release.objects.filter(series__code="2026-11")
    assert june.count() == november.count() == 4
    assert {r.released_at for r in june} == {datetime(2026, 8, 13, 7, 0, tzinfo=UTC)}  # 08:00 in London (BST)
    assert {r.released_at for r in november} == {datetime(2027, 1, 14, 8, 0, tzinfo=UTC)}  # 08:00 in London (GMT)
    assert all(r.released_at < DEMO_NOW for r in june)
    assert all(r.released_at > DEMO_NOW for r in november)


def test_loading_it_again_changes_nothing():
    board = BoardFactory()
    load_demo_catalogue(board)
    before = snapshot()
    again = load_demo_catalogue(board)
    assert snapshot() == before
    assert set(again["qualifications"]) == {"FCE", "KET", "0580", "YLE-MOV"}


def test_a_changed_demo_qualification_is_put_back():
    board = BoardFactory()
    load_demo_catalogue(board)
    Qualification.objects.filter(code="FCE").update(name="Renamed")
    Release.objects.filter(series__code="2026-11", qualification__code="KET").update(released_at=None)
    load_demo_catalogue(board)
    assert Qualification.objects.get(code="FCE").name == "B2 First"
    assert Release.objects.get(series__code="2026-11", qualification__code="KET").released_at is not None
