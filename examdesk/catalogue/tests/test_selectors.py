"""The public list of release dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from examdesk.catalogue.selectors import release_rows, upcoming_releases
from examdesk.catalogue.tests import factories
from examdesk.core.tests.factories import BoardFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_upcoming_first_soonest_first_then_recent_latest_first():
    board = BoardFactory(time_zone="Asia/Tokyo")
    q = factories.demo_qualifications(board)
    june = factories.series(board)
    november = factories.series(board, "2026-11", "November 2026")
    factories.release(q["FCE"], november, NOW + timedelta(days=50))
    factories.release(q["KET"], november, NOW + timedelta(days=10))
    factories.release(q["0580"], june, NOW - timedelta(days=100))
    factories.release(q["YLE-MOV"], june, NOW - timedelta(days=20))
    factories.release(q["FCE"], june, NOW - timedelta(days=400))  # too long ago to list
    factories.release(q["KET"], june, None)  # not scheduled
    rows = upcoming_releases(now=NOW)
    assert [(r.qualification_code, r.series_name, r.released) for r in rows] == [
        ("KET", "November 2026", False),
        ("FCE", "November 2026", False),
        ("YLE-MOV", "June 2026", True),
        ("0580", "June 2026", True),
    ]
    assert {r.board_zone for r in rows} == {"Asia/Tokyo"}
    assert [r.results_online for r in rows] == [True, True, False, True]


def test_the_release_second_itself_counts_as_released():
    board = BoardFactory()
    fce = factories.qualification(board)
    series = factories.series(board)
    factories.release(fce, series, NOW)
    assert upcoming_releases(now=NOW - timedelta(seconds=1))[0].released is False
    assert upcoming_releases(now=NOW)[0].released is True
    assert [r.released for r in release_rows(series=series, now=NOW - timedelta(seconds=1)) if r.released_at] == [False]
    assert [r.released for r in release_rows(series=series, now=NOW) if r.released_at] == [True]


def test_retired_qualifications_are_not_listed():
    board = BoardFactory()
    fce = factories.qualification(board)
    series = factories.series(board)
    factories.release(fce, series, NOW + timedelta(days=1))
    fce.is_active = False
    fce.save()
    assert upcoming_releases(now=NOW) == []
    assert fce not in [row.qualification for row in release_rows(series=series, now=NOW)]


def test_one_board_only_when_asked():
    first, second = BoardFactory(name="First"), BoardFactory(name="Second")
    for board in (first, second):
        factories.release(factories.qualification(board), factories.series(board), NOW + timedelta(days=1))
    assert len(upcoming_releases(now=NOW)) == 2
    assert len(upcoming_releases(now=NOW, board=first)) == 1
