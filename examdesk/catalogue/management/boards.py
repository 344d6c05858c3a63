"""The board a loading command works on, named by --board or the only one (shared by load_qualifications and
load_assessment)."""

from __future__ import annotations

from django.core.management.base import CommandError

from examdesk.centres.models import Board
from examdesk.centres.selectors import board_get_for_operator
from examdesk.core.errors import ApplicationError


def board_for_command(name: str | None) -> Board:
    try:
        return board_get_for_operator(name=name)
    except ApplicationError as error:
        raise CommandError(error.message) from error
