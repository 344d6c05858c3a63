from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from examdesk.accounts.models import User
from examdesk.centres.models import Centre, Role
from examdesk.centres.services import board_get_or_create, board_staff_add, centre_create, membership_add

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo on purpose

CENTRES = [
    # number, name, kind, country, time zone, prepares for
    ("10001", "Riverside Academy", Centre.Kind.EXAM, "GB", "Europe/London", []),
    ("20002", "Colégio Atlântico", Centre.Kind.EXAM, "PT", "Europe/Lisbon", []),
    ("30003", "Bright Future Language School", Centre.Kind.PREPARATION, "ES", "Europe/Madrid", ["10001"]),
]

PEOPLE = [
    # e-mail, name, [(centre, role)], board staff
    ("board@examdesk.test", "Blessing Okafor", [], True),
    (
        "admin@riverside.test",
        "Amira Haddad",
        [("10001", Role.CENTRE_ADMIN), ("20002", Role.EXAMS_OFFICER)],
        False,
    ),
    ("officer@riverside.test", "Owen Price", [("10001", Role.EXAMS_OFFICER)], False),
    ("teacher@riverside.test", "Tomasz Nowak", [("10001", Role.TEACHER)], False),
    ("admin@atlantico.test", "Inês Carvalho", [("20002", Role.CENTRE_ADMIN)], False),
    ("staff@brightfuture.test", "Lucía Fernández", [("30003", Role.CENTRE_ADMIN)], False),
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        board = board_get_or_create(name="Examdesk Examinations Board", time_zone="Europe/London")
        centres: dict[str, Centre] = {}
        for number, name, kind, country, zone, prepares_for in CENTRES:
            centre = Centre.objects.filter(number=number).first()
            if centre is None:
                centre = centre_create(
                    board=board,
                    number=number,
                    name=name,
                    kind=kind,
                    country=country,
                    time_zone=zone,
                    exam_centres=[centres[n] for n in prepares_for],
                )
            centres[number] = centre
        for email, name, roles, board_staff in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
            if board_staff:
                board_staff_add(board=board, user=user)
            for number, role in roles:
                membership_add(centre=centres[number], user=user, role=role)
        if options["quiet"]:
            return
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo logins (all with the same password):"))
        self.stdout.write(f'  password: "{DEMO_PASSWORD}"')
        for email, name, roles, board_staff in PEOPLE:
            what = ", ".join(f"{role.label} at {number}" for number, role in roles)
            if board_staff:
                what = "board staff (manages centres; Django admin at /admin/)"
            self.stdout.write(f"  {email:<26} {name:<18} {what}")
