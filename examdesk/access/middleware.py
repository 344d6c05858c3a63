"""Generated logins, on every request: refused at once when the centre has withdrawn access, and sent to choose
their own password until they have.

Only accounts of generated logins are looked at (their address is under the reserved `.invalid` domain), so
nobody else pays a query for this.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from examdesk.access.models import CandidateCredential
from examdesk.access.selectors import refusal_for
from examdesk.accounts.generated_logins import is_login_email
from examdesk.accounts.models import User
from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record

CHOOSE_PASSWORD = "Choose your own password to go on: type the password from your letter, then a new one."  # noqa: S105
PASSWORD_CHOSEN = "Your password has been changed. Use it from now on: the letter's no longer works."  # noqa: S105


class CandidateLoginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_login_email(user.email):
            return self.get_response(request)
        path = request.path
        if path.startswith("/static/") or path == reverse("accounts:logout"):
            return self.get_response(request)
        refusal = refusal_for(user=user)
        if refusal:
            audit_record(
                action=AuditEvent.Action.LOGIN_REFUSED,
                request=request,
                actor=user,
                subject=user,
                summary="Results access withdrawn by the centre",
            )
            logout(request)
            messages.error(request, refusal)
            return HttpResponseRedirect(reverse("online:sign_in"))
        credential = CandidateCredential.objects.filter(user_id=user.pk).only("pk", "must_change_password").first()
        if credential is None or not credential.must_change_password:
            return self.get_response(request)
        change = reverse("accounts:password_change")
        if path != change:
            messages.info(request, CHOOSE_PASSWORD)
            return HttpResponseRedirect(change)
        before = user.password
        response = self.get_response(request)
        after = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if request.method == "POST" and after is not None and after != before:
            CandidateCredential.objects.filter(pk=credential.pk).update(must_change_password=False)
            list(messages.get_messages(request))  # the accounts page's own message speaks of staff pages
            messages.success(request, PASSWORD_CHOSEN)
            return HttpResponseRedirect(reverse("online:home"))
        return response
