from __future__ import annotations

import itertools
import re
from datetime import date, datetime
from typing import Any

from django import template
from django.forms import BoundField, CheckboxInput, CheckboxSelectMultiple, RadioSelect
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django_countries import countries

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
def is_grouped(field: BoundField) -> bool:
    """Whether the field is several inputs under one question (radios, checkboxes, a date's boxes): core/_field.html
    renders it as a fieldset whose legend is the label."""
    widget = field.field.widget
    return isinstance(widget, RadioSelect | CheckboxSelectMultiple) or bool(getattr(widget, "is_grouped", False))


@register.filter
def is_checkbox(field: BoundField) -> bool:
    """A single tick box (a BooleanField): its label goes after the box."""
    return isinstance(field.field.widget, CheckboxInput)


@register.filter
def grouped_widget(field: BoundField) -> SafeString:
    """A grouped field's inputs, marked invalid when it has errors; the fieldset carries hint and error."""
    attrs: dict[str, str | bool] = {"aria-invalid": "true"} if field.errors else {}
    return field.as_widget(attrs=attrs)


@register.filter
def first_box_id(field: BoundField) -> str:
    """Where the error summary's link for the field leads: its input, or the first of a group's inputs."""
    return f"{field.auto_id}_0" if is_grouped(field) else field.id_for_label


@register.filter
def rows_merged(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A file's problems with one line for a problem that several rows share (the same entry on rows 2 and 3 is one
    problem, "2, 3", not two lines saying the same); the order is that of each problem's first row."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for problem in problems:
        key = tuple((name, value) for name, value in problem.items() if name != "row")
        if key in merged:
            merged[key]["row"] = f"{merged[key]['row']}, {problem.get('row')}"
        else:
            merged[key] = {**problem}
    return list(merged.values())


@register.filter
def country_name(code: str) -> str:
    """A country's name from its ISO code ("PT" → "Portugal"), the code itself when it is not one."""
    return str(dict(countries).get(str(code).upper(), code)) if code else ""


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


_region_numbers = itertools.count(1)
_CAPTION = re.compile(r"<caption(?P<attrs>[^>]*)>")
_ID = re.compile(r'\bid="(?P<id>[^"]+)"')
_DESCRIBED = re.compile(r'<table[^>]*\baria-describedby="(?P<id>[^"]+)"')


class _TableRegionNode(template.Node):
    def __init__(self, label: template.base.FilterExpression | None, nodelist: template.NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        inner: str = str(self.nodelist.render(context))
        if self.label is not None:
            name = f'aria-label="{conditional_escape(self.label.resolve(context))}"'
        else:
            found = _CAPTION.search(inner)
            described = _DESCRIBED.search(inner)
            if found is None and described is not None:
                return self._wrap(inner, f'aria-labelledby="{described.group("id")}"')
            if found is None:
                raise template.TemplateSyntaxError("table_region needs a table with a caption, or a label.")
            has_id = _ID.search(found.group("attrs"))
            caption_id = has_id.group("id") if has_id else f"table-caption-{next(_region_numbers)}"
            if not has_id:
                inner = (
                    inner[: found.start()] + f'<caption id="{caption_id}"{found.group("attrs")}>' + inner[found.end() :]
                )
            name = f'aria-labelledby="{caption_id}"'
        return self._wrap(inner, name)

    @staticmethod
    def _wrap(inner: str, name: str) -> str:
        cue = conditional_escape(gettext("Scroll the table sideways to see every column."))
        return (
            f'<p class="table-region__cue" aria-hidden="true" hidden>{cue}</p>'
            f'<div class="table-region" role="region" {name} tabindex="0">{inner}</div>'
        )


@register.tag
def table_region(parser: template.base.Parser, token: template.base.Token) -> _TableRegionNode:
    """`{% table_region %}<table><caption>…</caption>…</table>{% endtable_region %}`: a table that may be wider
    than a phone scrolls inside its own region (never the page), named by the table's caption (or by a label given
    as the argument) and focusable, so that a keyboard can scroll it."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("table_region takes at most one argument: the region's label.")
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return _TableRegionNode(parser.compile_filter(bits[1]) if len(bits) == 2 else None, nodelist)
