"""`{{ sitting|window:centre.time_zone }}`: the sitting's window as every page writes it (sittings.windows)."""

from __future__ import annotations

from django import template

from examdesk.sittings.models import Sitting
from examdesk.sittings.windows import window_text

register = template.Library()


@register.filter
def window(sitting: Sitting, zone: str) -> str:
    return window_text(sitting, zone)
