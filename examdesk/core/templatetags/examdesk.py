from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.forms import BoundField, CheckboxInput, CheckboxSelectMultiple, RadioSelect
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from examdesk.core.time import format_in_zone

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
def in_zone(moment: datetime | None, zone: str) -> str:
    """A moment shown in a time zone, with the zone named: '21 November 2026, 22:15 (Europe/London)'."""
    if moment is None:
        return ""
    return format_in_zone(moment, zone)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """mapping[key] in a template, or an empty list when it is absent."""
    return mapping.get(key, [])


class _TableRegionNode(template.Node):
    def __init__(self, label: template.base.FilterExpression, nodelist: template.NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        label = conditional_escape(self.label.resolve(context))
        cue = conditional_escape(gettext("Scroll the table sideways to see every column."))
        return (
            f'<p class="table-region__cue" aria-hidden="true">{cue}</p>'
            f'<div class="table-region" role="region" aria-label="{label}" tabindex="0">'
            f"{self.nodelist.render(context)}</div>"
        )


@register.tag
def table_region(parser: template.base.Parser, token: template.base.Token) -> _TableRegionNode:
    """`{% table_region "Entries found" %}<table>…</table>{% endtable_region %}`: a table that may be wider than
    a phone scrolls inside its own labelled, focusable region (so a keyboard can scroll it), never the page."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("table_region takes one argument: the region's label.")
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return _TableRegionNode(parser.compile_filter(bits[1]), nodelist)
