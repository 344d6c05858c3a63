"""Reads for Results Online: a signed-in candidate sees only their own entries, each through the release gate."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

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
