"""From an entry and its result to a statement: only what the release gate released, without a query per entry."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from examdesk.catalogue.tests import factories as catalogue
from examdesk.core.tests.factories import CentreFactory
from examdesk.documents.statements import render_statement, render_statements
from examdesk.documents.tests import pdfcheck
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results import gate
from examdesk.results.models import Entry, Result
from examdesk.results.statements.data import profile_for, statement_data, statement_entries
from examdesk.results.tests.factories import entry_with_result

pytestmark = pytest.mark.django_db

RELEASE = datetime(2026, 8, 21, 8, 0, tzinfo=UTC)
URL = "http://127.0.0.1:8000/verify/"


def build(shown):
    return statement_data(shown, issue_date=date(2026, 8, 21), verification_url=URL)


@pytest.fixture
def entry():
    candidate = CandidateFactory(first_name="Zoë", last_name="Łukasiewicz-Ørsted", date_of_birth=date(2009, 3, 14))
    return entry_with_result(
        candidate=candidate,
        released_at=RELEASE,
        scores={"RD": 185, "UE": 190, "WR": 178, "LI": 201, "SP": "absent"},
    )


def test_refused_before_release_and_built_from_the_release_second(entry):
    with pytest.raises(ValueError, match="not shown"):
        build(gate.show(entry, now=RELEASE - timedelta(seconds=1)))

    for moment in (RELEASE, RELEASE + timedelta(seconds=1)):
        data = build(gate.show(entry, now=moment))
        assert data.candidate_first_name == "Zoë"


def test_refused_when_release_is_not_scheduled():
    entry = entry_with_result(released_at=None)

    with pytest.raises(ValueError):
        build(gate.show(entry, now=RELEASE))


@pytest.mark.parametrize("status", [Result.Status.PENDING, Result.Status.WITHHELD])
def test_refused_for_pending_and_withheld_results(status):
    entry = entry_with_result(released_at=RELEASE, status=status)

    with pytest.raises(ValueError, match=status):
        build(gate.show(entry, now=RELEASE + timedelta(days=1)))


def test_a_board_preview_makes_no_statement_unless_asked(entry):
    shown = gate.show(entry, now=RELEASE - timedelta(days=1), preview=True)
    assert shown.result is not None

    with pytest.raises(ValueError, match="preview"):
        build(shown)
    assert statement_data(shown, issue_date=date(2026, 8, 1), verification_url=URL, allow_preview=True)


def test_statement_data_carries_the_released_result(entry):
    data = build(gate.show(entry, now=RELEASE))

    registration = entry.candidate.online_registration
    assert data.board_name == entry.centre.board.name
    assert (data.centre_number, data.centre_name) == (entry.centre.number, entry.centre.name)
    assert data.candidate_last_name == "Łukasiewicz-Ørsted"
    assert data.candidate_number == entry.candidate_number
    assert data.id_number == registration.id_number
    assert data.date_of_birth == date(2009, 3, 14)
    assert (data.qualification_name, data.qualification_code, data.series_name) == ("B2 First", "FCE", "June 2026")
    assert data.components == (
        ("Reading", "185"),
        ("Use of English", "190"),
        ("Writing", "178"),
        ("Listening", "201"),
        ("Speaking", "Absent"),
    )
    # The absent Speaking counts as 140: (185 + 190 + 178 + 201 + 140) / 5 = 178.8 → 179, just below Grade C.
    assert data.overall_score == "179"
    assert (data.grade, data.result_label, data.cefr_level, data.awards_certificate) == ("", "Level B1", "B1", True)
    assert data.verification_code == entry.verification_code
    assert data.verification_url == URL

    (text,) = pdfcheck.page_texts(render_statement(data))
    assert "Zoë Łukasiewicz-Ørsted" in text
    assert entry.verification_code in text
    assert registration.id_number in text


def test_profile_of_a_result(entry):
    profile = profile_for(entry, gate.show(entry, now=RELEASE).result)

    assert profile.title == "Graphical profile: B2 First, June 2026"
    assert (profile.scale_min, profile.scale_max) == (Decimal(140), Decimal(210))
    assert [(bar.label, bar.value, bar.shown) for bar in profile.bars] == [
        ("Reading", Decimal(185), "185"),
        ("Use of English", Decimal(190), "190"),
        ("Writing", Decimal(178), "178"),
        ("Listening", Decimal(201), "201"),
        ("Speaking", None, "Absent"),
    ]
    assert (profile.overall.value, profile.overall.shown) == (Decimal(179), "179")
    # Only bands that award a certificate; "No certificate" (from 140) has no boundary.
    assert [(b.score, b.label) for b in profile.boundaries] == [
        (Decimal(160), "Level B1"),
        (Decimal(180), "Grade C · B2"),
        (Decimal(193), "Grade B · B2"),
        (Decimal(200), "Grade A · C1"),
    ]


def test_sum_qualification_profile_spans_all_scales():
    centre = CentreFactory()
    qualification = catalogue.qualification(centre.board, "0580")
    entry = entry_with_result(
        centre=centre, qualification=qualification, released_at=RELEASE, scores={"P2": 52, "P4": "exempt"}
    )

    profile = profile_for(entry, gate.show(entry, now=RELEASE).result)

    assert (profile.scale_min, profile.scale_max) == (Decimal(0), Decimal(200))
    assert [bar.shown for bar in profile.bars] == ["52", "Exempt"]
    assert [b.label for b in profile.boundaries] == ["Grade E", "Grade D", "Grade C", "Grade B", "Grade A", "Grade A*"]


def test_many_statements_without_a_query_per_entry(django_assert_max_num_queries):
    centre = CentreFactory()
    qualification = catalogue.qualification(centre.board, "FCE")
    for number in range(6):
        entry_with_result(
            centre=centre, qualification=qualification, released_at=RELEASE, candidate_number=f"{number:04d}"
        )
    entry_with_result(
        centre=centre,
        qualification=catalogue.qualification(centre.board, "KET"),
        released_at=RELEASE,
        candidate_number="0099",
        scores={"RW": 130, "LI": 125, "SP": 140},
    )

    with django_assert_max_num_queries(6):
        entries = list(statement_entries(Entry.objects.filter(centre=centre)))
        shown = gate.show_all(entries, now=RELEASE)
        items = [build(s) for s in shown if s.result is not None]

    assert len(items) == 7
    assert {item.qualification_code for item in items} == {"FCE", "KET"}
    assert [item.components[0][0] for item in items if item.qualification_code == "KET"] == ["Reading and Writing"]


def test_greek_and_cyrillic_names_from_the_database_print_exactly():
    centre = CentreFactory()
    names = [("Αλέξανδρος", "Παπαδόπουλος"), ("Юлия", "Ковальчук")]
    for number, (first, last) in enumerate(names):
        candidate = CandidateFactory(centre=centre, first_name=first, last_name=last)
        entry_with_result(candidate=candidate, released_at=RELEASE, candidate_number=f"{number:04d}")
    shown = gate.show_all(
        statement_entries(Entry.objects.filter(centre=centre).order_by("candidate_number")), now=RELEASE
    )

    out = io.BytesIO()
    render_statements((build(s) for s in shown), out)

    texts = pdfcheck.page_texts(out.getvalue())
    assert [f"{first} {last}" in text for text, (first, last) in zip(texts, names, strict=True)] == [True, True]
