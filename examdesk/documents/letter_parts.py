"""The parts both kinds of Results Online letter share: the release table and the notes at the foot, in words."""

from __future__ import annotations

from collections.abc import Sequence

from examdesk.documents import fonts

PRIVATE_FOR = "Private: for"
RELEASES_HEADING = "When your results are released"
RELEASE_COLUMNS = ("Qualification", "Series", "Results online from")
NO_RELEASES = (("Your entries", "", "to be announced"),)
MORE_RELEASES = "and {count} more: your centre can tell you their dates."
KEEP_SAFE_HEADING = "Keep this letter safe"
FOOTER = "{board} · Centre {centre_number} {centre_name}"
# Rows of the release table that fit between the steps and the notes at the foot; more are summed up in a line.
RELEASE_ROWS = 6


def release_rows(releases: Sequence[tuple[str, str, str]]) -> tuple[list[list[str]], str]:
    """The rows the release table shows, and the line that sums up the rest ("" when every row fits)."""
    releases = releases or NO_RELEASES
    shown = releases if len(releases) <= RELEASE_ROWS else releases[: RELEASE_ROWS - 1]
    more = MORE_RELEASES.format(count=len(releases) - len(shown)) if len(releases) > len(shown) else ""
    return [[fonts.clean(cell) for cell in row] for row in shown], more
