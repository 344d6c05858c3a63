"""Reads of the board's results files, scoped to a board."""

from __future__ import annotations

import uuid

from django.http import Http404

from examdesk.centres.models import Board
from examdesk.results.models import ResultsFile


def access_results_file_by_id(*, board: Board, file_id: uuid.UUID) -> ResultsFile:
    """One of the board's results files; 404 for any other."""
    found = ResultsFile.objects.select_related("board", "owner").filter(pk=file_id, board=board).first()
    if found is None:
        raise Http404("No such results file.")
    return found
