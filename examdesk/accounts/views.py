from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from examdesk.accounts import services
from examdesk.accounts.forms import LoginForm, PasswordResetRequestForm
from examdesk.accounts.models import User
from examdesk.accounts.sign_in_page import safe_next, sign_in_page


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(safe_next(request, default=reverse("home")))
    return sign_in_page(
        request,
        form=LoginForm(request.POST or None),
        attempt=lambda data: services.login_attempt(request=request, email=data["email"], password=data["password"]),
        template="accounts/login.html",
        default_next=reverse("home"),
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.logout_user(request=request)
    messages.success(request, gettext("You have signed out."))
    after = request.POST.get("next", "")
    if after and url_has_allowed_host_and_scheme(after, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(after)  # e.g. the candidates' own sign-in page
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def password_reset_request_view(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"], request=request)
        request.session["reset_email_shown"] = form.cleaned_data["email"]
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset_request.html", {"form": form})


def password_reset_sent_view(request: HttpRequest) -> HttpResponse:
    # The same page whether or not the account exists.
    email = request.session.pop("reset_email_shown", "")
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    return render(request, "accounts/password_reset_sent.html", {"email": email, "minutes": minutes})


@method_decorator(sensitive_post_parameters("new_password1", "new_password2"), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        services.password_reset_complete(
            user=form.user, password=form.cleaned_data["new_password1"], request=self.request
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


def password_reset_complete_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            request=request,
        )
        messages.success(request, gettext("Your password has been changed. Other devices have been signed out."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})
