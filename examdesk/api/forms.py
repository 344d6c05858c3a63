from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.api.keys import CENTRE_FAMILIES
from examdesk.api.models import Webhook
from examdesk.core.forms import DayMonthYearField
from examdesk.core.time import now

ACCESS_CHOICES = [("", "No access"), ("read", "Read"), ("write", "Read and write")]
MAX_DAYS = 3 * 365


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. the school's information system."),
        error_messages={"required": "Enter a name for the key."},
    )
    expires_on = DayMonthYearField(
        label=_("Expires on"),
        help_text=_("For example, 31 7 2027. The key stops working at the start of this day (UTC)."),
        error_messages={
            "required": "Enter the date the key expires.",
            "invalid": "Enter a real date, like 31 7 2027.",
        },
    )

    def __init__(self, *args: Any, families: dict[str, str] = CENTRE_FAMILIES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.families = families
        for family, label in families.items():
            self.fields[f"scope_{family}"] = forms.ChoiceField(
                label=label, choices=ACCESS_CHOICES, required=False, widget=forms.RadioSelect, initial=""
            )
        if not self.is_bound:
            self.initial["expires_on"] = (now().date() + timedelta(days=365)).strftime("%d/%m/%Y")

    def clean_expires_on(self) -> date:
        value: date = self.cleaned_data["expires_on"]
        today = now().date()
        if value <= today:
            raise forms.ValidationError("The expiry date must be in the future.")
        if value > today + timedelta(days=MAX_DAYS):
            raise forms.ValidationError("A key lasts at most 3 years: choose an earlier date.")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f"scope_{family}") for family in self.families):
            first = f"scope_{next(iter(self.families))}"
            self.add_error(first, "Give the key access to at least one kind of resource.")
        return cleaned

    def scopes(self) -> dict[str, str]:
        return {
            family: self.cleaned_data[f"scope_{family}"]
            for family in self.families
            if self.cleaned_data.get(f"scope_{family}")
        }

    def scope_fields(self) -> list[forms.BoundField]:
        return [self[f"scope_{family}"] for family in self.families]


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Endpoint address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// address of your system that accepts POST requests."),
        error_messages={"required": "Enter the endpoint's address.", "invalid": "Enter an address like https://…"},
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Webhook.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )
