"""The pages where a centre admin manages API keys and webhooks, and board staff their board's keys.

A new key (and a new webhook's secret) is shown once, on the page that answers the form: it is never stored in
clear and never shown again.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from examdesk.api import keys, webhooks
from examdesk.api.forms import ApiKeyForm, WebhookForm
from examdesk.centres.models import Board, Centre
from examdesk.centres.permissions import Capability
from examdesk.centres.selectors import access_centre_by_number, board_for_staff
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now


def _centre(request: HttpRequest, number: str) -> Centre:
    return access_centre_by_number(actor=request.user, number=number, capability=Capability.MANAGE_STAFF)


def _expiry(form: ApiKeyForm) -> datetime:
    return datetime.combine(form.cleaned_data["expires_on"], time.min, tzinfo=UTC)


def _keys_page(request: HttpRequest, *, centre: Centre | None, board: Board, families: dict[str, str]) -> HttpResponse:
    form = ApiKeyForm(request.POST or None, families=families)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = keys.api_key_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.scopes(),
                expires_at=_expiry(form),
                centre=centre,
                board=board,
                request=request,
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            form = ApiKeyForm(families=families)
    context = {
        "centre": centre,
        "board": board,
        "form": form,
        "created": created,
        "keys": keys.api_key_list(centre=centre, board=board),
        "families": families,
        "zone": centre.time_zone if centre is not None else board.time_zone,
        "now": now(),
    }
    response = render(request, "api/keys.html", context)
    if created is not None:
        response["Cache-Control"] = "no-store"  # the page holds the key in clear: never kept by a browser or proxy
    return response


@login_required
@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number)
    return _keys_page(request, centre=centre, board=centre.board, families=keys.CENTRE_FAMILIES)


@login_required
@require_POST
def key_revoke(request: HttpRequest, number: str, key_id: int) -> HttpResponse:
    centre = _centre(request, number)
    key = keys.access_api_key_by_id(key_id=key_id, centre=centre)
    keys.api_key_revoke(actor=request.user, key=key, request=request)
    messages.success(request, f"The key '{key.name}' is revoked: it stops working at once.")
    return redirect("centres:api:keys", number=centre.number)


@login_required
@require_http_methods(["GET", "POST"])
def board_key_list(request: HttpRequest) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    return _keys_page(request, centre=None, board=board, families=keys.BOARD_FAMILIES)


@login_required
@require_POST
def board_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    board = board_for_staff(actor=request.user)
    key = keys.access_api_key_by_id(key_id=key_id, board=board)
    keys.api_key_revoke(actor=request.user, key=key, request=request)
    messages.success(request, f"The key '{key.name}' is revoked: it stops working at once.")
    return redirect("centres:api_board:keys")


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest, number: str) -> HttpResponse:
    centre = _centre(request, number)
    form = WebhookForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhooks.webhook_create(
                actor=request.user,
                centre=centre,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                request=request,
            )
        except ApplicationError as error:
            form.add_error("url", error.message)
        else:
            form = WebhookForm()
    context = {
        "centre": centre,
        "form": form,
        "created": created,
        "webhooks": webhooks.webhook_list_with_last_delivery(centre=centre),
    }
    response = render(request, "api/webhooks.html", context)
    if created is not None:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def webhook_remove(request: HttpRequest, number: str, webhook_id: int) -> HttpResponse:
    centre = _centre(request, number)
    webhook = webhooks.access_webhook_by_id(centre=centre, webhook_id=webhook_id)
    webhooks.webhook_remove(actor=request.user, webhook=webhook, request=request)
    messages.success(request, f"Events are no longer sent to {webhook.url}.")
    return redirect("centres:api:webhooks", number=centre.number)
