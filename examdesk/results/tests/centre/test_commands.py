from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from examdesk.catalogue.tests.factories import qualification
from examdesk.core.models import OutboundEmail
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.django_db


def test_export_results_command_writes_released_scores_only(tmp_path):
    centre = CentreFactory()
    past = datetime.now(UTC) - timedelta(days=1)
    entry_with_result(centre=centre, released_at=past, candidate_number="0001")
    later = entry_with_result(  # another qualification of the series, not released yet
        centre=centre,
        qualification=qualification(centre.board, "KET"),
        scores={"RW": 140, "LI": 130, "SP": 135},
        released_at=None,
        candidate_number="0002",
    )
    call_command(
        "export_results", "--centre", centre.number, "--series", later.series.code, "--output", tmp_path / "r.csv"
    )
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8-sig")))
    assert [(r["Candidate number"], r["Overall"]) for r in rows] == [("0001", "190"), ("0002", "")]
    assert rows[1]["Status"] == "Not released yet"
    with pytest.raises(CommandError, match="no series"):
        call_command("export_results", "--centre", centre.number, "--series", "1999", "--output", tmp_path / "x.csv")


def test_registration_letters_command_prints_and_emails(tmp_path):
    centre = CentreFactory()
    first = entry_with_result(candidate=CandidateFactory(centre=centre, email="a@example.org"), released_at=None)
    entry_with_result(centre=centre, series=first.series, released_at=None, candidate_number="0002")
    call_command(
        "registration_letters",
        "--centre",
        centre.number,
        "--series",
        first.series.code,
        "--output",
        tmp_path / "l.pdf",
        "--email",
    )
    assert len(PdfReader(tmp_path / "l.pdf").pages) == 2
    assert OutboundEmail.objects.count() == 1
