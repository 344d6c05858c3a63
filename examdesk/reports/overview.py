"""The centre's overview (and the board's, across its centres): what needs attention now, and how the candidates did.

Reads only: releases coming, jobs running, sittings open, credits running out, imports left with problems; and for
each released series, the grade distribution of each qualification, drawn as an SVG column chart with the same
figures in a table (reports/charts.py lays it out, documents/vector.py draws it, as the report and profile charts).
Results pass the release gate (results.gate.visible_results): the overview shows nothing the results pages hide.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from examdesk.catalogue.models import GradeBand, Release
from examdesk.centres.models import Centre
from examdesk.core.time import format_in_zone, now
from examdesk.jobs.models import Job
from examdesk.reports.charts import Chart, chart_svg
from examdesk.reports.selectors import Point
from examdesk.results.gate import visible_results
from examdesk.results.models import Entry, Result
from examdesk.sittings.models import Allocation, Sitting
from examdesk.sittings.selectors import allocation_balances
from examdesk.transfer.models import ImportBatch

#: How far ahead a release or a credit expiry counts as "coming".
AHEAD = timedelta(days=30)
#: Imports older than this are history, not something to act on.
RECENT_IMPORTS = timedelta(days=14)


@dataclass(frozen=True)
class Attention:
    """One thing to look at: a count, what it is, where to act; tone "info", "warning" or "error"."""

    count: int
    title: str
    detail: str
    url: str
    link_text: str
    tone: str = "info"


@dataclass
class GradeChart:
    """The grade distribution of one qualification in one released series."""

    qualification: str
    series: str
    element_id: str
    rows: list[tuple[str, int]] = field(default_factory=list)  # grade → candidates, best first

    @property
    def total(self) -> int:
        return sum(count for _grade, count in self.rows)

    @property
    def title(self) -> str:
        return _("{qualification}, {series}: candidates per grade").format(
            qualification=self.qualification, series=self.series
        )

    @property
    def svg(self) -> SafeString:
        points = tuple(Point(grade, Decimal(count), str(count)) for grade, count in self.rows)
        lead = _("Column chart of the number of candidates at each grade.")
        return chart_svg(Chart("columns", self.title, points, "", lead=lead), element_id=self.element_id)


def _zone(centres: list[Centre]) -> str:
    return centres[0].time_zone if len(centres) == 1 else centres[0].board.time_zone


def attention_items(
    *, actor: Any, centres: list[Centre], capabilities: frozenset[str], board: bool = False
) -> list[Attention]:
    """What needs attention at these centres (one centre, or every centre of a board), for what the actor may do."""
    if not centres:
        return []
    moment = now()
    zone = _zone(centres)
    ids = [centre.pk for centre in centres]
    one = centres[0]
    items: list[Attention] = []

    if "view_results" in capabilities:
        coming = (
            Release.objects.filter(
                released_at__gt=moment,
                released_at__lte=moment + AHEAD,
                qualification__results_online=True,
                entries__centre_id__in=ids,
            )
            .annotate(entry_count=Count("entries", filter=Q(entries__centre_id__in=ids)))
            .select_related("qualification", "series")
            .order_by("released_at")
        )
        releases = list(coming)
        if releases:
            first = releases[0]
            assert first.released_at is not None
            items.append(
                Attention(
                    count=len(releases),
                    title=ngettext("release coming", "releases coming", len(releases)),
                    detail=ngettext(
                        "Next: {qualification}, {series}, on {moment} ({entries} entry).",
                        "Next: {qualification}, {series}, on {moment} ({entries} entries).",
                        first.entry_count,
                    ).format(
                        qualification=first.qualification.name,
                        series=first.series.name,
                        moment=format_in_zone(first.released_at, zone),
                        entries=first.entry_count,
                    ),
                    url=reverse("catalogue:release_dates"),
                    link_text=_("See the release dates"),
                )
            )

    running = Job.objects.filter(
        centre_id__in=ids, owner=actor, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).count()
    if running:
        items.append(
            Attention(
                count=running,
                title=ngettext("of your jobs running", "of your jobs running", running),
                detail=_("Exports, statements and other long tasks you started."),
                url=reverse("jobs:list"),
                link_text=_("See your jobs"),
            )
        )

    if "view_sittings" in capabilities:
        open_sittings = Sitting.objects.filter(centre_id__in=ids, opens_at__lte=moment, closes_at__gte=moment).count()
        if open_sittings:
            items.append(
                Attention(
                    count=open_sittings,
                    title=ngettext("sitting open now", "sittings open now", open_sittings),
                    detail=_("Candidates can sign in with their codes today."),
                    url="" if board else reverse("centres:sittings:list", args=[one.number]),
                    link_text="" if board else _("See the sittings"),
                )
            )
        today = moment.date()
        expiring = list(
            Allocation.objects.filter(centre_id__in=ids, expires_on__gte=today, expires_on__lte=today + AHEAD)
        )
        balances = allocation_balances(allocations=expiring)
        left = sum(balance for balance in balances.values() if balance > 0)
        if left:
            soonest = min(a.expires_on for a in expiring if balances[a.pk] > 0)
            items.append(
                Attention(
                    count=left,
                    title=ngettext("credit expiring soon", "credits expiring soon", left),
                    detail=_("Unused credits expire from the end of {day}.").format(day=f"{soonest:%-d %B %Y}"),
                    url="" if board else reverse("centres:sittings:credits", args=[one.number]),
                    link_text="" if board else _("See the credits"),
                    tone="warning",
                )
            )

    if "manage_candidates" in capabilities:
        stuck = ImportBatch.objects.filter(
            centre_id__in=ids,
            created_at__gte=moment - RECENT_IMPORTS,
            status__in=[ImportBatch.Status.READY, ImportBatch.Status.FAILED],
        )
        with_problems = [
            batch
            for batch in stuck
            if batch.status == ImportBatch.Status.FAILED
            or batch.summary.get("rejected")
            or batch.summary.get("file_problems")
            or batch.summary.get("date_question")
        ]
        if with_problems:
            items.append(
                Attention(
                    count=len(with_problems),
                    title=ngettext("import with problems", "imports with problems", len(with_problems)),
                    detail=_("Checked files that were not imported: fix them, or import the valid rows."),
                    url="" if board else reverse("centres:transfer:import", args=[one.number]),
                    link_text="" if board else _("See recent imports"),
                    tone="error",
                )
            )
    return items


def grade_charts(*, centres: list[Centre], capabilities: frozenset[str], limit: int = 12) -> list[GradeChart]:
    """For each released series (newest first) and qualification, how many candidates got each grade.

    A preparation centre counts the entries linked to it, as its results page shows them."""
    if not centres or "view_results" not in capabilities:
        return []
    ids = [centre.pk for centre in centres]
    preparation = [c.pk for c in centres if c.kind == Centre.Kind.PREPARATION]
    where = Q(entry__centre_id__in=ids) | Q(entry__preparation_centre_id__in=preparation)
    results = (
        visible_results(Result.objects.filter(where))
        .values("entry__series_id", "entry__series__name", "entry__qualification_id", "entry__qualification__name")
        .annotate(released=Count("id"))
    )
    counts = (
        visible_results(Result.objects.filter(where))
        .values("entry__series_id", "entry__qualification_id", "grade", "label")
        .annotate(candidates=Count("entry__candidate_id", distinct=True))
    )
    by_pair: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for row in counts:
        shown = row["grade"] or row["label"] or _("No grade")
        pair = (row["entry__series_id"], row["entry__qualification_id"])
        by_pair[pair][shown] = by_pair[pair].get(shown, 0) + row["candidates"]
    release_order = {
        (r.series_id, r.qualification_id): r.released_at
        for r in Release.objects.filter(series_id__in={row["entry__series_id"] for row in results})
    }
    ordered = sorted(
        results,
        key=lambda row: (
            -(release_order.get((row["entry__series_id"], row["entry__qualification_id"])) or now()).timestamp(),
            row["entry__qualification__name"],
        ),
    )
    bands: dict[int, list[str]] = defaultdict(list)
    for band in GradeBand.objects.filter(qualification_id__in={row["entry__qualification_id"] for row in ordered}):
        bands[band.qualification_id].append(band.grade or band.label)
    charts = []
    for number, row in enumerate(ordered[:limit], start=1):
        pair = (row["entry__series_id"], row["entry__qualification_id"])
        found = by_pair[pair]
        order = [grade for grade in bands[row["entry__qualification_id"]] if grade in found]
        order += sorted(grade for grade in found if grade not in order)
        charts.append(
            GradeChart(
                qualification=row["entry__qualification__name"],
                series=row["entry__series__name"],
                element_id=f"grades-{number}",
                rows=[(grade, found[grade]) for grade in order],
            )
        )
    return charts


def entries_waiting(*, centres: list[Centre]) -> int:
    """Entries whose results are not released yet (for the overview's sentence when no chart can be drawn)."""
    return Entry.objects.filter(centre__in=centres).exclude(release__released_at__lte=now()).count()
