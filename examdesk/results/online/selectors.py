"""Reads for Results Online: a signed-in candidate sees only their own entries, each through the release gate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils.dateparse import parse_datetime

from examdesk.core.time import now
from examdesk.results import gate
from examdesk.results.models import Entry, OnlineRegistration


def is_candidate(user: Any) -> bool:
    """Whether the person has registered for Results Online (with at least one ID number)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return OnlineRegistration.objects.filter(user=user).exists()


def registered_id_numbers(*, user: Any) -> list[str]:
    return list(OnlineRegistration.objects.filter(user=user).order_by("pk").values_list("id_number", flat=True))


def _entries_of(user: Any) -> QuerySet[Entry]:
    return gate.with_current_result(Entry.objects.filter(candidate__online_registration__user=user))


def candidate_entries(*, user: Any) -> list[gate.Shown]:
    """Every entry of every candidate the person registered as, newest series first, as the gate shows them."""
    entries = _entries_of(user).order_by("-series__starts_on", "-series__code", "qualification__name", "pk")
    return gate.show_all(entries)


def candidate_entry(*, user: Any, entry_id: int, for_statement: bool = False) -> gate.Shown:
    """One of the person's own entries, as the gate shows it now. Anyone else's entry is 404.

    One statement decides it all: the entry, its release and its current result, joined. Polling before the
    release time therefore costs one query, and so does the page once the result is out. A statement also
    prints the board and the ID number: `for_statement` joins them too."""
    entries = Entry.objects.filter(candidate__online_registration__user=user, pk=entry_id)
    if for_statement:
        entries = entries.select_related("centre__board", "candidate__online_registration")
    joined = gate.with_current_result_joined(entries)
    entry = next(iter(joined.order_by()[:1]), None)
    if entry is None:
        raise Http404("No such entry.")
    return gate.show(entry)


@dataclass(frozen=True)
class EntryGate:
    """The gate's decision for one of the person's entries, now, and the current result it was about."""

    entry_id: int
    state: gate.State
    released_at: datetime | None
    result_id: int | None
    revision: int | None


#: The gate's facts for one of a person's entries (see `gate.FACTS`), written out once. Django takes longer to
#: build and compile the same statement from a queryset (about half a millisecond) than the database takes to
#: run it, on a page that results day asks for hundreds of times a second. `gate_facts_query` is the queryset
#: it stands for; the tests check that both answer alike.
GATE_FACTS_SQL = """
    SELECT q.results_online, rel.released_at, r.id, r.status, r.revision
      FROM results_entry e
      JOIN results_onlineregistration reg ON reg.candidate_id = e.candidate_id
      JOIN catalogue_qualification q ON q.id = e.qualification_id
      JOIN catalogue_release rel ON rel.id = e.release_id
      LEFT JOIN results_result r ON r.entry_id = e.id AND r.is_current
     WHERE reg.user_id = %s AND e.id = %s
     LIMIT 1
"""


def _utc(value: datetime | str | None) -> datetime | None:
    """A datetime column from a raw cursor: PostgreSQL's is aware; SQLite's is UTC, naive or as text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def gate_facts_query(*, user: Any, entry_id: int) -> QuerySet[Entry, tuple[Any, ...]]:
    return (
        Entry.objects.filter(candidate__online_registration__user=user, pk=entry_id)
        .annotate(current_result_joined=gate.current_result_relation())
        .values_list(*gate.FACTS)
        .order_by()[:1]
    )


def candidate_entry_gate(*, user: Any, entry_id: int) -> EntryGate:
    """The gate asked for one of the person's own entries (anyone else's is 404), reading only the columns it
    decides on: one statement, no model built. The result page asks it on every request and reads the rest of
    the page from what the gate's answer names (examdesk.results.online.panel)."""
    with connection.cursor() as cursor:
        cursor.execute(GATE_FACTS_SQL, [user.pk, entry_id])
        found = cursor.fetchone()
    if found is None:
        raise Http404("No such entry.")
    results_online, released_at, result_id, status, revision = found
    released_at = _utc(released_at)
    state = gate.decide(
        results_online=bool(results_online), released_at=released_at, result_status=status, now=now(), preview=False
    )
    return EntryGate(entry_id, state, released_at, result_id, revision)
