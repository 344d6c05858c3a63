"""Results Online for candidates: register, confirm, sign in, forgotten password, home, result, statement."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from examdesk.accounts.sign_in_page import safe_next, sign_in_page
from examdesk.core.errors import ApplicationError
from examdesk.core.time import now
from examdesk.results import gate, keys
from examdesk.results.models import OnlineRegistration
from examdesk.results.online import services
from examdesk.results.online.forms import AccountForm, ForgottenPasswordForm, SecretForm, SignInForm
from examdesk.results.online.panel import page_keep, released_page, released_panel
from examdesk.results.online.selectors import (
    candidate_entries,
    candidate_entry,
    candidate_entry_gate,
    is_candidate,
    registered_id_numbers,
)
from examdesk.results.statements.data import statement_data, statement_issue_date, verification_url, with_definitions
from examdesk.results.statements.names import statement_file_name
from examdesk.results.statements.store import statement_pdf

REGISTRATION_SESSION = "results.online.registration"
REGISTRATION_MINUTES = 30  # time to choose an e-mail and password after the Secret Number was accepted
SENT_SESSION = "results.online.sent_to"

candidate_required = login_required(login_url="online:sign_in")


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


# --- Registration -------------------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("secret")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Step 1: ID number and Secret Number."""
    form = SecretForm(request.POST or None)
    errors: tuple[str, ...] = ()
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = services.registration_secret_check(
            id_number=form.cleaned_data["id_number"], secret=form.cleaned_data["secret"], request=request
        )
        if outcome.registration is not None:
            request.session[REGISTRATION_SESSION] = {
                "registration": outcome.registration.pk,
                "version": outcome.registration.secret_version,
                "until": (now() + timedelta(minutes=REGISTRATION_MINUTES)).isoformat(),
            }
            return redirect("online:register_account")
        errors = outcome.errors
        status = 429 if outcome.paused_until else 200
    return render(request, "results/online/register.html", {"form": form, "register_errors": errors}, status=status)


def _registration_in_session(request: HttpRequest) -> tuple[OnlineRegistration, int] | None:
    state = request.session.get(REGISTRATION_SESSION)
    if not isinstance(state, dict):
        return None
    try:
        until = datetime.fromisoformat(str(state["until"]))
        registration = (
            OnlineRegistration.objects.select_related("candidate").filter(pk=int(state["registration"])).first()
        )
        version = int(state["version"])
    except (KeyError, TypeError, ValueError):
        return None
    if registration is None or until <= now():
        return None
    return registration, version


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def register_account(request: HttpRequest) -> HttpResponse:
    """Step 2: the e-mail address and a password. Only after step 1 accepted the Secret Number."""
    found = _registration_in_session(request)
    if found is None:
        return redirect("online:register")
    registration, version = found
    candidate = registration.candidate
    form = AccountForm(request.POST or None, full_name=candidate.full_name)
    errors: tuple[str, ...] = ()
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.registration_start(
                registration_id=registration.pk,
                secret_version=version,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ApplicationError as error:
            errors = (error.message,)
        else:
            request.session.pop(REGISTRATION_SESSION, None)
            request.session[SENT_SESSION] = pending.email
            return redirect("online:register_sent")
    return render(
        request,
        "results/online/register_account.html",
        {
            "form": form,
            "register_errors": errors,
            "candidate": candidate,
            "id_number": keys.group(registration.id_number, 3),
        },
    )


@never_cache
@require_GET
def register_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SENT_SESSION, "")
    return render(
        request,
        "results/online/register_sent.html",
        {"email": email, "hours": services.CONFIRMATION_HOURS},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def register_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail. Opening it changes nothing (mail scanners open links); the button confirms."""
    if request.method == "POST":
        try:
            confirmed = services.registration_confirm(token=token, request=request)
        except ApplicationError as error:
            return render(request, "results/online/register_confirm.html", {"problem": error.message})
        return render(
            request,
            "results/online/register_done.html",
            {"confirmed": confirmed, "id_number": keys.group(confirmed.registration.id_number, 3)},
        )
    found = services.registration_pending_for(token=token)
    problem = gettext(services.LINK_UNKNOWN) if found is None else found.error
    context: dict[str, Any] = {"problem": problem}
    if found is not None and not problem:
        context["pending"] = found.pending
        context["candidate"] = found.pending.registration.candidate
    return render(request, "results/online/register_confirm.html", context)


# --- Sign-in and forgotten password -----------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and is_candidate(request.user):
        return redirect(safe_next(request, default=reverse("online:home")))
    return sign_in_page(
        request,
        form=SignInForm(request.POST or None),
        attempt=lambda data: services.candidate_login_attempt(
            request=request, identifier=data["identifier"], password=data["password"]
        ),
        template="results/online/sign_in.html",
        default_next=reverse("online:home"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def forgotten_password(request: HttpRequest) -> HttpResponse:
    form = ForgottenPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.candidate_password_reset_request(identifier=form.cleaned_data["identifier"], request=request)
        return redirect("online:forgotten_password_sent")
    return render(request, "results/online/forgotten_password.html", {"form": form})


@never_cache
@require_GET
def forgotten_password_sent(request: HttpRequest) -> HttpResponse:
    # The same page whether or not the ID number or address belongs to anyone.
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    return render(request, "results/online/forgotten_password_sent.html", {"minutes": minutes})


# --- The candidate's results --------------------------------------------------------------------------------


@never_cache
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not is_candidate(request.user):
        return render(request, "results/online/start.html")
    context = {
        "entries": candidate_entries(user=request.user),
        "id_numbers": [keys.group(number, 3) for number in registered_id_numbers(user=request.user)],
        "not_online_message": gettext(gate.NOT_ONLINE_MESSAGE),
    }
    return _no_store(render(request, "results/online/home.html", context))


@never_cache
@candidate_required
@require_GET
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    decided = candidate_entry_gate(user=request.user, entry_id=entry_id)  # the gate decides, now, on every request
    kept = released_page(decided)  # read only for the result the gate has just shown released
    panel = None
    if kept is not None:
        shown, panel = kept
    else:
        shown = candidate_entry(user=request.user, entry_id=entry_id)
        if shown.result is not None and shown.state is gate.State.RELEASED:
            panel = released_panel(shown)
            page_keep(shown, panel)
    context: dict[str, Any] = {
        "shown": shown,
        "entry": shown.entry,
        "not_online_message": gettext(gate.NOT_ONLINE_MESSAGE),
    }
    if panel is not None:
        context["panel"] = panel
    return _no_store(render(request, "results/online/entry.html", context))


def attachment_header(fallback: str, full: str) -> str:
    header = f'attachment; filename="{fallback}"'
    if full != fallback:
        header += f"; filename*=UTF-8''{quote(full, safe='')}"
    return header


@candidate_required
@require_GET
def statement(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The statement of results as a PDF: only for a released, issued result (the gate decides); else 404."""
    shown = candidate_entry(user=request.user, entry_id=entry_id, for_statement=True)
    if shown.result is None or shown.state is not gate.State.RELEASED:
        raise Http404("No statement for this entry.")
    with_definitions(shown.entry)
    data = statement_data(shown, issue_date=statement_issue_date(shown), verification_url=verification_url(shown.entry))
    pdf = statement_pdf(shown, data)  # rendered once per result revision, then read from private storage
    services.statement_download_record(user=request.user, entry=shown.entry, result=shown.result, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(*statement_file_name(shown.entry))
    return _no_store(response)
