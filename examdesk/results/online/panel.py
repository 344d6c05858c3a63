"""The released part of a candidate's result page (scores, the profile chart and its tables), rendered once per
result revision and kept in the cache for a few minutes; and, beside it, the entry as the page shows it.

On results day each candidate opens their page several times in the same minutes; the panel costs two queries
(components and bands) and most of the page's rendering. The cache never decides what anyone may see: the view
asks the release gate first, on every request, and reads the panel only for a result the gate has just shown.
The key names the result and its revision, so a new revision is a new panel; a panel lives PANEL_SECONDS, so a
change to the qualification's wording reaches the page within that time.

The page itself (`released_page`) goes one step further: the gate is asked with the columns it decides on only
(`selectors.candidate_entry_gate`, every request), and for a released result the entry, its result and the
panel are one cache read under a key naming the entry, the result and its revision. A candidate's or centre's
name changed meanwhile reaches the page within PANEL_SECONDS too; the scores never differ from the revision
the gate has just named.
"""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from examdesk.core import languages
from examdesk.results import gate
from examdesk.results.online.selectors import EntryGate
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


def page_key(entry_id: int, result_id: int, revision: int) -> str:
    # The kept panel is in the reader's language, as panel_key's is.
    return f"results:page:{SHAPE}:{entry_id}:{result_id}:{revision}:{languages.current()}"


def released_page(decided: EntryGate) -> tuple[gate.Shown, SafeString] | None:
    """The entry, result and panel kept for the result the gate has just shown released on this request; None
    when the gate did not (nothing is read then) or nothing is kept yet."""
    if decided.state is not gate.State.RELEASED or decided.result_id is None or decided.revision is None:
        return None
    kept = cache.get(page_key(decided.entry_id, decided.result_id, decided.revision))
    if kept is None:
        return None
    entry, result, html = kept
    shown = gate.Shown(entry, gate.State.RELEASED, decided.released_at, result=result)
    return shown, mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered


def page_keep(shown: gate.Shown, html: SafeString) -> None:
    """Keep what `released_page` reads, for a result the gate has shown released on this request."""
    result = shown.result
    if result is None or shown.state is not gate.State.RELEASED or shown.preview:
        raise ValueError("Only a released result, shown by the gate, is kept.")
    cache.set(page_key(shown.entry.pk, result.pk, result.revision), (shown.entry, result, str(html)), PANEL_SECONDS)
