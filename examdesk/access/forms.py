from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.access.models import ResultsAccess
from examdesk.access.services import contact_problems
from examdesk.catalogue.models import Qualification, Series
from examdesk.centres.models import Centre
from examdesk.people.models import Group


class AccessForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Which candidates may see their results online?"),
        choices=ResultsAccess.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose no candidates, all candidates or selected candidates."},
    )
    queries_confirmed = forms.BooleanField(
        label=_("We will deal with candidates' queries about Results Online and their results"),
        required=False,
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Phone number"), max_length=40, required=False, help_text=_("Include the country code if abroad.")
    )
    contact_email = forms.CharField(label=_("E-mail address"), max_length=254, required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        problems = contact_problems(
            confirmed=bool(data.get("queries_confirmed")),
            name=data.get("contact_name") or "",
            phone=data.get("contact_phone") or "",
            email=data.get("contact_email") or "",
        )
        for name, message in problems.items():
            self.add_error(name, message)
        return data


SHOW_CHOICES = [("", "Everyone"), ("access", "With access now"), ("no-access", "Without access")]


class CandidateFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or unique ID"), max_length=100, required=False)
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), required=False, empty_label=_("Any")
    )
    qualification = forms.ModelChoiceField(
        label=_("Qualification"), queryset=Qualification.objects.none(), required=False, empty_label=_("Any")
    )
    series = forms.ModelChoiceField(
        label=_("Series"), queryset=Series.objects.none(), required=False, empty_label=_("Any")
    )
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["group"].queryset = Group.objects.filter(centre=centre).order_by("name")
        fields["qualification"].queryset = (
            Qualification.objects.filter(entries__centre=centre).distinct().order_by("name")
        )
        fields["series"].queryset = Series.objects.filter(board_id=centre.board_id).order_by("-starts_on")
