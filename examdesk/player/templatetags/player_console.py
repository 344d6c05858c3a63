"""Filters of the invigilator's console: `{{ seconds|clock }}` (12:05) and `{{ moment|clock_time:zone }}` (14:05:09)."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from django import template

register = template.Library()


@register.filter
def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


@register.filter
def clock_time(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return ""
    return f"{moment.astimezone(ZoneInfo(zone)):%H:%M:%S}"
