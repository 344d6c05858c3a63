"""The sign-in page both portals share: staff at /accounts/login/ and candidates at /results/sign-in/ differ only
in their form, how they sign in and where they land."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from examdesk.accounts.devices import device_remember
from examdesk.accounts.services import LoginOutcome


def safe_next(request: HttpRequest, *, default: str) -> str:
    """Where to go after signing in: the `next` asked for when it is on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def sign_in_page(
    request: HttpRequest,
    *,
    form: Any,
    attempt: Callable[[dict[str, Any]], LoginOutcome],
    template: str,
    default_next: str,
) -> HttpResponse:
    """A sign-in page and its POST, for staff and for candidates alike: `attempt` signs in with the form's clean
    data; a success makes this browser a known device of the account (examdesk.accounts.devices); a refusal
    shows its messages (429 while the account is paused for this client)."""
    errors: tuple[str, ...] = ()
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = attempt(form.cleaned_data)
        if outcome.user is not None:
            response = HttpResponseRedirect(safe_next(request, default=default_next))
            device_remember(response, user=outcome.user, request=request)  # a known device from now on, rotated
            return response
        errors = outcome.errors
        status = 429 if outcome.locked_until else 200
    context = {"form": form, "login_errors": errors, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, template, context, status=status)
