"""Time helpers: aware datetimes everywhere, shown in a person's zone with the zone named, in their language.

English keeps the wording the product always had ('21 November 2026, 22:15 (Europe/London)'); other languages
take CLDR's long date through Babel ('21 de novembro de 2026, 22:15 (Europe/London)'). The zone stays the centre's
or the board's whatever the language: a release time is the same moment for everyone.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from django.utils import timezone
from django.utils.translation import gettext

from examdesk.core import languages


def now() -> datetime:
    """The current time (UTC, aware). A seam for tests, like Django's PasswordResetTokenGenerator._now()."""
    return timezone.now()


def _english() -> bool:
    return languages.current().startswith("en")


def long_date(day: date) -> str:
    """'21 November 2026' in the active language."""
    if _english():
        return f"{day:%-d %B %Y}"
    return format_date(day, format="long", locale=languages.babel_locale())


def format_in_zone(moment: datetime, zone: str) -> str:
    """'21 November 2026, 22:15 (Europe/London)': the zone is always named."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{long_date(local.date())}, {local:%H:%M} ({zone})"


def format_time_in_zone(moment: datetime, zone: str) -> str:
    """'22:15 on 21 November 2026 (Europe/London)'."""
    local = moment.astimezone(ZoneInfo(zone))
    # Translators: a time on a day in a time zone, e.g. "22:15 on 21 November 2026 (Europe/London)".
    return gettext("%(time)s on %(date)s (%(zone)s)") % {
        "time": f"{local:%H:%M}",
        "date": long_date(local.date()),
        "zone": zone,
    }
