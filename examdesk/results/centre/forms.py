from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from examdesk.catalogue.models import Qualification, Series
from examdesk.centres.models import Centre
from examdesk.core.errors import ApplicationError
from examdesk.results.centre.search import SORTS, STATUS_CHOICES, Criteria, Viewer, search
from examdesk.results.centre.selectors import (
    grade_choices,
    preparation_centre_choices,
    qualification_choices,
    series_choices,
)

NUMBER_ERROR = "Enter the {which} candidate number as 4 digits, like 0042."
SORT_KEYS = frozenset(SORTS)


class ResultsSearchForm(forms.Form):
    """Seed 000's "Report criteria". Field names are the names of the page's query string and of the hidden
    fields every bulk action posts back (see `selection_from_post`)."""

    series = forms.ModelChoiceField(
        label=_("Series"), required=False, queryset=Series.objects.none(), empty_label=_("All series")
    )
    qualification = forms.ModelChoiceField(
        label=_("Qualification"),
        required=False,
        queryset=Qualification.objects.none(),
        empty_label=_("All qualifications"),
    )
    number_from = forms.CharField(
        label=_("From"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    number_to = forms.CharField(
        label=_("To"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("First name"), required=False, max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Last name"), required=False, max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    preparation_centre = forms.ModelChoiceField(
        label=_("Preparation centre"), required=False, queryset=Centre.objects.none(), empty_label=_("All")
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=())
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "Any status"), *STATUS_CHOICES])
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    CRITERIA_FIELDS = (
        "series",
        "qualification",
        "number_from",
        "number_to",
        "first_name",
        "last_name",
        "preparation_centre",
        "grade",
        "status",
        "sort",
    )

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["series"].queryset = series_choices(viewer=viewer)  # type: ignore[attr-defined]
        self.fields["qualification"].queryset = qualification_choices(viewer=viewer)  # type: ignore[attr-defined]
        self.fields["grade"].choices = [("", "Any grade"), *grade_choices(viewer=viewer)]  # type: ignore[attr-defined]
        self.fields["series"].error_messages["invalid_choice"] = "Choose a series from the list."
        self.fields["qualification"].error_messages["invalid_choice"] = "Choose a qualification from the list."
        self.fields["grade"].error_messages["invalid_choice"] = "Choose a grade from the list."
        self.fields["status"].error_messages["invalid_choice"] = "Choose a status from the list."
        if viewer.is_preparation_centre:
            del self.fields["preparation_centre"]
        else:
            field = self.fields["preparation_centre"]
            field.queryset = preparation_centre_choices(centre=viewer.centre)  # type: ignore[attr-defined]
            field.error_messages["invalid_choice"] = "Choose a preparation centre from the list."
            field.label_from_instance = lambda centre: f"{centre.number} {centre.name}"  # type: ignore[attr-defined]

    def _number(self, name: str, which: str) -> str:
        value = "".join(str(self.cleaned_data.get(name) or "").split())
        if value and not (len(value) == 4 and value.isascii() and value.isdigit()):
            raise forms.ValidationError(NUMBER_ERROR.format(which=which))
        return value

    def clean_number_from(self) -> str:
        return self._number("number_from", "From")

    def clean_number_to(self) -> str:
        return self._number("number_to", "To")

    def clean_sort(self) -> str:
        sort = self.cleaned_data.get("sort") or ""
        return sort if sort in SORT_KEYS else "number"

    def criteria(self) -> Criteria:
        """The criteria of a valid form (an unbound form: every entry, by number)."""
        if not self.is_bound:
            return Criteria()
        data = self.cleaned_data
        prep = data.get("preparation_centre")
        return Criteria(
            series_id=data["series"].pk if data.get("series") else None,
            qualification_id=data["qualification"].pk if data.get("qualification") else None,
            number_from=data.get("number_from") or "",
            number_to=data.get("number_to") or "",
            first_name=(data.get("first_name") or "").strip(),
            last_name=(data.get("last_name") or "").strip(),
            preparation_centre_id=prep.pk if prep else None,
            grade=data.get("grade") or "",
            status=data.get("status") or "",
            sort=data.get("sort") or "number",
        )

    def names(self) -> dict[str, str]:
        """What `search.describe` names the chosen series, qualification and preparation centre by."""
        if not self.is_bound:
            return {}
        data = self.cleaned_data
        names = {}
        if data.get("series"):
            names["series"] = data["series"].name
        if data.get("qualification"):
            names["qualification"] = data["qualification"].name
        if data.get("preparation_centre"):
            names["preparation_centre"] = f"{data['preparation_centre'].number} {data['preparation_centre'].name}"
        return names


def criteria_pairs(criteria: Criteria, *, sort: bool = True) -> list[tuple[str, str]]:
    """The criteria as (form field name, value) pairs, empty ones left out: for links and hidden fields."""
    values = {
        "series": criteria.series_id,
        "qualification": criteria.qualification_id,
        "number_from": criteria.number_from,
        "number_to": criteria.number_to,
        "first_name": criteria.first_name,
        "last_name": criteria.last_name,
        "preparation_centre": criteria.preparation_centre_id,
        "grade": criteria.grade,
        "status": criteria.status,
        "sort": criteria.sort if sort and criteria.sort != "number" else "",
    }
    return [(name, str(value)) for name, value in values.items() if value not in (None, "")]


def criteria_query(criteria: Criteria, **extra: str) -> str:
    """The criteria as a query string (plus `extra`), for sort and page links."""
    pairs = [(n, v) for n, v in criteria_pairs(criteria, sort="sort" not in extra) if n not in extra]
    return urlencode(pairs + [(n, v) for n, v in extra.items() if v])


SELECTION_SCOPES = ("ticked", "search")


def selection_from_post(data: QueryDict, viewer: Viewer) -> tuple[Criteria, list[int] | None]:
    """What a person selected on the results page for a bulk action (statements, e-mails, links).

    The page posts its search criteria as hidden fields named like `ResultsSearchForm`'s fields (series,
    qualification, number_from, number_to, first_name, last_name, preparation_centre, grade, status, sort),
    `scope` ("ticked" or "search") from the button pressed, and one `entry` per ticked row (an Entry id).

    Returns `(criteria, entry_ids)`:
    - scope "search": `(criteria, None)`: every entry of `search(viewer, criteria)`;
    - scope "ticked": `(criteria, ids)`: the ticked ids that `search(viewer, criteria)` finds now, in the
      search's order, duplicates dropped. Ids of another centre's entries, or of entries the viewer may not see
      (e.g. a preparation centre before release), are silently left out; `[]` when nothing (valid) was ticked,
      and the caller says "tick at least one".
    Raises ApplicationError (with a message for the person) when the criteria do not validate (the same rules
    and messages as the page) or `scope` is missing or unknown. Runs one query for "ticked", none for "search"
    (besides the form's checks of the chosen series, qualification and preparation centre).
    """
    form = ResultsSearchForm(data, viewer=viewer)
    if not form.is_valid():
        first = next(iter(form.errors.values()))
        raise ApplicationError(str(first[0]))
    criteria = form.criteria()
    scope = data.get("scope")
    if scope == "search":
        return criteria, None
    if scope != "ticked":
        raise ApplicationError("Choose the ticked results or every result of the search.")
    wanted = {int(value) for value in data.getlist("entry") if value.isascii() and value.isdigit() and len(value) < 19}
    if not wanted:
        return criteria, []
    found = search(viewer, criteria).prefetch_related(None).filter(pk__in=sorted(wanted))
    return criteria, list(found.values_list("pk", flat=True))


NONE = "none"


class LinkForm(forms.Form):
    """The preparation centre to link entries to, or none. `link_to`, not `preparation_centre`: that name is
    the search's filter, posted alongside."""

    link_to = forms.ChoiceField(
        label=_("Preparation centre"),
        error_messages={
            "required": "Choose a preparation centre, or None to unlink.",
            "invalid_choice": "Choose a preparation centre from the list.",
        },
    )

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.centres = {str(c.pk): c for c in preparation_centre_choices(centre=centre)}
        self.fields["link_to"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a preparation centre"),
            *((pk, f"{c.number} {c.name}") for pk, c in self.centres.items()),
            (NONE, "None (unlink)"),
        ]

    def target(self) -> Centre | None:
        value = self.cleaned_data["link_to"]
        return None if value == NONE else self.centres[value]
