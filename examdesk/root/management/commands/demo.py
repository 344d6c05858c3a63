from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from examdesk.accounts.models import User
from examdesk.catalogue.demo import load_demo_assessments, load_demo_catalogue
from examdesk.centres.models import Centre, Role
from examdesk.centres.services import board_get_or_create, board_staff_add, centre_create, membership_add
from examdesk.documents import signing
from examdesk.people.models import Candidate, VocabularyTerm
from examdesk.people.services import CandidateData, candidates_upsert, vocabulary_load
from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN
from examdesk.results.demo import DEMO_CANDIDATE_EMAIL, load_demo_results
from examdesk.sittings.demo import DEMO_SITTING, load_demo_sittings

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo on purpose

CENTRES = [
    # number, name, kind, country, time zone, candidates' language, prepares for
    ("10001", "Riverside Academy", Centre.Kind.EXAM, "GB", "Europe/London", "en-gb", []),
    ("20002", "Colégio Atlântico", Centre.Kind.EXAM, "PT", "Europe/Lisbon", "pt-pt", []),
    ("30003", "Bright Future Language School", Centre.Kind.PREPARATION, "ES", "Europe/Madrid", "es", ["10001"]),
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


FIRST_NAMES = [
    "Ava",
    "Noah",
    "Zoë",
    "Mohammed",
    "Olivia",
    "Leo",
    "Amelia",
    "Oskar",
    "Isla",
    "Kwame",
    "Saoirse",
    "Yusuf",
    "Mia",
    "Chen",
    "Freya",
    "Dmitri",
    "Aisha",
    "Tomás",
    "Grace",
    "Ravi",
]
LAST_NAMES = [
    "Smith",
    "Okafor",
    "Müller",
    "Khan",
    "Jones",
    "García",
    "Williams",
    "Nowak",
    "Brown",
    "Mensah",
    "O'Brien",
    "Ahmed",
    "Taylor",
    "Wang",
    "Evans",
    "Ivanova",
    "Hussain",
    "Ferreira",
    "Wilson",
    "Patel",
]


def _demo_candidates() -> list[CandidateData]:
    """Forty candidates in four groups; the last one deactivated (they left)."""
    rows = []
    for n in range(40):
        rows.append(
            CandidateData(
                unique_id=f"{n + 1:05d}",
                first_name=FIRST_NAMES[n % 20],
                last_name=LAST_NAMES[(n * 7) % 20],
                date_of_birth=date(2011 + n % 3, 1 + n % 12, 1 + n % 27),
                gender="FMX"[n % 3] if n % 7 else "",
                nationality=["GB", "PT", "PL", "NG", "IE"][n % 5],
                ethnicity=DFE_ETHNICITY[n % 18][0],
                sen_status="N" if n % 5 else "K",
                groups=[f"Year {7 + n % 2}", f"Set {1 + n % 2}"],
                is_active=n != 39,
            )
        )
    return rows


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        board = board_get_or_create(name="Examdesk Examinations Board", time_zone="Europe/London")
        centres: dict[str, Centre] = {}
        for number, name, kind, country, zone, language, prepares_for in CENTRES:
            centre = Centre.objects.filter(number=number).first()
            if centre is None:
                centre = centre_create(
                    board=board,
                    number=number,
                    name=name,
                    kind=kind,
                    country=country,
                    time_zone=zone,
                    language=language,
                    exam_centres=[centres[n] for n in prepares_for],
                )
            centres[number] = centre
        vocabulary_load(board=board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
        vocabulary_load(board=board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
        if not Candidate.objects.filter(centre=centres["10001"]).exists():
            candidates_upsert(centre=centres["10001"], rows=_demo_candidates())
        for email, name, roles, board_staff in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
            if board_staff:
                board_staff_add(board=board, user=user)
            for number, role in roles:
                membership_add(centre=centres[number], user=user, role=role)
        catalogue = load_demo_catalogue(board)
        products = load_demo_assessments(board)
        keys = load_demo_results(
            centre=centres["10001"],
            preparation_centre=centres["30003"],
            qualifications=catalogue["qualifications"],
            released=catalogue["series"]["2026-06"],
            upcoming=catalogue["series"]["2026-11"],
            candidate_password=DEMO_PASSWORD,
        )
        officer = User.objects.filter(email="officer@riverside.test").first()
        attempts = load_demo_sittings(centre=centres["10001"], products=products, actor=officer)
        # Statements are signed by the board's key: the demo makes its own (self-signed) on its first run.
        key_file = signing.demo_key_ensure(board.name)
        if options["quiet"]:
            return
        if key_file is not None:
            self.stdout.write(f"Made the demo board's signing key for statements: {key_file} (and its certificate).")
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo logins (all with the same password):"))
        self.stdout.write(f'  password: "{DEMO_PASSWORD}"')
        for email, name, roles, board_staff in PEOPLE:
            what = ", ".join(f"{role.label} at {number}" for number, role in roles)
            if board_staff:
                what = "board staff (manages centres; Django admin at /admin/)"
            self.stdout.write(f"  {email:<26} {name:<18} {what}")
        self.stdout.write(
            f"  {DEMO_CANDIDATE_EMAIL:<26} {'':<18} candidate at 10001, registered for Results Online (/results/)"
        )
        required = ", ".join(settings.EXAMDESK_MFA_REQUIRED_ROLES)
        if required:
            self.stdout.write(
                f"Two-step sign-in is required for: {required}. Those logins are asked to set it up at their first "
                "sign-in (scan the QR code with an authenticator app, enter its code, save the recovery codes)."
            )
        else:
            self.stdout.write(
                "Two-step sign-in is optional here (EXAMDESK_MFA_REQUIRED_ROLES=none): try it from 'Two-step sign-in' "
                "in the account menu, or run `EXAMDESK_MFA_REQUIRED_ROLES=board_staff,centre_admin make demo`."
            )
        self.stdout.write("Results Online keys of candidates who have not registered yet (/results/register/):")
        for key in keys:
            self.stdout.write(f"  {key.name:<26} ID number {key.id_number}   Secret Number {key.secret_number}")
        self.stdout.write(f'Student access codes for the sitting "{DEMO_SITTING}" at 10001 (enter one at /code/):')
        for attempt in attempts[:3]:
            self.stdout.write(f"  {attempt.candidate.full_name:<26} {attempt.grouped_code}")
