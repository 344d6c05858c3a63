from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from examdesk.accounts.models import normalize_email
from examdesk.accounts.selectors import user_exists
from examdesk.centres.models import Role
from examdesk.centres.selectors import board_first_for_operator, centre_get_for_operator
from examdesk.centres.services import board_staff_add, staff_create
from examdesk.core.errors import ApplicationError

BOARD_STAFF = "board_staff"


class Command(BaseCommand):
    help = "Give a person a role at a centre (or make them board staff), creating their account if needed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centre", help="Centre number (not needed for --role board_staff).")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=[*[r.value for r in Role], BOARD_STAFF])
        parser.add_argument("--name", default="", help="Full name, for a new account.")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="Read the new account's password from this file (first line, kept exactly).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = normalize_email(options["email"])
        board = centre = None
        if options["role"] == BOARD_STAFF:
            board = board_first_for_operator()
            if board is None:
                raise CommandError("Create a centre (and so the board) first.")
        else:
            centre = centre_get_for_operator(number=options["centre"] or "")
            if centre is None:
                raise CommandError(f"There is no centre {options['centre']!r}. Give --centre NUMBER.")
        exists = user_exists(email=email)
        password = None if exists else self._password(options["password_file"])
        try:
            if board is not None:
                user = staff_create(centre=None, email=email, role=None, password=password, full_name=options["name"])
                board_staff_add(board=board, user=user)
                self.stdout.write(self.style.SUCCESS(f"{email} is board staff of {board}."))
                return
            staff_create(centre=centre, email=email, role=options["role"], password=password, full_name=options["name"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        note = "existing account, password unchanged" if exists else "new account"
        self.stdout.write(self.style.SUCCESS(f"{email} is {Role(options['role']).label} at {centre} ({note})."))

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
            # Only the line break that ends the file is dropped; spaces are part of the password.
            return text.split("\n", 1)[0].removesuffix("\r")
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for a password: give --password-file FILE.")
        first = getpass.getpass("Password for the new account: ")
        if first != getpass.getpass("Same password again: "):
            raise CommandError("The two passwords are not the same.")
        return first
