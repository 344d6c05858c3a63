"""Reading a student's access code: the attempt, or one clear reason why not that reveals no other sitting."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop, ngettext

from examdesk.core.browser_id import browser_id
from examdesk.core.ratelimit import Limit, client_key
from examdesk.core.time import format_in_zone
from examdesk.core.time import now as current_time
from examdesk.sittings import codes
from examdesk.sittings.models import Attempt

# Ten unrecognised codes from one browser (its id cookie) within ten minutes pause that browser for ten minutes …
WRONG_CODES = Limit("player-code-browser", 10, timedelta(minutes=10))
# … and one network address has a ceiling of its own, sized for a school behind one address (a class of 35 typing
# at once, each with a mistake or two, stays far below it); it holds a client that drops its cookie on every try.
WRONG_CODES_ADDRESS = Limit("player-code-address", 300, timedelta(minutes=10))

# English constants (tests compare them), marked for the catalogue and translated where they are used.
NOT_RECOGNISED = gettext_noop(
    "We do not recognise this access code. Check that the web address is the one on your slip and that you typed "
    "the code as it is printed, then try again."
)
ENTER_CODE = gettext_noop("Enter the access code from your slip.")


@dataclass(frozen=True)
class CodeOutcome:
    attempt: Attempt | None = None
    error: str = ""
    paused_until: datetime | None = None


def code_check(*, request: HttpRequest, typed: str, at: datetime | None = None) -> CodeOutcome:
    at = at or current_time()
    browser, address = browser_id(request), client_key(request)
    paused = WRONG_CODES.paused_until(browser)
    if paused is not None:
        return CodeOutcome(error=_paused(paused, at), paused_until=paused)
    paused = WRONG_CODES_ADDRESS.paused_until(address)
    if paused is not None:
        return CodeOutcome(error=_paused(paused, at, from_address=True), paused_until=paused)
    code = codes.normalise(typed)
    if not code:
        return CodeOutcome(error=gettext(ENTER_CODE))
    attempt = _find(code) if codes.is_well_formed(code) else None
    if attempt is None:
        _, until = WRONG_CODES.hit(browser)
        _, address_until = WRONG_CODES_ADDRESS.hit(address)
        if until is not None:
            return CodeOutcome(error=_paused(until, at), paused_until=until)
        if address_until is not None:
            return CodeOutcome(error=_paused(address_until, at, from_address=True), paused_until=address_until)
        return CodeOutcome(error=gettext(NOT_RECOGNISED))
    reason = refusal(attempt=attempt, at=at)
    if reason:
        return CodeOutcome(error=reason)
    return CodeOutcome(attempt=attempt)


def _paused(until: datetime, at: datetime, *, from_address: bool = False) -> str:
    minutes = max(1, math.ceil((until - at).total_seconds() / 60))
    if from_address:
        text = ngettext(
            "Too many codes were not recognised from this network address (your school's, perhaps). "
            "Wait {minutes} minute, then try again.",
            "Too many codes were not recognised from this network address (your school's, perhaps). "
            "Wait {minutes} minutes, then try again.",
            minutes,
        )
    else:
        text = ngettext(
            "Too many codes were not recognised in this browser. Wait {minutes} minute, then try again.",
            "Too many codes were not recognised in this browser. Wait {minutes} minutes, then try again.",
            minutes,
        )
    return text.format(minutes=minutes)


def _find(code: str) -> Attempt | None:
    rows = Attempt.objects.filter(code=code).select_related("sitting__product", "sitting__centre", "candidate")
    valid = rows.filter(state__in=Attempt.VALID_STATES).first()
    return valid or rows.order_by("-id").first()


def refusal(*, attempt: Attempt, at: datetime) -> str:
    """Why this code cannot be used now ('' when it can)."""
    sitting = attempt.sitting
    product = sitting.product
    zone = sitting.centre.time_zone
    if product.other_platform:
        return gettext(
            "This code is for {product}, which has not moved to this platform yet. Use the web address your "
            "teacher gave you for it."
        ).format(product=product.name)
    if attempt.state in (Attempt.State.COMPLETED, Attempt.State.MARKING):
        return gettext(
            "You have already completed this assessment with this code. Ask your teacher if you think it is wrong."
        )
    if attempt.state in (Attempt.State.EXPIRED, Attempt.State.VOID):
        return gettext("This code has closed and can no longer be used. Ask your teacher for a new one.")
    if at < sitting.opens_at:
        return gettext("This assessment is not open yet. It opens on {when}.").format(
            when=format_in_zone(sitting.opens_at, zone)
        )
    if at >= attempt.valid_until():
        return gettext("This assessment closed on {when}. Ask your teacher for a new code.").format(
            when=format_in_zone(attempt.valid_until(), zone)
        )
    return ""
