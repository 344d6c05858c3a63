from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from examdesk.core.forms import DayMonthYearField
from examdesk.people import validation
from examdesk.people.models import Candidate, Group
from examdesk.people.services import CandidateData


class CandidateForm(forms.Form):
    """Every field can be filled in any order; nothing depends on another field being filled first."""

    unique_id = forms.CharField(
        label=_("Unique ID"),
        max_length=200,
        help_text=_("The ID your centre uses for this candidate. Text: leading zeros are kept."),
        error_messages={"required": "Enter the unique ID your centre uses for this candidate."},
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=200, error_messages={"required": "Enter the first name."}
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=200, error_messages={"required": "Enter the last name."}
    )
    date_of_birth = DayMonthYearField(
        label=_("Date of birth"),
        required=False,
        help_text=_("For example, 3 4 2012."),
        error_messages={"invalid": "Enter a real date of birth, for example 3 4 2012."},
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "Not given"), *Candidate.Gender.choices]
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False)
    sen_status = forms.ChoiceField(label=_("SEN status"), required=False)
    upn = forms.CharField(
        label=_("UPN"),
        required=False,
        max_length=20,
        help_text=_("Unique Pupil Number (England): 13 characters, starting with its check letter."),
    )
    email = forms.CharField(label=_("E-mail address"), required=False, max_length=254)
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        required=False,
        queryset=Group.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a group to take the candidate out of it."),
    )
    new_groups = forms.CharField(
        label=_("Add to groups"),
        required=False,
        max_length=500,
        help_text=_(
            "Start typing: existing groups are offered. A name that does not exist yet creates the group. "
            "Separate several names with commas."
        ),
        widget=forms.TextInput(attrs={"list": "group-names", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, centre: Any, terms: dict[str, dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.terms = terms
        self.fields["groups"].queryset = Group.objects.filter(centre=centre)  # type: ignore[attr-defined]
        self.fields["nationality"].choices = [("", "Not given"), *countries]  # type: ignore[attr-defined]
        self.fields["ethnicity"].choices = [("", "Not given"), *terms["ethnicity"].items()]  # type: ignore[attr-defined]
        self.fields["sen_status"].choices = [("", "Not given"), *terms["sen"].items()]  # type: ignore[attr-defined]

    def _clean_with(self, name: str, clean: Callable[[str], Any]) -> Any:
        try:
            return clean(self.cleaned_data.get(name) or "")
        except validation.FieldProblem as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean_unique_id(self) -> str:
        return str(self._clean_with("unique_id", validation.clean_unique_id))

    def clean_first_name(self) -> str:
        return str(self._clean_with("first_name", validation.clean_name))

    def clean_last_name(self) -> str:
        return str(self._clean_with("last_name", validation.clean_name))

    def clean_upn(self) -> str:
        return str(self._clean_with("upn", validation.clean_upn))

    def clean_email(self) -> str:
        return str(self._clean_with("email", validation.clean_email))

    def clean_new_groups(self) -> list[str]:
        return list(self._clean_with("new_groups", validation.clean_groups))

    def to_data(self) -> CandidateData:
        data = self.cleaned_data
        groups = [group.name for group in data["groups"]] + list(data["new_groups"])
        return CandidateData(
            unique_id=data.get("unique_id", ""),
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            gender=data["gender"],
            nationality=data["nationality"],
            ethnicity=data["ethnicity"],
            sen_status=data["sen_status"],
            upn=data["upn"],
            email=data["email"],
            groups=groups,
        )


class ChangeUniqueIdForm(forms.Form):
    new_unique_id = forms.CharField(
        label=_("New unique ID"), max_length=200, error_messages={"required": "Enter the new unique ID."}
    )

    def clean_new_unique_id(self) -> str:
        try:
            return validation.clean_unique_id(self.cleaned_data["new_unique_id"])
        except validation.FieldProblem as problem:
            raise forms.ValidationError(str(problem)) from None


class CandidateFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Name, unique ID or e-mail (start of it).")
    )
    group = forms.ModelChoiceField(
        label=_("Group"), required=False, queryset=Group.objects.none(), empty_label=_("All groups")
    )
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("active", "Active candidates"), ("deactivated", "Deactivated candidates"), ("all", "All candidates")],
    )

    def __init__(self, *args: Any, centre: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(centre=centre)  # type: ignore[attr-defined]
