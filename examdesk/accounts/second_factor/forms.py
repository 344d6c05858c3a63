from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.accounts.second_factor.services import CODE_REQUIRED, REMEMBER_DAYS


class EnrolmentConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits the app shows for Examdesk now."),
        max_length=12,
        error_messages={"required": CODE_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class ChallengeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        help_text=_("The 6-digit code your authenticator app shows for Examdesk, or one of your recovery codes."),
        max_length=24,
        error_messages={"required": CODE_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
    remember = forms.BooleanField(
        label=f"Remember this browser for {REMEMBER_DAYS} days",
        help_text=_("Only on a computer or phone that is yours alone."),
        required=False,
    )
