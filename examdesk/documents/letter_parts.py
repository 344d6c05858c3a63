"""The parts both kinds of Results Online letter share: numbered steps, the release table and the notes at the foot."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from examdesk.documents.layout import BRAND, MARGIN, MUTED, TEXT, Page

NOTES_TOP = MARGIN + 118


def numbered_steps(page: Page, y: float, steps: Sequence[str], *, content: float) -> float:
    """Steps 1., 2., … with wrapped text; returns the baseline below the last one."""
    for number, step in enumerate(steps, start=1):
        page.text(MARGIN, y, f"{number}.", 11, bold=True)
        y = page.paragraph(MARGIN + 18, y, step, size=11, room=content - 18, leading=14.5) - 4
    return y


def release_table(page: Page, y: float, releases: Sequence[tuple[str, str, str]], *, right: float) -> float:
    """ "When your results are released": a row per qualification; rows that do not fit above the notes are
    summed up in one line. Returns the baseline below the table."""
    content = right - MARGIN
    y -= 14
    page.text(MARGIN, y, _("When your results are released"), 13, bold=True)
    y -= 8
    qualification_x, series_x, release_x = MARGIN, MARGIN + content * 0.42, MARGIN + content * 0.62
    page.rule(MARGIN, y, right, MUTED, 0.75)
    y -= 14
    for label, x in (
        (_("Qualification"), qualification_x),
        (_("Series"), series_x),
        (_("Results online from"), release_x),
    ):
        page.text(x, y, label, 9.5, bold=True)
    y -= 6
    page.rule(MARGIN, y, right, TEXT, 1)
    releases = releases or ((_("Your entries"), "", _("to be announced")),)
    room_for = max(1, int((y - (NOTES_TOP + 44)) // 20))
    shown = releases if len(releases) <= room_for else releases[: room_for - 1]
    for qualification, series, release in shown:
        y -= 15
        page.text(qualification_x, y, qualification, 10, room=series_x - qualification_x - 8)
        page.text(series_x, y, series, 10, room=release_x - series_x - 8)
        page.text(release_x, y, release, 10, room=right - release_x)
        y -= 5
        page.rule(MARGIN, y, right, MUTED, 0.5)
    if len(releases) > len(shown):
        y -= 14
        more = len(releases) - len(shown)
        page.text(MARGIN, y, _("and {count} more: your centre can tell you their dates.").format(count=more), 9.5)
    return y


def safety_notes(page: Page, *, keep_safe: str, questions: str, right: float) -> None:
    """ "Keep this letter safe" and whom to ask, at the foot of the page."""
    content = right - MARGIN
    page.rule(MARGIN, NOTES_TOP + 14, right, BRAND, 1)
    page.text(MARGIN, NOTES_TOP, _("Keep this letter safe"), 12, bold=True)
    after = page.paragraph(MARGIN, NOTES_TOP - 17, keep_safe, size=10.5, room=content, leading=14)
    page.paragraph(MARGIN, after - 8, questions, size=10.5, room=content, leading=14)
