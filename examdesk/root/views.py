"""The home page: it sends each person to their place, so it is the one page that knows every kind of user."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from examdesk.catalogue.release_dates import release_dates_context
from examdesk.centres.context_processors import SESSION_KEY
from examdesk.centres.permissions import is_board_staff
from examdesk.centres.selectors import centre_list_for_actor
from examdesk.results.online.selectors import is_candidate


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "root/landing.html", release_dates_context(request))
    centres = list(centre_list_for_actor(actor=request.user))
    current = request.session.get(SESSION_KEY)
    if any(c.number == current for c in centres):
        return redirect("centres:home", number=current)
    if is_board_staff(request.user):
        return redirect("centres:board_centres")
    if len(centres) >= 1:
        return redirect("centres:home", number=centres[0].number)
    if is_candidate(request.user):  # a candidate of Results Online, with no staff role
        return redirect("online:home")
    return render(request, "root/no_centre.html")
