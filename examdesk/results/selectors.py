"""Reads of entries across the results rooms (the rooms' own reads live beside their views)."""

from __future__ import annotations

from collections.abc import Collection

from examdesk.catalogue.models import Release
from examdesk.results.models import Entry


def centres_with_entries_in(*, release: Release, centre_ids: Collection[int]) -> set[int]:
    """Which of `centre_ids` have entries in `release`, as the exam centre or as the preparation centre."""
    at_centres = Entry.objects.filter(release=release, centre_id__in=centre_ids).values_list("centre_id", flat=True)
    prepared = Entry.objects.filter(release=release, preparation_centre_id__in=centre_ids).values_list(
        "preparation_centre_id", flat=True
    )
    return {int(pk) for pk in at_centres} | {int(pk) for pk in prepared if pk is not None}
