"""Forms of the registration letters: the identity check, a corrected e-mail address, a series' letters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.catalogue.models import Series
from examdesk.centres.models import Centre
from examdesk.results.centre.selectors import series_for_centre

IDENTITY_CHECKED = "I have checked the identity of the person asking for this"


class IdentityCheckForm(forms.Form):
    """Seed 000: check who is asking before giving out an ID number and Secret Number again."""

    identity_checked = forms.BooleanField(
        label=IDENTITY_CHECKED,
        error_messages={
            "required": "Tick the box to confirm you have checked the identity of the person asking for this."
        },
    )


class EmailCorrectForm(forms.Form):
    email = forms.EmailField(
        label=_("The candidate's correct e-mail address"),
        max_length=254,
        help_text=_("We send a link to choose a new password to this address. Their old address stops working."),
        error_messages={
            "required": "Enter the candidate's e-mail address.",
            "invalid": "Enter an e-mail address like name@example.com.",
        },
    )
    identity_checked = IdentityCheckForm.base_fields["identity_checked"]


class SeriesLettersForm(forms.Form):
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.none(),
        empty_label=_("Choose a series"),
        error_messages={"required": "Choose the series to print letters for."},
    )
    send_emails = forms.BooleanField(
        label=_("Also e-mail each letter to candidates with an e-mail address on record"), required=False
    )

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series_for_centre(centre=centre)  # type: ignore[attr-defined]
