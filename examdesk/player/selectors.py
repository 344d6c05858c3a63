"""Reads for the student's pages. A student has no login: the attempt id kept in their session (SESSION_KEY,
set when their access code is accepted) is their credential, and every read starts from that attempt."""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase

from examdesk.sittings.models import Attempt, AttemptSection

SESSION_KEY = "player_attempt"


def attempt_get_for_session(*, session: SessionBase) -> Attempt | None:
    """The attempt whose access code this session typed, with its candidate, product and centre; None without."""
    pk = session.get(SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return Attempt.objects.select_related("candidate", "sitting__product", "sitting__centre").filter(pk=pk).first()


def attempt_section_get(*, attempt: Attempt, section_id: int) -> AttemptSection | None:
    """One section of the attempt, with the catalogue's section; None when the section is not the attempt's."""
    return attempt.sections.select_related("section").filter(section_id=section_id).first()
