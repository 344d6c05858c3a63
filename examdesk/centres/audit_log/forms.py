from __future__ import annotations

from django import forms

from examdesk.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="What happened", required=False, choices=[("", "Everything"), *AuditEvent.Action.choices]
    )
    search = forms.CharField(label="Person (e-mail contains)", required=False, max_length=254)
