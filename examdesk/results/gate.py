"""The release gate: the one place that decides whether a result may be shown.

Every channel (candidate pages, centre pages, statements, exports, the API, counts, e-mails) asks this module.
It reads the clock and the release row at the moment of asking: nothing is cached or scheduled, so a result
appears in the very second of its release and never before.

Board staff may *preview* (they see scores before release, marked as a preview); nobody else can.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import FilteredRelation, Prefetch, Q, QuerySet
from django.utils.translation import gettext_noop

from examdesk.core.time import now as current_time
from examdesk.results.models import Entry, Result

NOT_ONLINE_MESSAGE = gettext_noop("Results for this qualification are not available online; contact your centre.")


class State(enum.StrEnum):
    RELEASED = "released"
    NOT_YET = "not_yet"
    NOT_ONLINE = "not_online"
    NO_RESULT = "no_result"
    PENDING = "pending"
    WITHHELD = "withheld"


@dataclass(frozen=True)
class Shown:
    """An entry as one person may see it: `result` is set only when its scores may be shown."""

    entry: Entry
    state: State
    released_at: datetime | None
    result: Result | None = None
    preview: bool = False

    @property
    def scores_visible(self) -> bool:
        return self.result is not None


#: What showing an entry reads beside it: the gate needs the qualification and the release, pages the rest.
SHOWN_WITH = ("qualification", "series", "release", "candidate", "centre")


def with_current_result(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Entries with their current result fetched in one more query (read it with `current_result`)."""
    return entries.select_related(*SHOWN_WITH).prefetch_related(
        Prefetch("results", queryset=Result.objects.filter(is_current=True), to_attr="current_results")
    )


def current_result_relation() -> FilteredRelation:
    """An entry's current result as a join (annotate it as `current_result_joined`)."""
    return FilteredRelation("results", condition=Q(results__is_current=True))


def with_current_result_joined(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Entries with their current result in the same query (a join): for a page that shows one entry, the
    whole gate decision is one statement."""
    return entries.annotate(current_result_joined=current_result_relation()).select_related(  # type: ignore[misc]
        *SHOWN_WITH, "current_result_joined"
    )


#: What `decide` needs of an entry, as columns (for `values_list` on entries annotated with the current result).
FACTS = (
    "qualification__results_online",
    "release__released_at",
    "current_result_joined__id",
    "current_result_joined__status",
    "current_result_joined__revision",
)


def current_result(entry: Entry) -> Result | None:
    if hasattr(entry, "current_result_joined"):
        joined: Result | None = entry.current_result_joined
        return joined
    cached = getattr(entry, "current_results", None)
    if cached is not None:
        return cached[0] if cached else None
    return entry.results.filter(is_current=True).first()


def is_released(released_at: datetime | None, *, now: datetime) -> bool:
    return released_at is not None and now >= released_at


def decide(
    *, results_online: bool, released_at: datetime | None, result_status: str | None, now: datetime, preview: bool
) -> State:
    """The gate's decision from the facts it rests on: whether the qualification's results go online, the
    release time, and the status of the current result (None: there is none)."""
    if not preview:
        if not results_online:
            return State.NOT_ONLINE
        if not is_released(released_at, now=now):
            return State.NOT_YET
    if result_status is None:
        return State.NO_RESULT
    if result_status == Result.Status.PENDING:
        return State.PENDING
    if result_status == Result.Status.WITHHELD:
        return State.WITHHELD
    return State.RELEASED


def show(entry: Entry, *, now: datetime | None = None, preview: bool = False) -> Shown:
    """Decide what of `entry` may be shown now. `preview` is for board staff only."""
    moment = current_time() if now is None else now
    released_at = entry.release.released_at
    online = entry.qualification.results_online
    if not preview and (not online or not is_released(released_at, now=moment)):
        return Shown(entry, decide(results_online=online, released_at=released_at, result_status=None, now=moment,
                                   preview=False), released_at)  # fmt: skip
    result = current_result(entry)
    status = None if result is None else result.status
    state = decide(results_online=online, released_at=released_at, result_status=status, now=moment, preview=preview)
    return Shown(entry, state, released_at, result=result if state is State.RELEASED else None, preview=preview)


def show_all(entries: Iterable[Entry], *, now: datetime | None = None, preview: bool = False) -> list[Shown]:
    moment = current_time() if now is None else now
    return [show(entry, now=moment, preview=preview) for entry in entries]


def released_entries_q(*, now: datetime | None = None, prefix: str = "") -> Q:
    """The gate as a query filter, for counts, exports and bulk work: entries whose issued scores may be shown."""
    moment = current_time() if now is None else now
    return Q(
        **{
            f"{prefix}release__released_at__lte": moment,
            f"{prefix}qualification__results_online": True,
        }
    )


def visible_results(results: QuerySet[Result], *, now: datetime | None = None) -> QuerySet[Result]:
    """Current, issued results that have been released: the only results any non-board channel may read."""
    return results.filter(released_entries_q(now=now, prefix="entry__"), is_current=True, status=Result.Status.ISSUED)
