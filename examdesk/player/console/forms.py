from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.player.invigilation import MAX_ADDED_MINUTES


class AddTimeForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes to add"), min_value=1, max_value=MAX_ADDED_MINUTES)
    reason = forms.CharField(label=_("Why"), max_length=500, help_text=_("For example: the fire alarm went off."))


class IrregularityForm(forms.Form):
    note = forms.CharField(label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
