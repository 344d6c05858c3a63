"""The released part of a candidate's result page (scores, the profile chart and its tables), rendered once per
result revision and kept in the cache for a few minutes.

On results day each candidate opens their page several times in the same minutes; the panel costs two queries
(components and bands) and most of the page's rendering. The cache never decides what anyone may see: the view
asks the release gate first, on every request, and reads the panel only for a result the gate has just shown.
The key names the result and its revision, so a new revision is a new panel; a panel lives PANEL_SECONDS, so a
change to the qualification's wording reaches the page within that time.
"""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from examdesk.core import languages
from examdesk.results import gate
from examdesk.results.statements.data import profile_for, with_definitions

PANEL_SECONDS = 600
TEMPLATE = "results/online/_released.html"
SHAPE = 1  # raise when the panel's template changes, so that no panel of the old shape is served


def panel_key(shown: gate.Shown) -> str:
    result = shown.result
    if result is None or shown.state is not gate.State.RELEASED or shown.preview:
        raise ValueError("Only a released result, shown by the gate, has a panel.")
    # One panel per language too: its words are the reader's (LocaleMiddleware), its figures the same.
    return f"results:panel:{SHAPE}:{result.pk}:{result.revision}:{languages.current()}"


def released_panel(shown: gate.Shown) -> SafeString:
    """The panel's HTML for a result the gate has shown on this request."""
    key = panel_key(shown)
    html: str | None = cache.get(key)
    if html is None:
        entry = with_definitions(shown.entry)
        context = {"entry": entry, "result": shown.result, "profile": profile_for(entry, shown.result)}  # type: ignore[arg-type]
        html = render_to_string(TEMPLATE, context)
        cache.set(key, html, PANEL_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered
