"""Reads of entries for centre staff (exam and preparation centres), scoped to the viewer's centre.

Which entries a centre may see is `search.search`/`search.visible_to`; what of an entry may be shown is the gate's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from examdesk.catalogue.models import GradeBand, Qualification, Release, Series
from examdesk.centres.models import Centre
from examdesk.centres.permissions import is_board_staff_for
from examdesk.core.time import format_in_zone
from examdesk.core.time import now as current_time
from examdesk.people.models import Candidate
from examdesk.results import gate
from examdesk.results.centre.search import Criteria, Viewer, search, visible_to
from examdesk.results.models import Entry, OnlineRegistration, Result
from examdesk.results.statements.data import overall_shown, statement_entries

NOT_ONLINE_FOR_PREPARATION = "Results for this qualification are not available online; contact the exam centre."
NOTICE_LIMIT = 10  # release notices on one page; more would be a list nobody reads


def may_preview(*, actor: Any, centre: Centre) -> bool:
    """Board staff of the centre's board see results before release (marked as a preview). Nobody else."""
    return is_board_staff_for(actor, centre)


def viewer_for(*, actor: Any, centre: Centre) -> Viewer:
    """The viewer of `centre`'s results pages. A preparation centre's pages never preview: they show only what
    was released to it, whoever looks."""
    preview = centre.kind == Centre.Kind.EXAM and may_preview(actor=actor, centre=centre)
    return Viewer(centre, preview=preview)


def not_online_message(viewer: Viewer) -> str:
    return NOT_ONLINE_FOR_PREPARATION if viewer.is_preparation_centre else gate.NOT_ONLINE_MESSAGE


# --- Choices for the search form ----------------------------------------------------------------------------


def series_for_centre(*, centre: Centre) -> QuerySet[Series]:
    """The series in which an exam centre has entries."""
    here = Entry.objects.filter(centre=centre, series=OuterRef("pk"))
    return Series.objects.filter(Exists(here), board_id=centre.board_id).order_by("-starts_on", "-code")


def qualifications_for_centre(*, centre: Centre) -> QuerySet[Qualification]:
    """The qualifications an exam centre has entries for."""
    here = Entry.objects.filter(centre=centre, qualification=OuterRef("pk"))
    return Qualification.objects.filter(Exists(here), board_id=centre.board_id).order_by("name")


def series_choices(*, viewer: Viewer) -> QuerySet[Series]:
    """An exam centre chooses among its series; a preparation centre among the board's (the public calendar),
    so the list says nothing about entries it may not see yet."""
    if viewer.is_preparation_centre:
        return Series.objects.filter(board_id=viewer.centre.board_id).order_by("-starts_on", "-code")
    return series_for_centre(centre=viewer.centre)


def qualification_choices(*, viewer: Viewer) -> QuerySet[Qualification]:
    if viewer.is_preparation_centre:
        return Qualification.objects.filter(board_id=viewer.centre.board_id).order_by("name")
    return qualifications_for_centre(centre=viewer.centre)


def grade_choices(*, viewer: Viewer) -> list[tuple[str, str]]:
    """Grades of the viewer's qualifications ("A", "B", …), and the labels of bands without a grade ("Level B1")."""
    online = qualification_choices(viewer=viewer).filter(results_online=True)  # no grade of the others is shown
    bands = GradeBand.objects.filter(qualification__in=online).order_by("-min_score", "grade", "label")
    seen: dict[str, str] = {}
    grades: list[str] = []
    labels: list[str] = []
    for grade, label in bands.values_list("grade", "label"):
        value = grade or label
        if value.casefold() in seen:
            continue
        seen[value.casefold()] = value
        (grades if grade else labels).append(value)
    return [(value, value) for value in sorted(grades) + labels]


def preparation_centre_choices(*, centre: Centre) -> QuerySet[Centre]:
    """The preparation centres linked to an exam centre (centres.Centre.exam_centres): the only ones its entries
    may be linked to."""
    if centre.kind != Centre.Kind.EXAM:
        return Centre.objects.none()
    return centre.preparation_centres.filter(kind=Centre.Kind.PREPARATION).order_by("number")


# --- Rows and answers of the search page --------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """An entry on the results page: what the gate shows, and the overall score as printed (or "")."""

    shown: gate.Shown
    score: str

    @property
    def entry(self) -> Entry:
        return self.shown.entry


def score_text(shown: gate.Shown) -> str:
    """The overall score as the page, the exports and the statement print it ("" unless the gate shows it)."""
    if shown.result is None:
        return ""
    return overall_shown(shown.entry, shown.result)


def result_rows(entries: Iterable[Entry], *, viewer: Viewer, now: datetime | None = None) -> list[ResultRow]:
    return [ResultRow(shown, score_text(shown)) for shown in gate.show_all(entries, now=now, preview=viewer.preview)]


def release_notice(release: Release, zone: str) -> str:
    name = f"Results for {release.qualification.name} in {release.series.name}"
    if release.released_at is None:
        return f"{name} do not have a release date yet."
    return f"{name} are released on {format_in_zone(release.released_at, zone)}."


@dataclass(frozen=True)
class Answers:
    """What the page says besides the table: release dates of results not out yet, and results not online."""

    releases: tuple[str, ...] = ()
    not_online: str = ""


def _unreleased(releases: Iterable[Release], now: datetime) -> list[Release]:
    return [r for r in releases if r.qualification.results_online and not gate.is_released(r.released_at, now=now)][
        :NOTICE_LIMIT
    ]


def search_answers(
    *,
    viewer: Viewer,
    criteria: Criteria,
    entries: QuerySet[Entry],
    rows: list[ResultRow],
    count: int,
    now: datetime | None = None,
) -> Answers:
    """The seed's clear answers. `entries` is the search, `rows` its page, `count` its size.

    - Every entry found is waiting for its release: when each is released (one notice per qualification and series).
    - A qualification whose results are not online: say so, and whom to ask.
    - A preparation centre finding nothing for a qualification or series: the release calendar (public) answers
      "not out yet"; nothing is said about entries it cannot see.
    At most two small queries, and only when the page itself shows nothing released.
    """
    moment = current_time() if now is None else now
    zone = viewer.centre.time_zone
    chosen = Qualification.objects.filter(pk=criteria.qualification_id).first() if criteria.qualification_id else None
    if chosen is not None and not chosen.results_online:
        return Answers(not_online=not_online_message(viewer))
    if count and not viewer.preview and all(r.shown.state in (gate.State.NOT_YET, gate.State.NOT_ONLINE) for r in rows):
        # Distinct releases of the search: a handful (qualifications × series), however many entries.
        release_ids = list(entries.prefetch_related(None).order_by().values_list("release_id", flat=True).distinct())
        releases = list(Release.objects.filter(pk__in=release_ids).select_related("qualification", "series"))
        if not any(r.qualification.results_online and gate.is_released(r.released_at, now=moment) for r in releases):
            pending = _unreleased(sorted(releases, key=_release_order), moment)
            offline = any(not r.qualification.results_online for r in releases)
            return Answers(
                releases=tuple(release_notice(r, zone) for r in pending),
                not_online=not_online_message(viewer) if offline and not pending else "",
            )
    if not count and viewer.is_preparation_centre and (criteria.qualification_id or criteria.series_id):
        calendar = Release.objects.filter(
            qualification__board_id=viewer.centre.board_id, qualification__results_online=True
        ).select_related("qualification", "series")
        if criteria.qualification_id:
            calendar = calendar.filter(qualification_id=criteria.qualification_id)
        if criteria.series_id:
            calendar = calendar.filter(series_id=criteria.series_id)
        calendar = calendar.filter(Q(released_at__isnull=True) | Q(released_at__gt=moment))
        pending = _unreleased(calendar.order_by("released_at", "qualification__name")[:NOTICE_LIMIT], moment)
        return Answers(releases=tuple(release_notice(r, zone) for r in pending))
    return Answers()


def _release_order(release: Release) -> tuple[bool, datetime | None, str]:
    return (release.released_at is None, release.released_at, release.qualification.name)


# --- A candidate's page -------------------------------------------------------------------------------------


def candidate_for_results(*, viewer: Viewer, candidate_id: int, now: datetime | None = None) -> Candidate:
    """An exam centre's candidate; for a preparation centre, a candidate with an entry linked to it and released.
    Anyone else: 404."""
    if viewer.is_preparation_centre:
        moment = current_time() if now is None else now
        linked = visible_to(viewer, now=moment).filter(candidate_id=OuterRef("pk"))
        candidate = Candidate.objects.filter(Exists(linked), pk=candidate_id).first()
    else:
        candidate = Candidate.objects.filter(centre=viewer.centre, pk=candidate_id).first()
    if candidate is None:
        raise Http404("No such candidate at this centre.")
    return candidate


def candidate_entries(*, viewer: Viewer, candidate: Candidate, now: datetime | None = None) -> list[Entry]:
    """The candidate's entries the viewer may see, with what a profile and a statement need fetched."""
    moment = current_time() if now is None else now
    entries = visible_to(viewer, now=moment).filter(candidate=candidate)
    return list(
        statement_entries(entries.select_related("preparation_centre")).order_by(
            "-series__starts_on", "-series__code", "qualification__name"
        )
    )


def candidate_entry_for_link(*, centre: Centre, candidate: Candidate, entry_id: int) -> Entry:
    entry = Entry.objects.filter(centre=centre, candidate=candidate, pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


def registration_of(*, candidate: Candidate) -> OnlineRegistration | None:
    return OnlineRegistration.objects.filter(candidate=candidate).select_related("user").first()


# --- An information system's sync (the API) ----------------------------------------------------------------


def entries_for_sync(
    *,
    viewer: Viewer,
    series_id: int | None = None,
    qualification_id: int | None = None,
    changed_since: datetime | None = None,
    now: datetime | None = None,
) -> QuerySet[Entry]:
    """The entries the viewer's centre may see (the search's tenancy and release rules), with their current result
    fetched, changed at or after `changed_since`: entered, given a new result revision, or released since then
    (a release is a change: the scores appear at that second)."""
    moment = current_time() if now is None else now
    entries = search(viewer, Criteria(series_id=series_id, qualification_id=qualification_id), now=moment)
    if changed_since is not None:
        entries = entries.filter(
            Q(created_at__gte=changed_since)
            | Exists(Result.objects.filter(entry=OuterRef("pk"), is_current=True, created_at__gte=changed_since))
            | Q(release__released_at__gte=changed_since, release__released_at__lte=moment)
        )
    return entries


def access_entry_by_id(*, viewer: Viewer, entry_id: int, now: datetime | None = None) -> Entry:
    """One entry the viewer's centre may see (a preparation centre: linked to it and released); else 404."""
    moment = current_time() if now is None else now
    entry = gate.with_current_result(visible_to(viewer, now=moment).filter(pk=entry_id)).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry
