from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from examdesk.catalogue.forms import QualificationUploadForm


class AssessmentUploadForm(QualificationUploadForm):
    """An assessment file: the same size, type and encoding rules as a qualification file."""

    file = forms.FileField(
        label=_("Assessment file"),
        help_text=_(
            "JSON or YAML (.json, .yaml or .yml), up to 1 MB, in the format the guide describes. Audio can "
            "only be bundled audio here (bundled:tone-440 or bundled:listening-beeps)."
        ),
        error_messages={"required": "Choose the file to load.", "empty": "The file is empty: choose another file."},
    )
