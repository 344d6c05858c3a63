"""The parts both kinds of Results Online letter share: the release table and the notes at the foot, in words."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from examdesk.documents import fonts

# Marked for the catalogue here, translated where they are printed.
PRIVATE_FOR = gettext_noop("Private: for")
RELEASES_HEADING = gettext_noop("When your results are released")
RELEASE_COLUMNS = (gettext_noop("Qualification"), gettext_noop("Series"), gettext_noop("Results online from"))
NO_RELEASES = ((gettext_noop("Your entries"), "", gettext_noop("to be announced")),)
MORE_RELEASES = gettext_noop("and {count} more: your centre can tell you their dates.")
KEEP_SAFE_HEADING = gettext_noop("Keep this letter safe")
FOOTER = gettext_noop("{board} · Centre {centre_number} {centre_name}")
# Rows of the release table that fit between the steps and the notes at the foot; more are summed up in a line.
RELEASE_ROWS = 6


def release_rows(releases: Sequence[tuple[str, str, str]]) -> tuple[list[list[str]], str]:
    """The rows the release table shows, and the line that sums up the rest ("" when every row fits)."""
    releases = releases or [(_(entries), blank, _(announced)) for entries, blank, announced in NO_RELEASES]
    shown = releases if len(releases) <= RELEASE_ROWS else releases[: RELEASE_ROWS - 1]
    more = _(MORE_RELEASES).format(count=len(releases) - len(shown)) if len(releases) > len(shown) else ""
    return [[fonts.clean(cell) for cell in row] for row in shown], more
