"""Forms of the board's results-file pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from examdesk.centres.models import Board

MAX_UPLOAD_MB = 20


class ResultsFileUploadForm(forms.Form):
    board = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        label=_("Board"),
        empty_label=_("Choose the board"),
        error_messages={"required": "Choose the board whose results these are."},
    )
    file = forms.FileField(
        label=_("Results file"),
        help_text=f"CSV or XLSX, up to {MAX_UPLOAD_MB} MB: one row per entry, with the columns listed below, "
        "in any order.",
        error_messages={"required": "Choose the results file to check.", "empty": "The file is empty: choose another."},
    )

    def __init__(self, *args: Any, boards: QuerySet[Board], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.boards = list(boards)
        if len(self.boards) > 1:
            self.fields["board"].queryset = boards  # type: ignore[attr-defined]
        else:
            del self.fields["board"]  # staff of one board: nothing to choose

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_MB} MB. Split it, or save it as CSV.")
        return upload

    def chosen_board(self) -> Board:
        board: Board = self.cleaned_data["board"] if "board" in self.fields else self.boards[0]
        return board
