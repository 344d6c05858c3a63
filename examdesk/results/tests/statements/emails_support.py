"""Test data and helpers for statement e-mails: a centre with candidates whose results are released at RELEASE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from examdesk.catalogue.tests.factories import qualification, series
from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.centre.search import Criteria
from examdesk.results.models import StatementEmail, StatementEmailRun
from examdesk.results.statements.emails import statement_emails_start
from examdesk.results.tests.factories import entry_with_result

RELEASE = datetime(2026, 8, 13, 7, 0, tzinfo=UTC)  # 08:00 in London (BST)
BEFORE, AT = RELEASE - timedelta(seconds=1), RELEASE


def centre_with_officer(**centre_fields: Any):
    centre = CentreFactory(time_zone="Europe/London", **centre_fields)
    officer = member(centre, Role.EXAMS_OFFICER)
    return centre, officer


def released_entry(centre, *, number: str, first: str, last: str, email: str = "", released_at=RELEASE, **kwargs):
    candidate = CandidateFactory(centre=centre, first_name=first, last_name=last, email=email)
    return entry_with_result(
        candidate=candidate,
        series=series(centre.board),
        released_at=released_at,
        candidate_number=number,
        **kwargs,
    )


def start(centre, officer, *, ticked=None, criteria: Criteria | None = None) -> StatementEmailRun:
    return statement_emails_start(actor=officer, centre=centre, criteria=criteria or Criteria(), ticked=ticked)


def rows_by_number(run: StatementEmailRun) -> dict[str, StatementEmail]:
    rows = StatementEmail.objects.filter(run=run).select_related("entry", "email")
    return {row.entry.candidate_number: row for row in rows}


def eml_messages(folder: Path) -> list[Any]:
    return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(folder.glob("*.eml"))]


def ket(centre):
    return qualification(centre.board, "KET")
