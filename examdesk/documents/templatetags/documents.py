"""Template tags for documents: `{% profile_chart profile element_id %}` draws a result's graphical profile."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from examdesk.documents.profile import Profile, number, profile_svg

register = template.Library()


@register.simple_tag
def profile_chart(profile: Profile, element_id: str) -> SafeString:
    """The profile as an inline SVG (use documents/_profile.html to get its table as well)."""
    return profile_svg(profile, element_id=element_id)


@register.filter
def score(value: object) -> str:
    """A Decimal score as printed: 200.00 → 200."""
    return number(value) if isinstance(value, Decimal) else str(value)
