"""Many candidates with released results and Results Online accounts, written with bulk inserts.

Used by the release-second test (5,000 candidates) and by bench/results_day (50,000). Every account gets the
same password hash: one Argon2id hash made once is valid for the same password on every row, so loading
costs no hashing. One result per candidate, built once through the grading services and copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from stdnum import luhn

from examdesk.accounts.models import User
from examdesk.catalogue.tests import factories as catalogue
from examdesk.core.tests.factories import BoardFactory, CentreFactory
from examdesk.people.models import Candidate
from examdesk.results.models import Entry, OnlineRegistration, Result
from examdesk.results.services import grade_row
from examdesk.results.tests.factories import FCE_SCORES, scored

PER_CENTRE = 9000  # candidate numbers have 4 digits, unique in a centre and series
BATCH = 2000


@dataclass(frozen=True)
class Loaded:
    release_id: int
    users: list[int]
    entries: list[int]  # entries[i] belongs to users[i]


def id_number(index: int) -> str:
    body = f"{10_000_000 + index:08d}"
    return body + luhn.calc_check_digit(body)


def email(index: int) -> str:
    return f"candidate{index}@results-day.invalid"


def released_candidates(*, count: int, released_at: datetime | None, password_hash: str = "!") -> Loaded:
    """`count` candidates, each with an account, a registration and one FCE entry with an issued result."""
    board = BoardFactory()
    qualification = catalogue.qualification(board, "FCE")
    series = catalogue.series(board)
    release = catalogue.release(qualification, series, released_at)
    row = grade_row(qualification=qualification, scores=scored(**FCE_SCORES), status=Result.Status.ISSUED)
    centres = [CentreFactory(board=board) for _ in range((count + PER_CENTRE - 1) // PER_CENTRE)]
    users: list[int] = []
    entries: list[int] = []
    for start in range(0, count, BATCH):
        indexes = range(start, min(count, start + BATCH))
        with transaction.atomic():
            made_users = User.objects.bulk_create(
                [User(email=email(i), full_name=f"First{i} Last{i}", password=password_hash) for i in indexes]
            )
            candidates = Candidate.objects.bulk_create(
                [
                    Candidate(
                        centre=centres[i // PER_CENTRE],
                        unique_id=f"RD{i:07d}",
                        first_name=f"First{i}",
                        last_name=f"Last{i}",
                        first_name_folded=f"first{i}",
                        last_name_folded=f"last{i}",
                    )
                    for i in indexes
                ]
            )
            OnlineRegistration.objects.bulk_create(
                [
                    OnlineRegistration(candidate=c, id_number=id_number(i), user=u, registered_at=released_at)
                    for i, c, u in zip(indexes, candidates, made_users, strict=True)
                ]
            )
            made_entries = Entry.objects.bulk_create(
                [
                    Entry(
                        centre=centres[i // PER_CENTRE],
                        candidate=c,
                        qualification=qualification,
                        series=series,
                        release=release,
                        candidate_number=f"{i % PER_CENTRE + 1:04d}",
                        verification_code=f"RD{i:012d}",
                    )
                    for i, c in zip(indexes, candidates, strict=True)
                ]
            )
            Result.objects.bulk_create(
                [Result(entry=e, revision=1, is_current=True, **row.fields()) for e in made_entries]
            )
        users.extend(u.pk for u in made_users)
        entries.extend(e.pk for e in made_entries)
    return Loaded(release_id=release.pk, users=users, entries=entries)
