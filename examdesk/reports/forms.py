from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.catalogue.models import Product
from examdesk.centres.models import Centre
from examdesk.core.forms import DayMonthYearField
from examdesk.people.models import Group
from examdesk.reports.selectors import SCOPES, Criteria
from examdesk.sittings.models import Sitting


class ReportForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Choose candidates by"),
        choices=list(SCOPES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to choose the candidates."},
    )
    group = forms.TypedChoiceField(label=_("Group"), coerce=int, required=False, empty_value=None)
    sitting = forms.TypedChoiceField(label=_("Sitting"), coerce=int, required=False, empty_value=None)
    unique_ids = forms.CharField(
        label=_("Unique IDs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One candidate's unique ID on each line (or separated by commas)."),
    )
    include_deactivated = forms.BooleanField(label=_("Include deactivated candidates"), required=False)
    product = forms.TypedChoiceField(label=_("Product"), coerce=int, required=False, empty_value=None)
    date_from = DayMonthYearField(
        label=_("Sittings opening from"),
        required=False,
        error_messages={"invalid": "Enter a real date for “Sittings opening from”, such as 1 9 2026."},
    )
    date_to = DayMonthYearField(
        label=_("Sittings opening to"),
        required=False,
        error_messages={"invalid": "Enter a real date for “Sittings opening to”, such as 31 7 2027."},
    )

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = Group.objects.filter(centre=centre).values_list("pk", "name")
        sittings = Sitting.objects.filter(centre=centre).values_list("pk", "name")
        products = Product.objects.filter(sittings__centre=centre).distinct().order_by("name").values_list("pk", "name")
        self.fields["group"].choices = [("", "Choose a group"), *groups]  # type: ignore[attr-defined]
        self.fields["sitting"].choices = [("", "Choose a sitting"), *sittings]  # type: ignore[attr-defined]
        self.fields["product"].choices = [("", "Every product"), *products]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scope = cleaned.get("scope")
        if scope == "group" and not cleaned.get("group"):
            self.add_error("group", "Choose a group.")
        if scope == "sitting" and not cleaned.get("sitting"):
            self.add_error("sitting", "Choose a sitting.")
        if scope == "candidates" and not self.unique_id_list():
            self.add_error("unique_ids", "Enter at least one unique ID.")
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned

    def unique_id_list(self) -> tuple[str, ...]:
        text = self.cleaned_data.get("unique_ids") or ""
        return tuple(dict.fromkeys(p.strip() for p in re.split(r"[\n,]", text) if p.strip()))

    def criteria(self) -> Criteria:
        c = self.cleaned_data
        scope = c["scope"]
        return Criteria(
            scope=scope,
            group_id=c.get("group") if scope == "group" else None,
            sitting_id=c.get("sitting") if scope == "sitting" else None,
            unique_ids=self.unique_id_list() if scope == "candidates" else (),
            include_deactivated=bool(c.get("include_deactivated")),
            product_id=c.get("product"),
            date_from=c.get("date_from"),
            date_to=c.get("date_to"),
        )
