"""Time helpers: aware datetimes everywhere, shown in a person's zone with the zone named."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone


def now() -> datetime:
    """The current time (UTC, aware). A seam for tests, like Django's PasswordResetTokenGenerator._now()."""
    return timezone.now()


def format_in_zone(moment: datetime, zone: str) -> str:
    """'21 November 2026, 22:15 (Europe/London)': the zone is always named."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%-d %B %Y, %H:%M} ({zone})"


def format_time_in_zone(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%H:%M} on {local:%-d %B %Y} ({zone})"
