from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from examdesk.accounts.lockout import lock_states
from examdesk.accounts.second_factor.services import second_factor_user_ids
from examdesk.centres import services
from examdesk.centres.context_processors import SESSION_KEY
from examdesk.centres.forms import CentreForm, InvitationAcceptForm, InviteForm
from examdesk.centres.permissions import Capability, is_board_staff
from examdesk.centres.selectors import (
    access_board_centre_by_number,
    access_centre_by_number,
    board_centre_list,
    board_for_staff,
    exam_centres_of,
    invitation_list_pending,
    staff_list_for_centre,
)
from examdesk.core.errors import ApplicationError


@login_required
@require_POST
def switch_centre(request: HttpRequest) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=request.POST.get("number", ""))
    request.session[SESSION_KEY] = centre.number
    return redirect("centres:home", number=centre.number)


@login_required
def staff(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_STAFF)
    people = staff_list_for_centre(actor=request.user, centre=centre)
    states = lock_states(people)
    two_step = second_factor_user_ids(user_ids=[person.pk for person in people])
    rows = [
        {"user": person, "roles": person.centre_roles, "lock": states[person.pk], "two_step": person.pk in two_step}  # type: ignore[attr-defined]
        for person in people
    ]
    return render(
        request,
        "centres/staff.html",
        {
            "centre": centre,
            "rows": rows,
            "invitations": invitation_list_pending(actor=request.user, centre=centre),
            "form": InviteForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest, number: str) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_STAFF)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.staff_invite(
                actor=request.user,
                centre=centre,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            if outcome.existing_account:
                messages.success(
                    request,
                    f"{outcome.email} already has an Examdesk account. They now have the role "
                    "here and can sign in with the password they already use; we have told them so.",
                )
            else:
                messages.success(request, f"Invitation sent to {outcome.email}. The link works for 7 days.")
            return redirect("centres:staff", number=centre.number)
    return render(request, "centres/staff_invite.html", {"centre": centre, "form": form})


@login_required
@require_POST
def staff_unlock(request: HttpRequest, number: str, user_id: int) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_STAFF)
    person = services.staff_unlock(actor=request.user, centre=centre, user_id=user_id, request=request)
    messages.success(request, f"Sign-in locks lifted for {person.email}. They can sign in again now.")
    return redirect("centres:staff", number=centre.number)


@login_required
@require_POST
def staff_second_factor_reset(request: HttpRequest, number: str, user_id: int) -> HttpResponse:
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_STAFF)
    person = services.staff_second_factor_reset(actor=request.user, centre=centre, user_id=user_id, request=request)
    messages.success(
        request,
        f"Two-step sign-in of {person.email} is reset. At their next sign-in they set it up again"
        " (when their role needs it) or sign in with their password alone.",
    )
    return redirect("centres:staff", number=centre.number)


def _staff_page_action(
    request: HttpRequest, number: str, action: Callable[..., Any], success: str, **ids: int
) -> HttpResponse:
    """Run one staff-page action for a centre admin, then show the staff page with its outcome."""
    centre = access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_STAFF)
    try:
        action(actor=request.user, centre=centre, request=request, **ids)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("centres:staff", number=centre.number)


@login_required
@require_POST
def membership_remove(request: HttpRequest, number: str, membership_id: int) -> HttpResponse:
    return _staff_page_action(
        request, number, services.membership_remove, "The role has been removed.", membership_id=membership_id
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, number: str, invitation_id: int) -> HttpResponse:
    return _staff_page_action(
        request,
        number,
        services.invitation_revoke,
        "The invitation has been withdrawn; its link no longer works.",
        invitation_id=invitation_id,
    )


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_get_valid(token=token)
    except ApplicationError as error:
        return render(request, "centres/invitation_invalid.html", {"message": error.message}, status=404)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            login(request, user, backend="examdesk.accounts.backends.EmailBackend")
            messages.success(request, f"Welcome to {invitation.centre.name}. Your account is ready.")
            return redirect("centres:home", number=invitation.centre.number)
    return render(request, "centres/invitation_accept.html", {"invitation": invitation, "form": form})


# --- Board staff: centres -------------------------------------------------------------------------


def _require_board_staff(request: HttpRequest) -> None:
    if not is_board_staff(request.user):
        raise PermissionDenied("Only board staff manage centres.")


@login_required
def board_centres(request: HttpRequest) -> HttpResponse:
    _require_board_staff(request)
    centres = board_centre_list(actor=request.user)
    return render(request, "centres/board_centres.html", {"centres": centres})


@login_required
@require_http_methods(["GET", "POST"])
def board_centre_create(request: HttpRequest) -> HttpResponse:
    _require_board_staff(request)
    form = CentreForm(request.POST or None, creating=True)
    board = board_for_staff(actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            centre = services.centre_create(
                board=board,
                number=data["number"],
                name=data["name"],
                kind=data["kind"],
                country=data["country"],
                time_zone=data["time_zone"],
                language=data["language"],
                exam_centres=list(data["exam_centres"]),
                first_admin_email=data["first_admin_email"],
                actor=request.user,
                request=request,
            )
        except ApplicationError as error:
            form.add_error("first_admin_email" if error.field == "email" else error.field, error.message)
        else:
            created = _("Centre {number} {name} has been created.").format(number=centre.number, name=centre.name)
            if data["first_admin_email"]:
                invited = _("An invitation to be its centre admin has been sent to {email}.")
                created = f"{created} {invited.format(email=data['first_admin_email'])}"
            messages.success(request, created)
            return redirect("centres:board_centres")
    return render(request, "centres/board_centre_form.html", {"form": form, "creating": True})


@login_required
@require_GET
def board_centre_time_zones(request: HttpRequest) -> HttpResponse:
    """The time zone field for the country chosen on the centre form (htmx swaps it in when the country changes)."""
    _require_board_staff(request)
    form = CentreForm(initial={"country": request.GET.get("country", "")})
    return render(request, "centres/_time_zone_field.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def board_centre_edit(request: HttpRequest, number: str) -> HttpResponse:
    _require_board_staff(request)
    centre = access_board_centre_by_number(actor=request.user, number=number)
    initial = {
        "number": centre.number,
        "name": centre.name,
        "kind": centre.kind,
        "country": centre.country,
        "time_zone": centre.time_zone,
        "language": centre.language,
        "exam_centres": exam_centres_of(centre=centre),
        "is_active": centre.is_active,
    }
    form = CentreForm(request.POST or None, initial=initial, creating=False)
    form.fields["number"].disabled = True
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.centre_update(
            centre=centre,
            name=data["name"],
            country=data["country"],
            time_zone=data["time_zone"],
            language=data["language"],
            is_active=data["is_active"],
            exam_centres=list(data["exam_centres"]),
            actor=request.user,
            request=request,
        )
        messages.success(request, f"Centre {centre.number} has been updated.")
        return redirect("centres:board_centres")
    return render(request, "centres/board_centre_form.html", {"form": form, "creating": False, "centre": centre})
