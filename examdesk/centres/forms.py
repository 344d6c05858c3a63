from __future__ import annotations

import zoneinfo
from typing import Any

from babel.core import get_global
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from examdesk.centres.models import TIME_ZONE_CHOICES, Centre, Role
from examdesk.core import languages

COUNTRY_PLACEHOLDER = _("Choose a country")
TIME_ZONE_NOT_IN_COUNTRY = _("Choose one of the time zones of {country}.")


def time_zones_of(country: str) -> list[str]:
    """The time zones used in a country (CLDR's territory zones, as Babel ships them), or every zone when the
    country is unknown. Names the time zone database has dropped are left out."""
    available = zoneinfo.available_timezones()
    zones = [zone for zone in get_global("territory_zones").get(country.upper(), []) if zone in available]
    return sorted(zones) if zones else [zone for zone, _label in TIME_ZONE_CHOICES]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("If they already have an Examdesk account, they keep their password."),
        error_messages={
            "required": "Enter the e-mail address of the person to invite.",
            "invalid": "Enter an e-mail address in the right format, like name@example.org.",
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose one of the roles listed."},
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"), max_length=200, error_messages={"required": "Enter your full name."}
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Choose a password."},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
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
        label=_("Centre number"),
        max_length=10,
        help_text=_("3 to 10 capital letters or digits, as given by the board."),
        error_messages={"required": "Enter the centre number."},
    )
    name = forms.CharField(label=_("Name"), max_length=200, error_messages={"required": "Enter the centre's name."})
    kind = forms.ChoiceField(label=_("Kind of centre"), choices=Centre.Kind.choices)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[("", COUNTRY_PLACEHOLDER), *countries],
        error_messages={"required": _("Choose the centre's country."), "invalid_choice": _("Choose a country.")},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("The zone of the country's list in which the centre's times are shown."),
        choices=TIME_ZONE_CHOICES,
        error_messages={
            "required": _("Choose the centre's time zone."),
            "invalid_choice": _("Choose one of the time zones listed for the country."),
        },
    )
    language = forms.ChoiceField(
        label=_("Candidates' language"),
        choices=languages.CHOICES,
        initial=languages.ENGLISH,
        help_text=_("Letters, statements and e-mails to the centre's candidates, unless a candidate chose another."),
    )
    exam_centres = forms.ModelMultipleChoiceField(
        label=_("Exam centres it prepares candidates for"),
        required=False,
        queryset=Centre.objects.filter(kind=Centre.Kind.EXAM),
        help_text=_("Only for a preparation centre."),
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    first_admin_email = forms.EmailField(
        label=_("Invite the first centre admin"),
        required=False,
        max_length=254,
        help_text=_(
            "Their e-mail address. They get a link to choose a password and can then invite the centre's staff."
        ),
        error_messages={"invalid": _("Enter an e-mail address in the right format, like name@example.org.")},
    )

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["first_admin_email"]
        # With JavaScript the time zone list follows the country at once; without it, the list is narrowed when
        # the form comes back, and a zone of another country is refused either way.
        self.fields["country"].widget.attrs.update(
            {
                "hx-get": reverse("centres:board_centre_time_zones"),
                "hx-trigger": "change",
                "hx-target": "#time-zone-field",
                "hx-swap": "outerHTML",
            }
        )
        country = str(self.data.get("country") or self.initial.get("country") or "")
        zones = time_zones_of(country) if country else [zone for zone, _label in TIME_ZONE_CHOICES]
        field: Any = self.fields["time_zone"]
        field.choices = [("", _("Choose a time zone")), *((zone, zone.replace("_", " ")) for zone in zones)]
        if len(zones) == 1 and not self.is_bound:
            self.initial["time_zone"] = zones[0]

    def clean_number(self) -> str:
        value = str(self.cleaned_data["number"]).strip().upper()
        # The model's own rule (3 to 10 capital letters or digits), checked here so that a bad number
        # is an error on the field, not a failure in the service.
        for validator in Centre._meta.get_field("number").validators:
            validator(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country, zone = data.get("country"), data.get("time_zone")
        if country and zone and zone not in time_zones_of(country):
            self.add_error("time_zone", str(TIME_ZONE_NOT_IN_COUNTRY).format(country=dict(countries)[country]))
        return data
