from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MB = 20


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Candidate file"),
        help_text=f"XLSX, ODS or CSV, up to {MAX_UPLOAD_MB} MB. Use the template's column headers, in any order. "
        "Or a OneRoster 1.1 or 1.2 CSV package (.zip) from your school's information system.",
        error_messages={"required": "Choose the file to import.", "empty": "The file is empty: choose another file."},
    )
    oneroster_unique_id = forms.ChoiceField(
        label=_("If the file is a OneRoster package: which of each student's fields is their unique ID?"),
        choices=[
            ("identifier", "identifier (the school's own number or code for the person)"),
            ("username", "username (the person's login name)"),
        ],
        initial="identifier",
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_MB} MB. Split it into smaller files, or save it as CSV."
            )
        return upload


class DateOrderForm(forms.Form):
    date_order = forms.ChoiceField(
        label=_("How are the dates of birth written?"),
        choices=[
            ("dmy", "Day first (03/04/2012 is 3 April 2012)"),
            ("mdy", "Month first (03/04/2012 is March 4, 2012)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the dates are written."},
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("File type"),
        choices=[
            ("xlsx", "Excel workbook (.xlsx)"),
            ("csv", "CSV (UTF-8)"),
            ("oneroster-1.2", "OneRoster 1.2 CSV package (.zip)"),
            ("oneroster-1.1", "OneRoster 1.1 CSV package (.zip)"),
        ],
        initial="xlsx",
        widget=forms.RadioSelect,
    )  # fmt: skip
    include_deactivated = forms.BooleanField(label=_("Include deactivated candidates"), required=False)


class ValueMappingForm(forms.Form):
    """What one value of the file that matched nothing means: a country, or an entry of the board's list."""

    field = forms.CharField(widget=forms.HiddenInput)
    value = forms.CharField(widget=forms.HiddenInput)
    code = forms.ChoiceField(error_messages={"required": "", "invalid_choice": ""})

    def __init__(
        self,
        *args: Any,
        what: str,
        value: str,
        choices: dict[str, str],
        suggestions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        code.label = f"What does “{value}” mean in the {what} column?"
        code.help_text = "Every later import of your centre reads it the same way."
        needed = f"Choose what “{value}” means, from the list."
        code.error_messages = {"required": needed, "invalid_choice": needed}
        everything = sorted(choices.items(), key=lambda item: item[1])
        offered: list[Any] = [("", "Choose from the list")]
        closest = [(c, name) for c, name in suggestions if c in choices]
        if closest:
            offered.append(("Closest", closest))
            offered.append(("Every entry", everything))
        else:
            offered += everything
        code.choices = offered
