"""Template filters for the board's names in the active language (examdesk/catalogue/names.py)."""

from __future__ import annotations

from typing import Any

from django import template

from examdesk.catalogue import names

register = template.Library()


@register.filter
def translated_name(qualification: Any) -> str:
    """{{ entry.qualification|translated_name }}: the qualification's name in the active language."""
    return names.qualification_name(qualification)


@register.filter
def translated_label(label: str | None, qualification: Any) -> str:
    """{{ result.label|translated_label:entry.qualification }}: a result as the board words it in this language."""
    return names.result_label(qualification, label) if label else ""
