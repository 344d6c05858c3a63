from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.accounts.sign_in_page import SignInEmailInput, SignInPasswordInput


class LoginForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={"required": "Enter your e-mail address."},
        widget=SignInEmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    # Never stripped or truncated: every character counts, spaces included.
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": "Enter your password."},
        widget=SignInPasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": "Enter the e-mail address you sign in with.",
            "invalid": "Enter an e-mail address in the right format, like name@example.org.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
