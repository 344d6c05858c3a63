"""The invigilator's console: every student's live state in a sitting (the table refreshes itself with htmx every
few seconds), pause and resume one student or all, add time, record an irregularity, and one student's page with
what was done during their attempt and the access arrangements for this sitting. Views are thin: the writes are
examdesk.player.invigilation's and sittings.arrangements'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from examdesk.centres.models import Centre
from examdesk.centres.permissions import Capability, can
from examdesk.centres.selectors import access_centre_by_number
from examdesk.core.errors import ApplicationError
from examdesk.people.arrangements import ArrangementsForm, describe, form_initial
from examdesk.player import invigilation
from examdesk.player.console.forms import AddTimeForm, IrregularityForm
from examdesk.player.models import Pause
from examdesk.sittings.arrangements import arrangements_for, attempt_arrangements_set, has_own
from examdesk.sittings.models import Attempt, Sitting
from examdesk.sittings.selectors import access_attempt_by_id, access_sitting_by_id


def _sitting(request: HttpRequest, number: str, sitting_id: int, capability: Capability) -> tuple[Centre, Sitting]:
    centre = access_centre_by_number(actor=request.user, number=number, capability=capability)
    return centre, access_sitting_by_id(actor=request.user, centre=centre, sitting_id=sitting_id, capability=capability)


def _attempt(
    request: HttpRequest, number: str, sitting_id: int, attempt_id: int, capability: Capability
) -> tuple[Centre, Attempt]:
    centre = access_centre_by_number(actor=request.user, number=number, capability=capability)
    attempt = access_attempt_by_id(
        actor=request.user, centre=centre, sitting_id=sitting_id, attempt_id=attempt_id, capability=capability
    )
    return centre, attempt


def _live_context(request: HttpRequest, centre: Centre, sitting: Sitting) -> dict[str, object]:
    return {
        "centre": centre,
        "sitting": sitting,
        "states": invigilation.live_states(sitting=sitting),
        "may_manage": can(request.user, centre, Capability.MANAGE_SITTINGS),
        "poll": invigilation.CONSOLE_POLL_SECONDS,
    }


@login_required
@require_GET
@never_cache
def console(request: HttpRequest, number: str, sitting_id: int) -> HttpResponse:
    centre, sitting = _sitting(request, number, sitting_id, Capability.VIEW_SITTINGS)
    return render(request, "player/console/console.html", _live_context(request, centre, sitting))


@login_required
@require_GET
@never_cache
def live(request: HttpRequest, number: str, sitting_id: int) -> HttpResponse:
    """The table alone, for the console's htmx refresh."""
    centre, sitting = _sitting(request, number, sitting_id, Capability.VIEW_SITTINGS)
    return render(request, "player/console/_live.html", _live_context(request, centre, sitting))


def _back(centre: Centre, sitting_id: int) -> HttpResponse:
    return redirect("centres:console:console", number=centre.number, sitting_id=sitting_id)


def _each_running(request: HttpRequest, number: str, sitting_id: int, *, pause: bool) -> HttpResponse:
    centre, sitting = _sitting(request, number, sitting_id, Capability.MANAGE_SITTINGS)
    done = 0
    for attempt in invigilation.running_attempts(sitting=sitting):
        try:
            if pause:
                invigilation.pause_start(
                    attempt=attempt, kind=Pause.Kind.INVIGILATOR, actor=request.user, request=request
                )
            else:
                invigilation.pause_end(attempt=attempt, actor=request.user, request=request)
        except ApplicationError:
            continue  # already paused (or not paused): nothing to do for this student
        done += 1
    if pause:
        messages.success(request, _("Paused %(n)s students.") % {"n": done})
    else:
        messages.success(request, _("Resumed %(n)s students.") % {"n": done})
    return _back(centre, sitting.pk)


@login_required
@require_POST
def pause_all(request: HttpRequest, number: str, sitting_id: int) -> HttpResponse:
    return _each_running(request, number, sitting_id, pause=True)


@login_required
@require_POST
def resume_all(request: HttpRequest, number: str, sitting_id: int) -> HttpResponse:
    return _each_running(request, number, sitting_id, pause=False)


def _next(request: HttpRequest, centre: Centre, attempt: Attempt) -> HttpResponse:
    if request.POST.get("next") == "attempt":
        return redirect(
            "centres:console:attempt", number=centre.number, sitting_id=attempt.sitting_id, attempt_id=attempt.pk
        )
    return _back(centre, attempt.sitting_id)


@login_required
@require_POST
def pause(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre, attempt = _attempt(request, number, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    try:
        invigilation.pause_start(attempt=attempt, kind=Pause.Kind.INVIGILATOR, actor=request.user, request=request)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is paused: their clock has stopped.") % {"name": attempt.candidate.full_name}
        )
    return _next(request, centre, attempt)


@login_required
@require_POST
def resume(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre, attempt = _attempt(request, number, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    try:
        invigilation.pause_end(attempt=attempt, actor=request.user, request=request)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s has resumed.") % {"name": attempt.candidate.full_name})
    return _next(request, centre, attempt)


def _attempt_page(
    request: HttpRequest,
    centre: Centre,
    attempt: Attempt,
    *,
    time_form: AddTimeForm | None = None,
    note_form: IrregularityForm | None = None,
    arrangements_form: ArrangementsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    state = next(s for s in invigilation.live_states(sitting=attempt.sitting) if s.attempt.pk == attempt.pk)
    current = arrangements_for(attempt)
    return render(
        request,
        "player/console/attempt.html",
        {
            "centre": centre,
            "sitting": attempt.sitting,
            "attempt": attempt,
            "state": state,
            "history": invigilation.attempt_history(attempt=attempt),
            "arrangements": describe(current),
            "own_arrangements": has_own(attempt),
            "time_form": time_form or AddTimeForm(),
            "note_form": note_form or IrregularityForm(),
            "arrangements_form": arrangements_form or ArrangementsForm(initial=form_initial(current)),
            "may_manage": can(request.user, centre, Capability.MANAGE_SITTINGS),
        },
        status=status,
    )


@login_required
@require_GET
@never_cache
def attempt(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre, found = _attempt(request, number, sitting_id, attempt_id, Capability.VIEW_SITTINGS)
    return _attempt_page(request, centre, found)


@login_required
@require_POST
def add_time(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre, found = _attempt(request, number, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    form = AddTimeForm(request.POST)
    if form.is_valid():
        try:
            added = invigilation.time_add(
                attempt=found,
                minutes=form.cleaned_data["minutes"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(n)s minutes added for %(name)s.") % {"n": added.minutes, "name": found.candidate.full_name},
            )
            return redirect("centres:console:attempt", number=centre.number, sitting_id=sitting_id, attempt_id=found.pk)
    return _attempt_page(request, centre, found, time_form=form, status=400)


@login_required
@require_POST
def irregularity(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre, found = _attempt(request, number, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    form = IrregularityForm(request.POST)
    if form.is_valid():
        invigilation.irregularity_record(
            attempt=found, note=form.cleaned_data["note"], actor=request.user, request=request
        )
        messages.success(request, _("The irregularity was recorded."))
        return redirect("centres:console:attempt", number=centre.number, sitting_id=sitting_id, attempt_id=found.pk)
    return _attempt_page(request, centre, found, note_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def arrangements(request: HttpRequest, number: str, sitting_id: int, attempt_id: int) -> HttpResponse:
    centre, found = _attempt(request, number, sitting_id, attempt_id, Capability.MANAGE_SITTINGS)
    if request.POST.get("use") == "candidate":
        attempt_arrangements_set(actor=request.user, attempt=found, values=None, request=request)
        messages.success(request, _("This sitting now uses the candidate's own access arrangements."))
    else:
        form = ArrangementsForm(request.POST)
        if not form.is_valid():
            return _attempt_page(request, centre, found, arrangements_form=form, status=400)
        now = attempt_arrangements_set(actor=request.user, attempt=found, values=form.cleaned_data, request=request)
        messages.success(request, _("Access arrangements for this sitting saved: %(now)s.") % {"now": describe(now)})
    return redirect("centres:console:attempt", number=centre.number, sitting_id=sitting_id, attempt_id=found.pk)
