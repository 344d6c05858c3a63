"""Public verification of a statement of results: candidate ID number + verification code → the result summary.

Every kind of wrong input (unknown code, wrong ID number, a result not released yet, pending or withheld) gets the
same answer, and the work done is the same shape for each: the entry is looked up by its code alone, and the typed
ID number is compared with `hmac.compare_digest`, so timing does not tell an unknown ID number from a wrong code.
Lookups are limited per client through the cache (the database in the embedded default) and audited.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.core.browser_id import browser_id
from examdesk.core.ratelimit import Limit, client_key
from examdesk.core.time import format_time_in_zone
from examdesk.results import gate
from examdesk.results.models import Entry
from examdesk.results.statements.data import statement_issue_date

# English constants (tests compare them), marked for the catalogue and translated where they are used.
NOT_VERIFIED = gettext_noop("We could not verify a result with these details.")
TOO_MANY = gettext_noop("Too many lookups in this browser. Try again after {until}.")
TOO_MANY_ADDRESS = gettext_noop("Too many lookups from this network address. Try again after {until}.")
# Ten lookups per browser (its id cookie) in ten minutes, and a ceiling per network address sized for a school or
# an employer's office behind one address, which also holds a client that drops its cookie on every try.
LOOKUPS = Limit("verify-browser", 10, timedelta(minutes=10))
LOOKUPS_ADDRESS = Limit("verify-address", 300, timedelta(minutes=10))

# Compared against when no entry has the code, so both paths do the same work.
_NO_ID_NUMBER = "\x00" * 9


@dataclass(frozen=True)
class Verification:
    """A lookup's answer: `shown` only when the details match a released, issued result."""

    shown: gate.Shown | None = None
    issue_date: date | None = None
    paused: Paused | None = None

    @property
    def paused_until(self) -> datetime | None:
        return self.paused.until if self.paused else None

    @property
    def matched(self) -> bool:
        return self.shown is not None


def too_many_message(until: datetime, *, address: bool = False) -> str:
    text = TOO_MANY_ADDRESS if address else TOO_MANY
    return gettext(text).format(until=format_time_in_zone(until, str(settings.EXAMDESK_BOARD_TIME_ZONE)))


@dataclass(frozen=True)
class Paused:
    until: datetime
    address: bool  # the whole network address, not only this browser

    @property
    def message(self) -> str:
        return too_many_message(self.until, address=self.address)


def verification_paused_until(*, request: HttpRequest) -> Paused | None:
    """Whether lookups are paused for this browser or for its network address, and until when."""
    until = LOOKUPS.paused_until(browser_id(request))
    if until is not None:
        return Paused(until, address=False)
    until = LOOKUPS_ADDRESS.paused_until(client_key(request))
    return Paused(until, address=True) if until is not None else None


def verification_check(*, id_number: str, code: str, request: HttpRequest) -> Verification:
    """Look up one statement. `id_number` and `code` come cleaned by the form (no spaces; code as XXXX-XXXX-XXXX)."""
    paused = verification_paused_until(request=request)
    if paused is not None:
        return Verification(paused=paused)
    LOOKUPS.hit(browser_id(request))
    LOOKUPS_ADDRESS.hit(client_key(request))

    entry = (
        gate.with_current_result(Entry.objects.filter(verification_code=code))
        .select_related("candidate__online_registration")
        .first()
    )
    registration = getattr(entry.candidate, "online_registration", None) if entry is not None else None
    expected = registration.id_number if registration is not None else _NO_ID_NUMBER
    id_matches = hmac.compare_digest(expected.encode(), id_number.encode())
    shown = gate.show(entry) if entry is not None else None
    released = shown is not None and shown.state is gate.State.RELEASED and shown.result is not None
    matched = entry is not None and id_matches and released

    audit_record(
        action=AuditEvent.Action.VERIFICATION,
        request=request,
        centre=entry.centre if matched and entry is not None else None,
        summary="Result verified" if matched else "No result verified",
        data={"matched": matched, "code": code[:20], "id_number": id_number[:20]},
    )
    if not matched or shown is None:
        return Verification()
    return Verification(shown=shown, issue_date=statement_issue_date(shown))
