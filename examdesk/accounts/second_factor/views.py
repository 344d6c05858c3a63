"""Two-step sign-in pages: the account area's page (add, remove, new recovery codes), the set-up with its QR code,
the recovery codes shown once, and the challenge after the password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from examdesk.accounts.second_factor import services
from examdesk.accounts.second_factor.forms import ChallengeForm, EnrolmentConfirmForm
from examdesk.accounts.sign_in_page import safe_next
from examdesk.core.errors import ApplicationError

CODES_SESSION_KEY = "examdesk_recovery_codes_once"


@login_required
@never_cache
def manage(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/second_factor/manage.html",
        {
            "device": services.second_factor_get(user=user),
            "codes_left": services.recovery_codes_left(user=user),
            "required": services.second_factor_required(user=user),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified() and services.second_factor_get(user=request.user) is not None:  # type: ignore[union-attr]
        # A password alone must not replace the app someone already has: the second step first.
        return redirect(
            reverse("accounts:second_factor_challenge") + f"?next={reverse('accounts:second_factor_enrol')}"
        )
    form = EnrolmentConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrolment_confirm(request=request, user=request.user, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form.add_error("token" if error.field else None, error.message)
        else:
            request.session[CODES_SESSION_KEY] = codes
            target = safe_next(request, default="")
            query = f"?{urlencode({'next': target})}" if target else ""
            return redirect(reverse("accounts:second_factor_codes") + query)
    enrolment = services.enrolment_start(user=request.user)
    context = {
        "form": form,
        "enrolment": enrolment,
        "required": services.second_factor_required(user=request.user),
        "next": safe_next(request, default=""),
    }
    return render(request, "accounts/second_factor/enrol.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, once: taken out of the session as they are shown."""
    codes = request.session.pop(CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:second_factor")
    return render(
        request, "accounts/second_factor/recovery_codes.html", {"codes": codes, "next": safe_next(request, default="")}
    )


@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    try:
        request.session[CODES_SESSION_KEY] = services.recovery_codes_renew(request=request, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("accounts:second_factor")
    return redirect("accounts:second_factor_codes")


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    try:
        services.second_factor_remove(request=request, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Two-step sign-in is off: you sign in with your password alone."))
    return redirect("accounts:second_factor")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def challenge(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified() or services.second_factor_get(user=user) is None:  # type: ignore[union-attr]
        return redirect(safe_next(request, default=reverse("home")))
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.challenge_answer(request=request, user=user, token=form.cleaned_data["token"])
        if outcome.ok:
            if outcome.recovery_code_used:
                left = services.recovery_codes_left(user=user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code: it will not work again. {left} "
                    f"{'code is' if left == 1 else 'codes are'} left; make new ones from Two-step sign-in.",
                )
            response = redirect(safe_next(request, default=reverse("home")))
            services.browser_remember(response, request=request, user=user, remember=form.cleaned_data["remember"])
            return response
        form.add_error("token", outcome.error)
    return render(
        request,
        "accounts/second_factor/challenge.html",
        {"form": form, "next": safe_next(request, default="")},
        status=400 if form.errors else 200,
    )
