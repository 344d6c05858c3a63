"""Forms of the board's catalogue pages.

The qualification form only collects what was typed: the rules are those of qualification files
(`definitions.parse_data`), applied to the data `qualification_data_from_forms` builds, so a page and a file
accept and refuse exactly the same qualifications.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from examdesk.catalogue.definitions import AGGREGATIONS, ROUNDINGS, Problem
from examdesk.catalogue.models import Qualification
from examdesk.catalogue.selectors import ReleaseRow
from examdesk.core.forms import DateAndTimeWidget, DayMonthYearField

MAX_FILE_BYTES = 1024 * 1024
FILE_SUFFIXES = (".json", ".yaml", ".yml")


class TypedText(forms.CharField):
    """Text kept as typed; whether it is required, a number or short enough is for the file rules to say."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        return None


class NumberText(TypedText):
    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
        return attrs


def _choices(model_choices: Any, allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, label) for value, label in model_choices if value in allowed]


class QualificationForm(forms.Form):
    code = TypedText(label=_("Code"), help_text=_("The board's code, e.g. FCE or 0580. It cannot be changed later."))
    name = TypedText(label=_("Name"), help_text=_("As printed on statements, e.g. B2 First."))
    family = TypedText(label=_("Family"), required=False, help_text=_("e.g. Cambridge English, IGCSE."))
    results_online = forms.BooleanField(
        label=_("Results are online"),
        required=False,
        initial=True,
        help_text=_(
            "When not, candidates and centres are told the results are not available online and to "
            "contact their centre."
        ),
    )
    aggregation = forms.ChoiceField(
        label=_("How the overall score is formed"),
        choices=_choices(Qualification.Aggregation.choices, AGGREGATIONS),
        initial="mean",
    )
    rounding = forms.ChoiceField(
        label=_("Rounding of the overall score"), choices=_choices(Qualification.Rounding.choices, ROUNDINGS)
    )
    decimals = forms.TypedChoiceField(
        label=_("Decimal places of the overall score"),
        choices=[(0, "0 (whole numbers)"), (1, "1"), (2, "2")],
        coerce=int,
        initial=0,
    )
    overall_min = NumberText(label=_("Lowest overall score (min)"))
    overall_max = NumberText(label=_("Highest overall score (max)"))


class TableRowForm(forms.Form):
    """A formset form shown as one row of a table: each cell's field with a label naming the row ("Band 2: grade")."""

    ROW = "Row"
    CELLS: tuple[tuple[str, str], ...] = ()  # (field name, the label's end after "<ROW> <n>: ")
    REMOVE = "Remove row"

    def cells(self) -> list[tuple[forms.BoundField, str]]:
        number = int(str(self.prefix).rsplit("-", 1)[-1]) + 1
        cells = [(self[name], f"{self.ROW} {number}: {words}") for name, words in self.CELLS]
        if "DELETE" in self.fields:
            cells.append((self["DELETE"], f"{self.REMOVE} {number}"))
        return cells


class ComponentForm(TableRowForm):
    ROW, REMOVE = "Component", "Remove component"
    CELLS = (
        ("code", "code"),
        ("name", "name"),
        ("min_score", "min score"),
        ("max_score", "max score"),
        ("weight", "weight"),
    )

    code = TypedText(label=_("Code"))
    name = TypedText(label=_("Name"))
    min_score = NumberText(label=_("Min score"), required=False)
    max_score = NumberText(label=_("Max score"))
    weight = NumberText(label=_("Weight"), required=False)

    TEXT_FIELDS = ("code", "name", "min_score", "max_score", "weight")


class BandForm(TableRowForm):
    ROW, REMOVE = "Band", "Remove band"
    CELLS = (
        ("min_score", "from overall score"),
        ("grade", "grade"),
        ("label", "result"),
        ("cefr_level", "CEFR level"),
        ("awards_certificate", "awards a certificate"),
    )

    min_score = NumberText(label=_("From overall score"))
    grade = TypedText(label=_("Grade"), required=False)
    label = TypedText(label=_("Result"))
    cefr_level = TypedText(label=_("CEFR level"), required=False)
    awards_certificate = forms.BooleanField(label=_("Certificate"), required=False, initial=True)

    TEXT_FIELDS = ("min_score", "grade", "label", "cefr_level")


ComponentFormSet = forms.formset_factory(ComponentForm, extra=0, can_delete=True)
BandFormSet = forms.formset_factory(BandForm, extra=0, can_delete=True)


def _kept_rows(formset: forms.BaseFormSet[Any], text_fields: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
    """(index in the formset, values) of the rows that were filled in and not marked for removal."""
    rows = []
    for index, form in enumerate(formset.forms):
        values = {name: form[name].value() for name in form.fields}
        if values.get("DELETE"):
            continue
        if all(not str(values.get(name) or "").strip() for name in text_fields):
            continue
        rows.append((index, values))
    return rows


def _text(value: Any) -> str:
    return str(value or "").strip()


class QualificationInput:
    """The qualification page's forms, turned into file data and back into field errors."""

    BASICS = {
        "code": "code",
        "name": "name",
        "family": "family",
        "results_online": "results_online",
        "overall.aggregation": "aggregation",
        "overall.rounding": "rounding",
        "overall.decimals": "decimals",
        "overall.min": "overall_min",
        "overall.max": "overall_max",
        "overall": "overall_min",
    }
    COMPONENT_KEYS = {"code": "code", "name": "name", "min": "min_score", "max": "max_score", "weight": "weight"}
    BAND_KEYS = {
        "min": "min_score",
        "grade": "grade",
        "label": "label",
        "cefr": "cefr_level",
        "certificate": "awards_certificate",
    }

    def __init__(self, basics: QualificationForm, components: Any, bands: Any) -> None:
        self.basics = basics
        self.components = components
        self.bands = bands
        self.component_rows: list[int] = []
        self.band_rows: list[int] = []

    def data(self) -> dict[str, Any]:
        """What was typed, shaped as a qualification file with one qualification."""
        basics = self.basics
        decimals = basics["decimals"].value()
        item: dict[str, Any] = {
            "code": _text(basics["code"].value()),
            "name": _text(basics["name"].value()),
            "family": _text(basics["family"].value()),
            "results_online": bool(basics["results_online"].value()),
            "overall": {
                "aggregation": _text(basics["aggregation"].value()),
                "rounding": _text(basics["rounding"].value()),
                "decimals": int(decimals) if re.fullmatch(r"[0-9]", str(decimals)) else decimals,
                "min": _text(basics["overall_min"].value()),
                "max": _text(basics["overall_max"].value()),
            },
        }
        components = _kept_rows(self.components, ComponentForm.TEXT_FIELDS)
        self.component_rows = [index for index, _ in components]
        item["components"] = [
            {key: _text(values[field]) for key, field in self.COMPONENT_KEYS.items()} for _, values in components
        ]
        bands = _kept_rows(self.bands, BandForm.TEXT_FIELDS)
        self.band_rows = [index for index, _ in bands]
        item["bands"] = [
            {
                key: (bool(values[field]) if key == "certificate" else _text(values[field]))
                for key, field in self.BAND_KEYS.items()
            }
            for _, values in bands
        ]
        return {"qualifications": [item]}

    def place(self, problem: Problem) -> tuple[forms.Form, str, str]:
        """The form and field a problem is about, and its message as the page says it."""
        path = problem.path.removeprefix("qualifications[0]").lstrip(".")
        match = re.fullmatch(r"(components|bands)(?:\[(\d+)\])?(?:\.(\w+))?", path)
        if match:
            kind, index, key = match.groups()
            formset, rows, keys, noun = (
                (self.components, self.component_rows, self.COMPONENT_KEYS, "Component")
                if kind == "components"
                else (self.bands, self.band_rows, self.BAND_KEYS, "Band")
            )
            if index is None:
                form = formset.forms[0] if formset.forms else formset.empty_form
                field = next(iter(keys.values()))
                what = "Components" if kind == "components" else "Grading bands"
                return form, field, f"{what}: {problem.text}"
            row = rows[int(index)]
            field = keys.get(key or "", next(iter(keys.values())))
            form = formset.forms[row]
            label = form.fields[field].label
            return form, field, f"{noun} {row + 1}, {str(label).lower()}: {problem.text}"
        field = self.BASICS.get(path, "code")
        label = self.basics.fields[field].label if path != "overall" else "Overall score"
        return self.basics, field, f"{label}: {problem.text}"

    def show(self, problems: list[Problem]) -> list[tuple[str, str]]:
        """Put each problem on its field; return (message, id of the field) for the error summary."""
        summary = []
        for problem in problems:
            form, field, message = self.place(problem)
            if not hasattr(form, "cleaned_data"):
                form.full_clean()
            form.add_error(field, problem.text[:1].upper() + problem.text[1:])
            summary.append((message, form[field].id_for_label))
        return summary


class QualificationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Qualification file"),
        help_text=_("JSON or YAML (.json, .yaml or .yml), up to 1 MB, in the format the guide describes."),
        error_messages={"required": "Choose the file to load.", "empty": "The file is empty: choose another file."},
    )

    def clean_file(self) -> str:
        upload: UploadedFile = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(FILE_SUFFIXES):
            raise forms.ValidationError("The file must be a .json, .yaml or .yml file.")
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB. Split it into smaller files.")
        raw = upload.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB. Split it into smaller files.")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "The file is not UTF-8 text. Save it as UTF-8 (in most editors: Save as, Encoding UTF-8)."
            ) from error
        self.file_name = name
        return str(text)


class SeriesForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Short code used in results files, e.g. 2026-06. It cannot be changed later."),
        error_messages={"required": "Enter the series code.", "max_length": "Use at most 20 characters."},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("As candidates see it, e.g. June 2026."),
        error_messages={"required": "Enter the series name.", "max_length": "Use at most 100 characters."},
    )
    starts_on = DayMonthYearField(
        label=_("Start date"),
        required=False,
        help_text=_("The first exam day. For example, 4 5 2026."),
        error_messages={"invalid": "Enter a real date, for example 4 5 2026."},
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", code):
            raise forms.ValidationError("Use letters, digits, dots, dashes and underscores only, e.g. 2026-06.")
        return code


LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")


def local_input(moment: datetime | None, zone: str) -> str:
    """A moment as a datetime-local input shows it, in the zone."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M") if moment else ""


def aware_from_local(text: str, zone: str) -> datetime:
    """The moment a wall-clock time in the zone stands for; ValueError (with a message) when it is not one."""
    for pattern in LOCAL_FORMATS:
        try:
            naive = datetime.strptime(text, pattern)  # noqa: DTZ007 - the zone is attached just below
            break
        except ValueError:
            continue
    else:
        raise ValueError("Enter a date and time, for example 13 8 2026 and 08:00.")
    tz = ZoneInfo(zone)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    shown = f"{naive:%H:%M} on {naive:%-d %B %Y}"
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None)
        if round_trip != naive:
            raise ValueError(f"{shown} does not exist in {zone}: the clocks go forward then. Choose another time.")
        raise ValueError(f"{shown} happens twice in {zone}: the clocks go back then. Choose another time.")
    return first


class ReleasesForm(forms.Form):
    """One date-and-time field per active qualification, in the board's time zone."""

    def __init__(self, *args: Any, rows: list[ReleaseRow], zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.zone = zone
        for row in rows:
            self.fields[f"q{row.qualification.pk}"] = forms.CharField(
                label=f"{row.qualification.name} ({row.qualification.code})",
                required=False,
                initial=local_input(row.released_at, zone),
                widget=DateAndTimeWidget(),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in self.rows:
            name = f"q{row.qualification.pk}"
            text = str(cleaned.get(name) or "").strip()
            if not text:
                cleaned[name] = None
                continue
            try:
                cleaned[name] = aware_from_local(text, self.zone)
            except ValueError as error:
                self.add_error(name, f"{row.qualification.name}: {error}")
        return cleaned

    def times(self) -> dict[Qualification, datetime | None]:
        return {row.qualification: self.cleaned_data[f"q{row.qualification.pk}"] for row in self.rows}
