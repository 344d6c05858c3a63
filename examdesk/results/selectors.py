"""Reads of entries for centre staff, scoped to the actor's centre. Visibility of scores is the gate's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from examdesk.catalogue.models import Qualification, Series
from examdesk.centres.models import Centre
from examdesk.centres.permissions import is_board_staff_for
from examdesk.people.models import Candidate
from examdesk.results.gate import with_current_result
from examdesk.results.models import Entry, OnlineRegistration


def may_preview(*, actor: Any, centre: Centre) -> bool:
    """Board staff of the centre's board see results before release (marked as a preview). Nobody else."""
    return is_board_staff_for(actor, centre)


def entries_for_centre(
    *,
    centre: Centre,
    series: Series | None = None,
    qualification: Qualification | None = None,
    search: str = "",
) -> QuerySet[Entry]:
    """A centre's own entries (the caller has checked the actor's capability at `centre`)."""
    entries = Entry.objects.filter(centre=centre)
    if series is not None:
        entries = entries.filter(series=series)
    if qualification is not None:
        entries = entries.filter(qualification=qualification)
    search = search.strip()
    if search:
        words = Q()
        for word in search.split():
            words &= (
                Q(candidate__first_name__icontains=word)
                | Q(candidate__last_name__icontains=word)
                | Q(candidate__unique_id__iexact=word)
                | Q(candidate_number=word.zfill(4) if word.isdigit() else word)
            )
        entries = entries.filter(words)
    return with_current_result(entries).order_by("series__code", "qualification__code", "candidate_number")


def series_for_centre(*, centre: Centre) -> QuerySet[Series]:
    return Series.objects.filter(entries__centre=centre).distinct().order_by("-starts_on", "-code")


def qualifications_for_centre(*, centre: Centre) -> QuerySet[Qualification]:
    return Qualification.objects.filter(entries__centre=centre).distinct().order_by("name")


def candidate_for_results(*, centre: Centre, candidate_id: int) -> Candidate:
    candidate = Candidate.objects.filter(centre=centre, pk=candidate_id).first()
    if candidate is None:
        raise Http404("No such candidate at this centre.")
    return candidate


def candidate_entries(*, centre: Centre, candidate: Candidate) -> list[Entry]:
    return list(
        with_current_result(Entry.objects.filter(centre=centre, candidate=candidate)).order_by(
            "-series__starts_on", "qualification__name"
        )
    )


def registration_of(*, candidate: Candidate) -> OnlineRegistration | None:
    return OnlineRegistration.objects.filter(candidate=candidate).select_related("user").first()
