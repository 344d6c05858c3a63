"""Reads for Results Online: a signed-in candidate sees only their own entries, each through the release gate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

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


def candidate_entry_gate(*, user: Any, entry_id: int) -> EntryGate:
    """The gate asked for one of the person's own entries (anyone else's is 404), reading only the columns it
    decides on: one statement, and no model built. The result page asks it on every request and reads the rest
    of the page from what the gate's answer names (examdesk.results.online.panel)."""
    facts = (
        Entry.objects.filter(candidate__online_registration__user=user, pk=entry_id)
        .annotate(current_result_joined=gate.current_result_relation())
        .values_list(*gate.FACTS)
        .order_by()[:1]
    )
    found = next(iter(facts), None)
    if found is None:
        raise Http404("No such entry.")
    results_online, released_at, result_id, status, revision = found
    state = gate.decide(
        results_online=results_online, released_at=released_at, result_status=status, now=now(), preview=False
    )
    return EntryGate(entry_id, state, released_at, result_id, revision)
