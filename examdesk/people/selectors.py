"""Reads of the candidate register, scoped to a centre the actor may see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from examdesk.centres.models import Centre
from examdesk.people import nationality
from examdesk.people.models import Candidate, Group, ValueMapping, VocabularyTerm


def candidate_list_for_centre(
    *, centre: Centre, search: str = "", group_id: int | None = None, status: str = "active"
) -> QuerySet[Candidate]:
    """The centre's candidates, active ones unless asked otherwise. The caller checked the actor's access.

    Deactivated candidates are hidden by default, never deleted.
    """
    candidates = Candidate.objects.filter(centre=centre)
    if status == "active":
        candidates = candidates.filter(is_active=True)
    elif status == "deactivated":
        candidates = candidates.filter(is_active=False)
    if search:
        for word in search.split():
            candidates = candidates.filter(
                Q(unique_id__istartswith=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
                | Q(email__istartswith=word)
            )  # fmt: skip
    if group_id:
        candidates = candidates.filter(groups__id=group_id)
    return candidates.order_by("last_name", "first_name", "id")


def centre_has_candidates(*, centre: Centre) -> bool:
    """Whether the centre has any candidate at all, active or not (an empty list then says how to add them)."""
    return Candidate.objects.filter(centre=centre).exists()


def candidate_list_for_sync(
    *, centre: Centre, group_id: int | None = None, active: bool | None = None, updated_since: datetime | None = None
) -> QuerySet[Candidate]:
    """The centre's candidates for an information system's sync (the API): every one unless filtered, including
    deactivated ones (a sync must learn of a deactivation), changed at or after `updated_since`."""
    candidates = Candidate.objects.filter(centre=centre)
    if active is not None:
        candidates = candidates.filter(is_active=active)
    if group_id:
        candidates = candidates.filter(groups__id=group_id)
    if updated_since is not None:
        candidates = candidates.filter(updated_at__gte=updated_since)
    return candidates


def access_candidate_by_unique_id(*, centre: Centre, unique_id: str) -> Candidate:
    """One of the centre's candidates by the unique ID the centre chose; 404 for any other."""
    candidate = Candidate.objects.filter(centre=centre, unique_id=unique_id).prefetch_related("groups").first()
    if candidate is None:
        raise Http404("No such candidate at this centre.")
    return candidate


def access_candidate_by_id(*, centre: Centre, candidate_id: int) -> Candidate:
    candidate = Candidate.objects.filter(centre=centre, pk=candidate_id).prefetch_related("groups").first()
    if candidate is None:
        raise Http404("No such candidate at this centre.")
    return candidate


def candidate_groups(*, candidate: Candidate) -> list[Group]:
    """The candidate's groups (already fetched by `access_candidate_by_id`)."""
    return list(candidate.groups.all())


def unique_id_taken(*, centre: Centre, unique_id: str, other_than: Candidate) -> bool:
    """Whether another candidate of the centre already has this unique ID."""
    return Candidate.objects.filter(centre=centre, unique_id=unique_id).exclude(pk=other_than.pk).exists()


def group_list_for_centre(*, centre: Centre, updated_since: datetime | None = None) -> QuerySet[Group]:
    groups = Group.objects.filter(centre=centre)
    if updated_since is not None:
        groups = groups.filter(updated_at__gte=updated_since)
    return groups.order_by("name")


def access_group_by_id(*, centre: Centre, group_id: int) -> Group:
    """One of the centre's groups (the caller guarded the centre); 404 for any other."""
    group = Group.objects.filter(centre=centre, pk=group_id).first()
    if group is None:
        raise Http404("No such group.")
    return group


def group_names_of(candidates: Any) -> dict[int, list[str]]:
    """Group names per candidate id, for a page of candidates, in one query."""
    through = Candidate.groups.through
    names: dict[int, list[str]] = {}
    rows = through.objects.filter(candidate__in=candidates).values_list("candidate_id", "group__name")
    for candidate_id, name in rows.order_by("group__name"):
        names.setdefault(candidate_id, []).append(name)
    return names


def value_mappings(*, centre: Centre) -> dict[str, dict[str, str]]:
    """The centre's mappings of file values, as field → {value key: code} (examdesk.people.validation.value_key)."""
    found: dict[str, dict[str, str]] = {name: {} for name in ValueMapping.Field.values}
    for field, key, code in ValueMapping.objects.filter(centre=centre).values_list("field", "value_key", "code"):
        found[field][key] = code
    return found


def value_mapping_choices(*, centre: Centre, field: str) -> dict[str, str]:
    """code → name of what a file's value of `field` can be mapped to: the countries, or the board's list."""
    if field == ValueMapping.Field.NATIONALITY:
        return dict(nationality.lookup().english)
    if field == ValueMapping.Field.GENDER:
        return dict(Candidate.Gender.choices)
    vocabulary = (
        VocabularyTerm.Vocabulary.ETHNICITY if field == ValueMapping.Field.ETHNICITY else VocabularyTerm.Vocabulary.SEN
    )
    terms = VocabularyTerm.objects.filter(board_id=centre.board_id, vocabulary=vocabulary, is_active=True)
    return dict(terms.values_list("code", "label"))
