"""Reads of the catalogue: the board's own qualifications and series, and the public list of release dates.
Products (online assessments) have their own room: catalogue/products/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from examdesk.catalogue.models import Component, GradeBand, Qualification, Release, Series
from examdesk.centres.models import Board
from examdesk.core.time import now as current_time

#: How far back the public list of release dates reaches.
RECENT_DAYS = 183


def qualification_list(*, board: Board) -> QuerySet[Qualification]:
    return Qualification.objects.filter(board=board).annotate(component_count=Count("components"))


def qualification_get(*, board: Board, pk: int) -> Qualification:
    qualification = Qualification.objects.filter(board=board, pk=pk).first()
    if qualification is None:
        raise Http404("No such qualification.")
    return qualification


def qualification_code_exists(*, board: Board, code: str) -> bool:
    return Qualification.objects.filter(board=board, code=code).exists()


def qualification_codes_existing(*, board: Board, codes: list[str]) -> set[str]:
    """Which of these codes the board already has a qualification for."""
    return set(Qualification.objects.filter(board=board, code__in=codes).values_list("code", flat=True))


def qualification_snapshots(*, board: Board, codes: list[str]) -> dict[str, tuple[Any, ...]]:
    """What each of these qualifications is now (fields, components, bands), to tell a changed one from one that a
    file loaded again exactly as it was."""
    found = Qualification.objects.filter(board=board, code__in=codes).prefetch_related("components", "bands")
    return {
        q.code: (
            q.name, q.family, q.results_online, q.aggregation, q.rounding, q.decimals, q.overall_min, q.overall_max,
            tuple((c.code, c.name, c.min_score, c.max_score, c.weight) for c in q.components.all()),
            tuple((b.min_score, b.grade, b.label, b.cefr_level, b.awards_certificate) for b in q.bands.all()),
        )
        for q in found
    }  # fmt: skip


def qualification_components(*, qualification: Qualification) -> list[Component]:
    return list(qualification.components.all())


def qualification_bands(*, qualification: Qualification) -> list[GradeBand]:
    """The grading bands, highest first."""
    return list(qualification.bands.all())


def plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def qualification_data(qualification: Qualification) -> dict[str, Any]:
    """The qualification as one item of a qualification file (what `parse_data` reads back unchanged)."""
    return {
        "code": qualification.code,
        "name": qualification.name,
        "family": qualification.family,
        "results_online": qualification.results_online,
        "overall": {
            "aggregation": qualification.aggregation,
            "rounding": qualification.rounding,
            "decimals": qualification.decimals,
            "min": plain_number(qualification.overall_min),
            "max": plain_number(qualification.overall_max),
        },
        "components": [
            {
                "code": component.code,
                "name": component.name,
                "min": plain_number(component.min_score),
                "max": plain_number(component.max_score),
                "weight": plain_number(component.weight),
            }
            for component in qualification.components.all()
        ],
        "bands": [
            {
                "min": plain_number(band.min_score),
                "grade": band.grade,
                "label": band.label,
                "cefr": band.cefr_level,
                "certificate": band.awards_certificate,
            }
            for band in qualification.bands.all()
        ],
        **({"translations": qualification.translations} if qualification.translations else {}),
    }


def series_list(*, board: Board) -> QuerySet[Series]:
    return Series.objects.filter(board=board).annotate(
        releases_set=Count("releases", filter=Q(releases__released_at__isnull=False))
    )


def series_code_exists(*, board: Board, code: str) -> bool:
    return Series.objects.filter(board=board, code=code).exists()


def series_get(*, board: Board, pk: int) -> Series:
    series = Series.objects.filter(board=board, pk=pk).first()
    if series is None:
        raise Http404("No such series.")
    return series


@dataclass(frozen=True)
class ReleaseRow:
    """One active qualification in a series and when its results are released (None: not set, not visible)."""

    qualification: Qualification
    released_at: datetime | None
    released: bool


def release_rows(*, series: Series, now: datetime | None = None) -> list[ReleaseRow]:
    moment = current_time() if now is None else now
    times: dict[int, datetime | None] = dict(
        Release.objects.filter(series=series).values_list("qualification_id", "released_at")
    )
    rows = []
    for qualification in Qualification.objects.filter(board=series.board, is_active=True):
        moment_set = times.get(qualification.pk)
        rows.append(
            ReleaseRow(
                qualification=qualification,
                released_at=moment_set,
                released=moment_set is not None and moment >= moment_set,
            )
        )
    return rows


def releases_of_qualification(*, qualification: Qualification) -> QuerySet[Release]:
    return Release.objects.filter(qualification=qualification).select_related("series").order_by("-series__starts_on")


@dataclass(frozen=True)
class ReleaseDate:
    """A line of the public list of release dates."""

    qualification_code: str
    qualification_name: str
    series_name: str
    released_at: datetime
    board_zone: str
    results_online: bool
    released: bool


def upcoming_releases(
    *, now: datetime | None = None, board: Board | None = None, recent_days: int = RECENT_DAYS
) -> list[ReleaseDate]:
    """Release times set for active qualifications: upcoming ones (soonest first), then those of the last
    `recent_days` days (latest first). Public information: no results, only when they appear."""
    moment = current_time() if now is None else now
    releases = (
        Release.objects.filter(
            released_at__isnull=False,
            released_at__gte=moment - timedelta(days=recent_days),
            qualification__is_active=True,
        )
        .select_related("qualification__board", "series")
        .order_by("released_at", "qualification__name", "series__code")
    )
    if board is not None:
        releases = releases.filter(qualification__board=board)
    rows = [
        ReleaseDate(
            qualification_code=release.qualification.code,
            qualification_name=release.qualification.name,
            series_name=release.series.name,
            released_at=release.released_at,
            board_zone=release.qualification.board.time_zone,
            results_online=release.qualification.results_online,
            released=moment >= release.released_at,
        )
        for release in releases
        if release.released_at is not None
    ]
    upcoming = [row for row in rows if not row.released]
    recent = [row for row in rows if row.released]
    recent.reverse()
    return upcoming + recent


def releases_made_between(*, since: datetime, until: datetime) -> QuerySet[Release]:
    """Releases of results-online qualifications whose time fell in (since, until]: what a system scanning for
    "results released" events reads. Times only, no results."""
    releases = Release.objects.filter(released_at__gt=since, released_at__lte=until, qualification__results_online=True)
    return releases.select_related("qualification", "series")
