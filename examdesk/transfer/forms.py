from __future__ import annotations

from django import forms

MAX_UPLOAD_MB = 20


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Candidate file",
        help_text=f"XLSX, ODS or CSV, up to {MAX_UPLOAD_MB} MB. Use the template's column headers, in any order. "
        "Or a OneRoster 1.1 or 1.2 CSV package (.zip) from your school's information system.",
        error_messages={"required": "Choose the file to import.", "empty": "The file is empty: choose another file."},
    )
    oneroster_unique_id = forms.ChoiceField(
        label="If the file is a OneRoster package: which of each student's fields is their unique ID?",
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
        label="How are the dates of birth written?",
        choices=[
            ("dmy", "Day first (03/04/2012 is 3 April 2012)"),
            ("mdy", "Month first (03/04/2012 is March 4, 2012)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the dates are written."},
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label="File type",
        choices=[
            ("xlsx", "Excel workbook (.xlsx)"),
            ("csv", "CSV (UTF-8)"),
            ("oneroster-1.2", "OneRoster 1.2 CSV package (.zip)"),
            ("oneroster-1.1", "OneRoster 1.1 CSV package (.zip)"),
        ],
        initial="xlsx",
        widget=forms.RadioSelect,
    )  # fmt: skip
    include_deactivated = forms.BooleanField(label="Include deactivated candidates", required=False)
