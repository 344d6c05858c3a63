from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What happened"), required=False, choices=[("", "Everything"), *AuditEvent.Action.choices]
    )
    search = forms.CharField(label=_("Person (e-mail contains)"), required=False, max_length=254)
