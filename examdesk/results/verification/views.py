"""The public verification page: a university or employer checks a statement of results."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from examdesk.core.browser_id import keeps_browser_id
from examdesk.core.time import now
from examdesk.results import keys
from examdesk.results.verification.files import statement_file_check
from examdesk.results.verification.forms import StatementFileForm, VerificationForm
from examdesk.results.verification.services import (
    NOT_VERIFIED,
    Paused,
    verification_check,
    verification_paused_until,
)


def _too_many(request: HttpRequest, paused: Paused) -> HttpResponse:
    response = render(request, "results/verification/too_many.html", {"message": paused.message}, status=429)
    response["Retry-After"] = str(max(1, int((paused.until - now()).total_seconds())))
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@keeps_browser_id
def check(request: HttpRequest) -> HttpResponse:
    paused = verification_paused_until(request=request)
    if paused is not None:
        return _too_many(request, paused)
    file_form = StatementFileForm()
    if request.method == "POST" and request.POST.get("check") == "file":
        return _check_file(request)
    if request.method == "POST":
        form = VerificationForm(request.POST)
        if form.is_valid():
            outcome = verification_check(
                id_number=form.cleaned_data["id_number"], code=form.cleaned_data["code"], request=request
            )
            if outcome.paused is not None:
                return _too_many(request, outcome.paused)
            if outcome.shown is not None:
                return render(
                    request,
                    "results/verification/verified.html",
                    {
                        "shown": outcome.shown,
                        "entry": outcome.shown.entry,
                        "result": outcome.shown.result,
                        "issue_date": outcome.issue_date,
                        "id_number": keys.group(form.cleaned_data["id_number"], 3),
                        "code": form.cleaned_data["code"],
                    },
                )
            return render(
                request,
                "results/verification/check.html",
                {"form": form, "file_form": file_form, "verify_errors": (gettext(NOT_VERIFIED),)},
            )
    else:
        code = keys.normalise_verification_code(request.GET.get("code", ""))[:20]
        form = VerificationForm(initial={"code": code} if code else None)
    return render(
        request, "results/verification/check.html", {"form": form, "file_form": file_form, "verify_errors": ()}
    )


def _check_file(request: HttpRequest) -> HttpResponse:
    """An uploaded statement file: its signature and contents against the board's record."""
    file_form = StatementFileForm(request.POST, request.FILES)
    if not file_form.is_valid():
        context = {"form": VerificationForm(), "file_form": file_form, "verify_errors": (), "file_errors": True}
        return render(request, "results/verification/check.html", context)
    outcome = statement_file_check(pdf=file_form.cleaned_data["statement"], request=request)
    if outcome.paused is not None:
        return _too_many(request, outcome.paused)
    shown = outcome.shown
    return render(
        request,
        "results/verification/file_checked.html",
        {
            "outcome": outcome,
            "signature": outcome.signature,
            "entry": shown.entry if shown is not None else None,
            "result": shown.result if shown is not None else None,
        },
    )
