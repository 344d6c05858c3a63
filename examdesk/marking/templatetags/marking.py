from __future__ import annotations

from decimal import Decimal

from django import template

from examdesk.marking.selectors import AttemptScore, sitting_scores
from examdesk.sittings.models import Sitting

register = template.Library()


@register.simple_tag
def scores_of(sitting: Sitting) -> list[AttemptScore]:
    """The sitting's scores for the progress page (the page has checked the viewer may see the sitting)."""
    return sitting_scores(sitting=sitting)


@register.filter
def plain(value: Decimal | None) -> str:
    """12.50 → 12.5, 3.00 → 3; empty for None."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
