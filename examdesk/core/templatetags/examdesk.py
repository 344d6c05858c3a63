from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from examdesk.core.time import format_in_zone, long_date

register = template.Library()


@register.filter
def accessible_widget(field: BoundField) -> SafeString:
    """The field's widget tied to its hint and error messages (aria-describedby, aria-invalid)."""
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-hint")
    if field.errors:
        described.append(f"{field.id_for_label}-error")
    attrs: dict[str, str | bool] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def in_zone(moment: datetime | None, zone: str) -> str:
    """A moment shown in a time zone, with the zone named: '21 November 2026, 22:15 (Europe/London)'."""
    if moment is None:
        return ""
    return format_in_zone(moment, zone)


@register.filter(name="long_date")
def long_date_filter(day: date | None) -> str:
    """'13 August 2026', '13 de agosto de 2026', '13 أغسطس 2026': a day in the active language (CLDR)."""
    return long_date(day) if day is not None else ""


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """mapping[key] in a template, or an empty list when it is absent."""
    return mapping.get(key, [])
