"""Access arrangements: the form centre staff fill in (on the candidate, or for one sitting in the player's console),
a one-line description of them, and the service that keeps the candidate's own. The fields are the abstract
models.Arrangements; the sitting's copy is sittings.AttemptArrangements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.people.models import Arrangements, Candidate, CandidateArrangements

MAX_EXTRA_MINUTES = 240


class ArrangementsForm(forms.Form):
    extra_time_percent = forms.TypedChoiceField(
        label=gettext_lazy("Extra time"),
        choices=Arrangements.ExtraTime.choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=0,
    )
    extra_time_minutes = forms.IntegerField(
        label=gettext_lazy("Extra minutes for each timed section"),
        help_text=gettext_lazy("Added besides the percentage. 0 for none."),
        min_value=0,
        max_value=MAX_EXTRA_MINUTES,
        initial=0,
    )
    rest_breaks = forms.BooleanField(
        label=gettext_lazy("Supervised rest breaks (the clock stops during a break)"), required=False
    )
    reader = forms.BooleanField(
        label=gettext_lazy("Reader: the player reads questions and options aloud where the assessment allows it"),
        required=False,
    )
    text_size = forms.TypedChoiceField(
        label=gettext_lazy("Text size"), choices=Arrangements.TextSize.choices, coerce=int, initial=100
    )
    overlay = forms.ChoiceField(label=gettext_lazy("Colour overlay"), choices=Arrangements.Overlay.choices)
    contrast = forms.ChoiceField(label=gettext_lazy("Contrast"), choices=Arrangements.Contrast.choices)
    line_reader = forms.BooleanField(label=gettext_lazy("Line reader"), required=False)


def form_initial(arrangements: Arrangements | None) -> dict[str, Any]:
    return (arrangements or CandidateArrangements()).values()


def describe(arrangements: Arrangements | None) -> str:
    """'50 % extra time, 10 extra minutes, rest breaks, reader, text 200 %' ('None' without any)."""
    if arrangements is None or not arrangements.any():
        return _("None")
    parts = []
    if arrangements.extra_time_percent:
        parts.append(_("%(percent)s %% extra time") % {"percent": arrangements.extra_time_percent})
    if arrangements.extra_time_minutes:
        minutes = arrangements.extra_time_minutes
        parts.append(ngettext("%(n)s extra minute", "%(n)s extra minutes", minutes) % {"n": minutes})
    if arrangements.rest_breaks:
        parts.append(_("rest breaks"))
    if arrangements.reader:
        parts.append(_("reader"))
    if arrangements.text_size != Arrangements.TextSize.NORMAL:
        parts.append(_("text %(size)s %%") % {"size": arrangements.text_size})
    if arrangements.overlay != Arrangements.Overlay.NONE:
        parts.append(_("%(colour)s overlay") % {"colour": arrangements.get_overlay_display().lower()})
    if arrangements.contrast != Arrangements.Contrast.STANDARD:
        parts.append(arrangements.get_contrast_display().lower())
    if arrangements.line_reader:
        parts.append(_("line reader"))
    return ", ".join(parts)


def apply(arrangements: Arrangements, values: dict[str, Any], actor: Any) -> None:
    for name in Arrangements.FIELDS:
        setattr(arrangements, name, values[name])
    arrangements.updated_by = actor if getattr(actor, "pk", None) else None


@transaction.atomic
def candidate_arrangements_set(
    *, actor: Any, candidate: Candidate, values: dict[str, Any], request: HttpRequest | None = None
) -> CandidateArrangements:
    """Keep the candidate's access arrangements (every sitting without arrangements of its own uses them)."""
    row = CandidateArrangements.objects.filter(candidate=candidate).first() or CandidateArrangements(
        candidate=candidate
    )
    before = describe(row if row.pk else None)
    apply(row, values, actor)
    row.save()
    audit_record(
        action=AuditEvent.Action.CANDIDATE_ARRANGEMENTS,
        request=request,
        actor=actor,
        centre=candidate.centre,
        summary=_("Access arrangements of %(id)s: %(now)s") % {"id": candidate.unique_id, "now": describe(row)},
        data={"candidate": candidate.pk, "before": before, "after": row.values()},
    )
    return row
