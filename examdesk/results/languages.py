"""The language of a candidate's documents and e-mails: the one they chose on their Results Online account, else
their centre's default (examdesk/core/languages.py). Jobs render under `translation.override(...)` of it."""

from __future__ import annotations

from collections.abc import Iterable

from examdesk.core.languages import document_language
from examdesk.people.models import Candidate
from examdesk.results.models import OnlineRegistration


def chosen_languages(candidate_ids: Iterable[int]) -> dict[int, str]:
    """The languages candidates chose on their accounts, by candidate id (one query for a whole chunk)."""
    rows = OnlineRegistration.objects.filter(candidate_id__in=list(candidate_ids), user__isnull=False).exclude(
        user__language=""
    )
    return dict(rows.values_list("candidate_id", "user__language"))


def candidate_language(candidate: Candidate, *, chosen: dict[int, str] | None = None) -> str:
    """The language for this candidate's letter, statement or e-mail."""
    table = chosen if chosen is not None else chosen_languages([candidate.pk])
    return document_language(chosen=table.get(candidate.pk), centre_default=candidate.centre.language)
