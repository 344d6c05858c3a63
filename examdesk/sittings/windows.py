"""How a sitting's window is written, the same on every page: a sitting that closes at midnight after its last day
is shown as ending at 23:59 on that day (the day the centre chose), never as 00:00 on the day after."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from examdesk.core.time import format_in_zone
from examdesk.sittings.models import Sitting


def last_minute(sitting: Sitting) -> datetime:
    """The last minute in which a code still works: the minute before `closes_at`."""
    return sitting.closes_at - timedelta(minutes=1)


def window_text(sitting: Sitting, zone: str | None = None) -> str:
    """'From 1 March 2027, 00:00 to 5 March 2027, 23:59 (Europe/London)', in the centre's zone."""
    zone = zone or sitting.centre.time_zone
    opens = format_in_zone(sitting.opens_at, zone).removesuffix(f" ({zone})")
    closes = format_in_zone(last_minute(sitting), zone)
    return _("From %(opens)s to %(closes)s") % {"opens": opens, "closes": closes}
