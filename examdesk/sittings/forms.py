from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.catalogue.models import MeasureDefinition, Product
from examdesk.centres.models import Centre
from examdesk.core.errors import ApplicationError
from examdesk.core.forms import DayMonthYearField
from examdesk.people.models import Candidate, Group
from examdesk.sittings import selectors, services
from examdesk.sittings.models import Attempt


class AllocationForm(forms.Form):
    product = forms.ModelChoiceField(
        queryset=Product.objects.none(),
        label=_("Assessment"),
        empty_label=_("Choose an assessment"),
        error_messages={"required": "Choose the assessment the credits are for."},
    )
    quantity = forms.IntegerField(
        label=_("Number of credits"),
        min_value=1,
        max_value=100000,
        error_messages={"required": "Enter the number of credits.", "min_value": "Enter at least 1 credit."},
    )
    expires_on = DayMonthYearField(
        label=_("Credits expire at the end of"),
        help_text=_("For example, 31 7 2027. At the end of the day in the centre's time zone."),
        error_messages={"required": "Enter the expiry date.", "invalid": "Enter a real date, such as 31 7 2027."},
    )

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(board_id=centre.board_id, is_active=True)  # type: ignore[attr-defined]


class CandidateChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.unique_id})" + ("" if obj.is_active else " – deactivated")


class SittingForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the sitting"),
        max_length=200,
        help_text=_("For example: Year 8 reading, March."),
        error_messages={"required": "Enter a name for the sitting."},
    )
    opens_on = DayMonthYearField(
        label=_("First day"),
        help_text=_("For example, 1 3 2027."),
        error_messages={"required": "Enter the first day.", "invalid": "Enter a real date, such as 1 3 2027."},
    )
    closes_on = DayMonthYearField(
        label=_("Last day"),
        help_text=_("For example, 5 3 2027."),
        error_messages={"required": "Enter the last day.", "invalid": "Enter a real date, such as 5 3 2027."},
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Groups")
    )
    candidates = CandidateChoice(
        queryset=Candidate.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Candidates")
    )
    include_deactivated = forms.BooleanField(required=False, label=_("Include deactivated candidates"))

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["groups"].queryset = Group.objects.filter(centre=centre).order_by("name")  # type: ignore[attr-defined]
        self.fields["candidates"].queryset = Candidate.objects.filter(centre=centre).order_by(  # type: ignore[attr-defined]
            "-is_active", "last_name", "first_name", "id"
        )
        self.chosen: list[Candidate] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.chosen = selectors.candidates_chosen(
                centre=self.centre,
                groups=data.get("groups") or [],
                candidates=data.get("candidates") or [],
                include_deactivated=bool(data.get("include_deactivated")),
            )
        except ApplicationError as error:
            self.add_error(error.field or None, error.message)
            return data
        if not self.chosen:
            self.add_error("candidates", "Choose at least one candidate, by group or one by one.")
        return data


class NewSittingForm(SittingForm):
    product = forms.ModelChoiceField(
        queryset=Product.objects.none(),
        label=_("Assessment"),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the assessment."},
    )
    field_order = ["product", "name", "opens_on", "closes_on"]

    def __init__(self, *args: Any, centre: Centre, offered: list[selectors.ProductCredit], **kwargs: Any) -> None:
        super().__init__(*args, centre=centre, **kwargs)
        field = self.fields["product"]
        field.queryset = Product.objects.filter(pk__in=[row.product.pk for row in offered])  # type: ignore[attr-defined]
        left = {row.product.pk: row for row in offered}
        field.label_from_instance = lambda p: (  # type: ignore[attr-defined]
            f"{p.name} – {left[p.pk].available} credits left, enough for {left[p.pk].candidates_possible} "
            f"candidate{'s' if left[p.pk].candidates_possible != 1 else ''}"
        )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this attempt unreliable?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log and the credit ledger. The candidate's credit is given back."),
        error_messages={"required": "Give the reason for voiding this attempt."},
    )


class MeasuresForm(forms.Form):
    """One field per extra measure of the product; nothing is saved unless every field is right."""

    def __init__(self, *args: Any, attempt: Attempt, measures: list[MeasureDefinition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measures = measures
        values = {v.measure_id: v for v in attempt.measures.all()}
        for measure in measures:
            name = f"m_{measure.code}"
            value = values.get(measure.pk)
            if measure.kind == MeasureDefinition.Kind.NUMBER:
                low, high = measure.min_value, measure.max_value
                bounds = f"from {_plain(low)} to {_plain(high)}" if low is not None and high is not None else ""
                message = f"Enter a number {bounds} for {measure.label}".strip() + "."
                self.fields[name] = forms.DecimalField(
                    label=measure.label,
                    required=False,
                    min_value=low,
                    max_value=high,
                    max_digits=7,
                    decimal_places=2,
                    help_text=f"A number {bounds}." if bounds else "",
                    initial=value.number if value else None,
                    error_messages={
                        "invalid": message,
                        "min_value": message,
                        "max_value": message,
                        "max_digits": message,
                        "max_decimal_places": f"Use at most 2 decimal places for {measure.label}.",
                        "max_whole_digits": message,
                    },
                )
            elif measure.kind == MeasureDefinition.Kind.FILE:
                current = f" Now: {value.file_name}." if value and value.file_path else ""
                self.fields[name] = forms.FileField(
                    label=measure.label,
                    required=False,
                    help_text=f"A PDF, PNG or JPEG file of at most 10 MB.{current}",
                )
            else:
                self.fields[name] = forms.CharField(
                    label=measure.label,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    initial=value.text if value else "",
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.evidence: dict[MeasureDefinition, services.Evidence] = {}
        for measure in self.measures:
            if measure.kind != MeasureDefinition.Kind.FILE:
                continue
            name = f"m_{measure.code}"
            upload = data.get(name)
            if not upload:
                continue
            if upload.size > services.MAX_EVIDENCE_BYTES:
                self.add_error(name, f"The file for {measure.label} is larger than 10 MB: choose a smaller one.")
                continue
            content = upload.read()
            kind = services.sniff_evidence(head=content[:16])
            if kind is None:
                self.add_error(name, f"The file for {measure.label} must be a PDF, PNG or JPEG.")
                continue
            self.evidence[measure] = services.Evidence(upload.name or "evidence", content, kind[0], kind[1])
        return data

    def numbers(self) -> dict[MeasureDefinition, Decimal | None]:
        return {
            m: self.cleaned_data.get(f"m_{m.code}") for m in self.measures if m.kind == MeasureDefinition.Kind.NUMBER
        }

    def texts(self) -> dict[MeasureDefinition, str]:
        return {
            m: (self.cleaned_data.get(f"m_{m.code}") or "").strip()
            for m in self.measures
            if m.kind == MeasureDefinition.Kind.TEXT
        }


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)
