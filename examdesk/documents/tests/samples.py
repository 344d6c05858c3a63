"""Statement and letter data for the document tests, with names in Latin (with diacritics), Greek and Cyrillic."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from examdesk.documents.letters import RegistrationLetterData
from examdesk.documents.profile import Profile, ProfileBar, ProfileBoundary
from examdesk.documents.statements import StatementData

NAMES = [
    ("Zoë", "Łukasiewicz-Ørsted"),
    ("Αλέξανδρος", "Παπαδόπουλος"),
    ("Юлия", "Ковальчук"),
]


def fce_profile() -> Profile:
    scores = [("Reading", "185"), ("Use of English", "190"), ("Writing", "178"), ("Listening", "201")]
    bars = [ProfileBar(name, Decimal(shown), shown) for name, shown in scores]
    bars.append(ProfileBar("Speaking", None, "Absent"))
    return Profile(
        title="Graphical profile: B2 First, June 2026",
        scale_min=Decimal(140),
        scale_max=Decimal(210),
        bars=tuple(bars),
        boundaries=(
            ProfileBoundary(Decimal(200), "Grade A · C1"),
            ProfileBoundary(Decimal(193), "Grade B · B2"),
            ProfileBoundary(Decimal(180), "Grade C · B2"),
            ProfileBoundary(Decimal(160), "Level B1"),
        ),
        overall=ProfileBar("Overall score", Decimal(188), "188"),
    )


def statement(first: str = "Zoë", last: str = "Łukasiewicz-Ørsted", **changes: object) -> StatementData:
    profile = fce_profile()
    data = StatementData(
        board_name="Examdesk Assessment Board",
        centre_number="10001",
        centre_name="Lycée Saint-Exupéry",
        candidate_first_name=first,
        candidate_last_name=last,
        candidate_number="0042",
        id_number="123456782",
        date_of_birth=date(2009, 3, 14),
        qualification_name="B2 First",
        qualification_code="FCE",
        series_name="June 2026",
        components=tuple((bar.label, bar.shown) for bar in profile.bars),
        overall_score="188",
        grade="C",
        result_label="Pass at Grade C",
        cefr_level="B2",
        awards_certificate=True,
        issue_date=date(2026, 8, 21),
        verification_code="ABCD-EFGH-JKLM",
        verification_url="http://127.0.0.1:8000/verify/?code=ABCD-EFGH-JKLM",
        profile=profile,
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def letter(first: str = "Юлия", last: str = "Ковальчук", **changes: object) -> RegistrationLetterData:
    data = RegistrationLetterData(
        board_name="Examdesk Assessment Board",
        site_url="http://127.0.0.1:8000/results/register/",
        centre_name="Lycée Saint-Exupéry",
        centre_number="10001",
        candidate_first_name=first,
        candidate_last_name=last,
        id_number="123456782",
        secret_number="1234 5678 90",
        releases=(
            ("B2 First", "June 2026", "21 August 2026, 09:00 (Europe/London)"),
            ("IGCSE Mathematics", "June 2026", "to be announced"),
        ),
        contact="Ms Ana Pérez, exams officer, exams@lycee.example",
        issue_date=date(2026, 6, 1),
    )
    return replace(data, **changes)  # type: ignore[arg-type]
