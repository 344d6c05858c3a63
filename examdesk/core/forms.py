"""The staff forms' own widgets: a date as day, month and year boxes, and a date with a 24-hour time.

A browser's `<input type="date">` shows the date in the browser's locale (a UK centre saw mm/dd/yyyy and 08:00 AM),
so every staff date field is three labelled boxes instead, as the GOV.UK date input pattern does it. The boxes join
into one ISO text ("2027-07-31", or "2027-07-31 08:00" with the time) that the field parses as before, so the forms'
error messages stay theirs. `core/_field.html` renders a widget with several boxes in a fieldset with a legend.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

ISO_DATE = "%Y-%m-%d"


def _joined_date(day: str, month: str, year: str) -> str:
    """The boxes as one text the field parses: ISO when every box holds digits, else what was typed (invalid)."""
    day, month, year = day.strip(), month.strip(), year.strip()
    if not (day or month or year):
        return ""
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{month}-{day}"


def _boxes(*, with_time: bool) -> dict[str, forms.Widget | type[forms.Widget]]:
    box = {"inputmode": "numeric", "autocomplete": "off"}
    boxes: dict[str, forms.Widget | type[forms.Widget]] = {
        "day": forms.TextInput(attrs={**box, "maxlength": "2"}),
        "month": forms.TextInput(attrs={**box, "maxlength": "2"}),
        "year": forms.TextInput(attrs={**box, "maxlength": "4"}),
    }
    if with_time:
        boxes["time"] = forms.TextInput(attrs={"maxlength": "5", "autocomplete": "off"})
    return boxes


class DayMonthYearWidget(forms.MultiWidget):
    """Three text boxes (day, month, year) that read and show a date; with_time adds a 24-hour time box."""

    template_name = "core/widgets/day_month_year.html"
    #: Read by core/_field.html: the boxes are grouped in a fieldset whose legend is the field's label.
    is_grouped = True
    widgets_names: list[str]

    def __init__(self, attrs: dict[str, Any] | None = None, *, with_time: bool = False) -> None:
        self.with_time = with_time
        super().__init__(_boxes(with_time=with_time), attrs)

    def decompress(self, value: Any) -> list[str]:
        moment: datetime.date | None = None
        time = ""
        if isinstance(value, datetime.date):
            moment = value
            if isinstance(value, datetime.datetime):
                time = f"{value:%H:%M}"
        elif isinstance(value, str) and value:
            date_part, _sep, time = value.replace("T", " ").partition(" ")
            try:
                moment = datetime.date.fromisoformat(date_part)
            except ValueError:
                moment = None
        parts = [str(moment.day), str(moment.month), str(moment.year)] if moment else ["", "", ""]
        return [*parts, time[:5]] if self.with_time else parts

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:  # type: ignore[override]
        """One text for the field to parse: "2027-07-31", with the time "2027-07-31 08:00"."""
        if self.value_omitted_from_data(data, files, name) and name in data:
            return str(data.get(name) or "")  # one ISO text under the field's own name: a link's query, a script
        parts = [str(part or "") for part in super().value_from_datadict(data, files, name)]
        joined = _joined_date(*parts[:3])
        if not self.with_time:
            return joined
        time = parts[3].strip().replace(".", ":")
        return f"{joined} {time}".strip()

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}{suffix}" not in data for suffix in self.widgets_names)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        labels = [_("Day"), _("Month"), _("Year"), _("Time (24-hour)")]
        classes = ["date-input__box", "date-input__box", "date-input__box date-input__box--year", "date-input__time"]
        for sub, label, css in zip(context["widget"]["subwidgets"], labels, classes, strict=False):
            sub["label"] = label
            sub["attrs"]["class"] = css
        return context


class DayMonthYearField(forms.DateField):
    """A date typed as day, month and year; the message for a date that is not one stays the form's own."""

    widget = DayMonthYearWidget
    input_formats = [ISO_DATE, "%d/%m/%Y"]  # the boxes join as ISO; a day-first text comes from a script


class DateAndTimeWidget(DayMonthYearWidget):
    """Day, month and year boxes and a 24-hour time ("08:00"), joined as "2026-08-13 08:00" for the field."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, with_time=True)
