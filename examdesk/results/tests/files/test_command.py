"""`examdesk import_results FILE [--board NAME] [--commit] [--owner EMAIL]`."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from examdesk.audit.models import AuditEvent
from examdesk.core.tests.factories import BoardFactory, UserFactory
from examdesk.results.models import Entry, Result, ResultsFile
from examdesk.results.tests.files.support import csv_bytes, fce_row, setting

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_results", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def file(tmp_path):
    path = tmp_path / "june.csv"
    path.write_bytes(csv_bytes([fce_row(), fce_row("0002", "S-2", RD=300)]))
    return path


def test_without_commit_it_prints_the_summary_and_the_problems_and_writes_nothing(file):
    setting()
    out, err = run(str(file))
    assert "Would import: 2 rows; 1 new candidate, 1 new entry, 1 new result, 0 changed results (new revision)" in out
    assert "1 row with problems left out" in out and "Nothing was written" in out
    assert "row 3, RD '300': 300 is outside the scale of Reading (RD), 140 to 210." in err
    assert not Entry.objects.exists() and not ResultsFile.objects.exists()


def test_commit_imports_the_good_rows_and_again_changes_nothing(file, tmp_path):
    s = setting()
    report = tmp_path / "report.xlsx"
    out, _ = run(str(file), "--commit", "--board", s.board.name, "--report", str(report))
    assert "Imported: 2 rows; 1 new candidate, 1 new entry, 1 new result, 0 changed results" in out
    assert list(Entry.objects.values_list("candidate__unique_id", flat=True)) == ["S-1"]
    assert openpyxl.load_workbook(report)["Problems"].cell(2, 1).value == 3
    results_file = ResultsFile.objects.get()
    assert (results_file.status, results_file.owner, results_file.file_name) == ("committed", None, "june.csv")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_IMPORTED, centre_id=None).get()
    assert event.actor_id is None and event.actor_email == ""

    out, _ = run(str(file), "--commit")
    assert "0 new results, 0 changed results (new revision), 1 unchanged; 1 row with problems left out." in out
    assert Result.objects.count() == 1


def test_owner_is_the_audit_actor(file):
    setting()
    UserFactory(email="officer@board.example.org")
    run(str(file), "--commit", "--owner", "OFFICER@board.example.org")
    assert ResultsFile.objects.get().owner.email == "officer@board.example.org"
    events = AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_IMPORTED)
    assert {event.actor_email for event in events} == {"officer@board.example.org"}
    with pytest.raises(CommandError, match="no account with the e-mail address nobody@example.org"):
        run(str(file), "--owner", "nobody@example.org")


def test_an_unreadable_file_exits_non_zero(tmp_path):
    setting()
    path = tmp_path / "results.xlsx"
    path.write_bytes(b"%PDF-1.7 not a spreadsheet")
    with pytest.raises(CommandError, match="This file is a PDF document, not a spreadsheet."):
        run(str(path), "--commit")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"))
    assert not ResultsFile.objects.exists()


def test_a_file_missing_columns_exits_non_zero(tmp_path):
    setting()
    path = tmp_path / "results.csv"
    path.write_text("Centre number,Series\r\n10001,2026-06\r\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(str(path), "--commit")


def test_the_board_must_be_named_when_there_are_several(file):
    setting()
    BoardFactory(name="Second Board")
    with pytest.raises(CommandError, match="Name the board with --board"):
        run(str(file))
    with pytest.raises(CommandError, match="no board named 'Nope'"):
        run(str(file), "--board", "Nope")


def test_the_command_is_an_examdesk_command():
    root = Path(__file__).resolve().parents[4]
    help_text = subprocess.run(
        [sys.executable, "-m", "examdesk.manage", "import_results", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--commit" in help_text and "--owner" in help_text and "--board" in help_text
