"""The sign-in page both portals share: staff at /accounts/login/ and candidates at /results/sign-in/ differ only
in their form, how they sign in and where they land."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString

from examdesk.accounts.devices import device_remember
from examdesk.accounts.services import LoginOutcome


class RenderedOnce:
    """A sign-in form's input rendered once per process while it is empty, then reused.

    Results day opens the sign-in page hundreds of times a second, and rendering an input through Django's form
    renderer (a template per widget) was half of the page's cost. An empty input's HTML depends only on the
    widget, its name and its attributes (aria-invalid and aria-describedby included), which make the key; an
    input with a value (a form sent back with an error) is rendered as usual. An input has no words to
    translate, so every language shares it."""

    _rendered: dict[tuple[Any, ...], SafeString] = {}

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        render_now = super().render  # type: ignore[misc]
        if value not in (None, ""):
            html: SafeString = render_now(name, value, attrs, renderer)
            return html
        merged = {**self.attrs, **(attrs or {})}  # type: ignore[attr-defined]
        key = (type(self), name, tuple(sorted((k, str(v)) for k, v in merged.items())))
        found = self._rendered.get(key)
        if found is None:
            found = self._rendered[key] = render_now(name, value, attrs, renderer)
        return found


class SignInTextInput(RenderedOnce, forms.TextInput):
    pass


class SignInEmailInput(RenderedOnce, forms.EmailInput):
    pass


class SignInPasswordInput(RenderedOnce, forms.PasswordInput):
    """Never shows a value back (Django's PasswordInput default): every rendering is the empty one."""


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
