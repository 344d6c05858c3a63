"""The form of the public verification page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.results import keys


class VerificationForm(forms.Form):
    """The public verification page: what a university or employer reads off a statement."""

    id_number = forms.CharField(
        label=_("Candidate ID number"),
        max_length=64,
        help_text=_("The candidate's 9-digit ID number, as printed on the statement."),
        error_messages={"required": _("Enter the candidate ID number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}),
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_(
            "12 letters and digits, as printed on the statement, like ABCD-EFGH-JKLM. Dashes and spaces are optional."
        ),
        error_messages={"required": _("Enter the verification code.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_id_number(self) -> str:
        return keys.clean_typed_number(self.cleaned_data["id_number"])

    def clean_code(self) -> str:
        return keys.normalise_verification_code(self.cleaned_data["code"])
