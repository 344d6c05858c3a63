"""The answers the player stored for one attempt section, read for marking (item id → answer)."""

from __future__ import annotations

from typing import Any

from examdesk.player.models import Response  # the player owns the stored answers
from examdesk.sittings.models import AttemptSection


def section_answers(attempt_section: AttemptSection) -> dict[int, Any]:
    rows = Response.objects.filter(attempt_section=attempt_section).values_list("item_id", "answer")
    return {int(item_id): answer for item_id, answer in rows}
