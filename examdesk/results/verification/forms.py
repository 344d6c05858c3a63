"""The form of the public verification page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
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


class StatementFileForm(forms.Form):
    """The other way to check: upload the statement file itself (its signature and its contents are checked)."""

    statement = forms.FileField(
        label=_("Statement of results file"),
        help_text=_("The PDF file of the statement, as it was sent to you. It is checked and not kept."),
        error_messages={"required": _("Choose the statement of results file."), "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_statement(self) -> bytes:
        from examdesk.results.verification.files import MAX_BYTES, NOT_A_PDF, TOO_LARGE, is_pdf

        upload = self.cleaned_data["statement"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(gettext(TOO_LARGE))
        data = bytes(upload.read())
        if not is_pdf(data):
            raise forms.ValidationError(gettext(NOT_A_PDF))
        return data
