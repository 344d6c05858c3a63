from __future__ import annotations

import re
from typing import Any

from django import forms

from examdesk.centres.models import TIME_ZONE_CHOICES, Centre, Role
from examdesk.core import languages


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="If they already have an Examdesk account, they keep their password.",
        error_messages={
            "required": "Enter the e-mail address of the person to invite.",
            "invalid": "Enter an e-mail address in the right format, like name@example.org.",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose one of the roles listed."},
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name", max_length=200, error_messages={"required": "Enter your full name."}
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Choose a password."},
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords are not the same.")
        return data


class CentreForm(forms.Form):
    number = forms.CharField(
        label="Centre number",
        max_length=10,
        help_text="3 to 10 capital letters or digits, as given by the board.",
        error_messages={"required": "Enter the centre number."},
    )
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the centre's name."})
    kind = forms.ChoiceField(label="Kind of centre", choices=Centre.Kind.choices)
    country = forms.CharField(
        label="Country code",
        max_length=2,
        min_length=2,
        help_text="Two letters (ISO 3166), e.g. GB, PT, ES.",
        error_messages={"required": "Enter the two-letter country code."},
    )
    time_zone = forms.ChoiceField(label="Time zone", choices=TIME_ZONE_CHOICES, initial="Europe/London")
    language = forms.ChoiceField(
        label="Candidates' language",
        choices=languages.CHOICES,
        initial=languages.ENGLISH,
        help_text="Letters, statements and e-mails to the centre's candidates, unless a candidate chose another.",
    )
    exam_centres = forms.ModelMultipleChoiceField(
        label="Exam centres it prepares candidates for",
        required=False,
        queryset=Centre.objects.filter(kind=Centre.Kind.EXAM),
        help_text="Only for a preparation centre.",
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def clean_number(self) -> str:
        value = str(self.cleaned_data["number"]).strip().upper()
        # The model's own rule (3 to 10 capital letters or digits), checked here so that a bad number
        # is an error on the field, not a failure in the service.
        for validator in Centre._meta.get_field("number").validators:
            validator(value)
        return value

    def clean_country(self) -> str:
        value = str(self.cleaned_data["country"]).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise forms.ValidationError("Use two letters, e.g. GB.")
        return value
