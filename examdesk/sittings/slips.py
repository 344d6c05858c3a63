"""Access-code slips: four per A4 page with dashed cut lines; each has the candidate's name, the assessment, the
code, the web address to enter it at and the window in the centre's time zone. Typeset by Typst
(documents/typst/slips.typ): names in any script, tagged PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from examdesk.documents import fonts
from examdesk.documents.pdf import Meta, typeset

PER_PAGE = 4
# Marked for the catalogue here, translated when the slips are made (in the centre's language: the caller's).
SUBJECT = gettext_noop("Access-code slips")
WORDS = {"your_code": gettext_noop("Your access code")}
GO_TO = gettext_noop("Go to {address} and type your code.")


@dataclass(frozen=True)
class Slip:
    candidate_name: str
    unique_id: str
    assessment: str
    code: str  # grouped: KQ7M-X4TR-9P
    address: str  # http://…/code/
    window: str  # 'From 1 March 2027, 00:00 to 5 March 2027, 23:59 (Europe/London)'
    centre: str


def render_slips(slips: list[Slip], *, title: str, author: str) -> bytes:
    if not slips:
        raise ValueError("There are no slips to print.")
    items = [
        {
            "centre": fonts.clean(slip.centre),
            "unique_id": fonts.clean(slip.unique_id),
            "candidate_name": fonts.clean(slip.candidate_name),
            "assessment": fonts.clean(slip.assessment),
            "code": slip.code,
            "go_to": _(GO_TO).format(address=slip.address),
            "window": fonts.clean(slip.window),
        }
        for slip in slips
    ]
    words = {key: _(text) for key, text in WORDS.items()}
    return typeset("slips", Meta(title=title, author=author, subject=_(SUBJECT)), items, words=words)
