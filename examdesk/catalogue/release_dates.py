"""The public list of release dates as pages show it: in the board's time zone and the viewer's centre's zone."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from examdesk.catalogue.selectors import upcoming_releases
from examdesk.centres.context_processors import SESSION_KEY
from examdesk.centres.permissions import is_board_staff
from examdesk.centres.selectors import centre_list_for_actor


def viewer_zone(request: HttpRequest) -> str | None:
    """The time zone of the signed-in person's centre (the one they are working in), if they have one.

    Board staff work in the board's zone, so they get none.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_board_staff(user):
        return None
    centres = centre_list_for_actor(actor=user)
    centre = centres.filter(number=request.session.get(SESSION_KEY, "")).first() or centres.first()
    return centre.time_zone if centre is not None else None


def release_dates_context(request: HttpRequest, *, zone: str | None = None) -> dict[str, Any]:
    """Context for `catalogue/_release_dates.html`. `zone`: the viewer's zone when the caller knows it better
    (e.g. a candidate's centre); otherwise that of the signed-in person's centre."""
    rows = upcoming_releases()
    zone = zone or viewer_zone(request)
    zones = sorted({row.board_zone for row in rows})
    return {
        "release_dates": rows,
        "board_zones": zones,
        "viewer_zone": zone,
        "show_viewer_zone": zone is not None and any(row.board_zone != zone for row in rows),
    }
