from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

MAX_CODE_FILE = 256 * 1024


class ResponseCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Paste the response code"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("It begins with EXD1-. Spaces, line breaks and upper or lower case do not matter."),
    )
    file = forms.FileField(
        label=_("Or upload the response code file (.txt)"),
        required=False,
        help_text=_("The file the player saved on the student's device."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        text = (data.get("code") or "").strip()
        if upload is not None:
            if upload.size > MAX_CODE_FILE:
                self.add_error("file", "The file is too large to be a response code.")
                return data
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", "The file is not a response code: choose the .txt file the player saved.")
                return data
        if not text.strip():
            self.add_error("code", "Paste the response code or choose the file the player saved.")
        data["text"] = text
        return data


class OverrideForm(forms.Form):
    awarded = forms.DecimalField(label=_("New mark"), min_value=0, max_digits=5, decimal_places=2)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log with your name."),
    )

    def __init__(self, *args: Any, maximum: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["awarded"].help_text = f"From 0 to {maximum.normalize():f}."
        self.fields["awarded"].widget.attrs.update({"inputmode": "decimal", "max": f"{maximum.normalize():f}"})
        self.fields["awarded"].validators.append(
            MaxValueValidator(maximum, message=f"Enter a mark from 0 to {maximum.normalize():f}.")
        )
