"""Candidate import and export at the service level, with files made the way people make them."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from examdesk.audit.models import AuditEvent
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.models import Candidate, VocabularyTerm
from examdesk.people.services import vocabulary_load
from examdesk.people.tests.factories import CandidateFactory
from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN
from examdesk.transfer.candidate_export import candidate_export, candidate_template
from examdesk.transfer.candidate_import import candidate_import_commit, candidate_import_preview
from examdesk.transfer.dates import DateOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    centre = CentreFactory()
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
    return centre


def _csv(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8", line_end: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    return buffer.getvalue().encode(encoding)


def test_european_excel_csv_previews_without_writing_anything(centre):
    data = _csv([
        ["Nom", "UNIQUE id", "first NAME", "Last_Name", "Date of birth", "Sex", "Class"],  # shuffled, odd case, unknown
        ["x", "0042", "Zoë", "Müller", "13/01/2012", "F", "7A; Choir"],
        ["x", "0043", "François", "Dupré", "02/03/2012", "m", "7A"],
        ["x", "0043", "Twice", "Again", "02/03/2012", "m", ""],
        ["x", "I" * 101, "Too", "Long", "", "", ""],
        ["x", "0044", "=HYPERLINK(\"x\")", "Formula", "", "", ""],
    ], delimiter=";", encoding="cp1252")  # fmt: skip
    preview = candidate_import_preview(centre=centre, data=data)
    table = preview.evaluation.table
    assert (table.format, table.encoding, table.delimiter) == ("csv", "cp1252", ";")
    assert preview.evaluation.match.unknown == ["Nom"]
    assert (preview.new, preview.rejected) == (2, 3)
    reasons = {(p.row, p.column): p.reason for p in preview.evaluation.problems}
    assert "more than one row" in reasons[(3, "UNIQUE id")] and "more than one row" in reasons[(4, "UNIQUE id")]
    assert "longer than 100" in reasons[(5, "UNIQUE id")]
    assert "0042" in preview.new_id_warning and "change the ID on their page" in preview.new_id_warning
    assert not Candidate.objects.exists()

    result = candidate_import_commit(actor=None, centre=centre, data=data)
    assert (result.counts.created, result.rejected) == (2, 3)
    zoe = Candidate.objects.get(unique_id="0042")
    assert (zoe.first_name, zoe.date_of_birth) == ("Zoë", date(2012, 1, 13))
    assert sorted(g.name for g in zoe.groups.all()) == ["7A", "Choir"]
    assert Candidate.objects.get(unique_id="0044").first_name == '=HYPERLINK("x")'  # stored literally
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT_COMMITTED).count() == 1
    report = openpyxl.load_workbook(io.BytesIO(result.report))["Problems"]
    assert [row[0] for row in report.iter_rows(min_row=2, values_only=True)] == [3, 4, 5]
    assert report["B2"].value == "Problem (not imported)"
    assert report["C2"].value.startswith("UNIQUE id: The unique ID 0043 is on more than one row")


def test_importing_the_same_file_twice_changes_nothing(centre):
    data = _csv([["Unique ID", "First name", "Last name"], ["1", "Ana", "Pereira"]])
    candidate_import_commit(actor=None, centre=centre, data=data)
    preview = candidate_import_preview(centre=centre, data=data)
    assert (preview.new, preview.updated, preview.unchanged) == (0, 0, 1)


def test_an_ambiguous_date_column_is_asked_about_not_guessed(centre):
    data = _csv(
        [["Unique ID", "First name", "Last name", "DOB"], ["1", "A", "B", "03/04/2012"], ["2", "C", "D", "05/06/2012"]]
    )
    preview = candidate_import_preview(centre=centre, data=data)
    assert preview.evaluation.date_question and not preview.evaluation.can_commit
    with pytest.raises(ValueError):
        candidate_import_commit(actor=None, centre=centre, data=data)
    candidate_import_commit(actor=None, centre=centre, data=data, date_order=DateOrder.MDY)
    assert Candidate.objects.get(unique_id="1").date_of_birth == date(2012, 3, 4)


def test_month_first_dates_are_recognised_for_the_whole_column(centre):
    data = _csv(
        [["Unique ID", "First name", "Last name", "DOB"], ["1", "A", "B", "03/04/2012"], ["2", "C", "D", "12/31/2011"]]
    )
    candidate_import_commit(actor=None, centre=centre, data=data)
    assert Candidate.objects.get(unique_id="1").date_of_birth == date(2012, 3, 4)


def test_missing_required_columns_are_a_file_problem(centre):
    preview = candidate_import_preview(centre=centre, data=_csv([["ID", "Name"], ["1", "Ana"]]))
    assert preview.evaluation.file_problems and "First name, Last name" in preview.evaluation.file_problems[0]


def test_ids_in_number_cells_become_their_digits(centre):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Unique ID", "First name", "Last name", "Date of birth"])
    sheet.append([7124, "Ana", "Pereira", date(2012, 4, 3)])
    sheet.append([42, "Ben", "Okafor", date(2011, 5, 6)])
    sheet["A3"].number_format = "000000"
    sheet.append([None, None, None, None])  # trailing empty rows
    buffer = io.BytesIO()
    workbook.save(buffer)
    candidate_import_commit(actor=None, centre=centre, data=buffer.getvalue())
    assert set(Candidate.objects.values_list("unique_id", flat=True)) == {"7124", "000042"}


def test_export_then_import_changes_nothing(centre):
    for n in range(5):
        CandidateFactory(centre=centre, unique_id=f"00{n}", first_name=["=1+1", "+44 20", "-x", "@me", "Zoë"][n],
                         date_of_birth=date(2012, 1, n + 1), gender="F", nationality="PT", ethnicity="WBRI",
                         sen_status="K", email=f"c{n}@example.org", upn="B801200005001" if n == 0 else "")  # fmt: skip
    for fmt in ("csv", "xlsx"):
        out = io.BytesIO()
        candidate_export(centre=centre, fmt=fmt, include_deactivated=True, out=out)
        preview = candidate_import_preview(centre=centre, data=out.getvalue())
        assert (preview.unchanged, preview.new, preview.updated, preview.rejected) == (5, 0, 0, 0), fmt
    assert out.getvalue()


def test_csv_export_neutralises_formula_like_cells(centre):
    CandidateFactory(centre=centre, unique_id="001", first_name="=cmd|'/c calc'!A1", last_name="@SUM(A1)")
    out = io.BytesIO()
    candidate_export(centre=centre, fmt="csv", include_deactivated=False, out=out)
    text = out.getvalue().decode("utf-8-sig")
    assert "'=cmd" in text and "'@SUM" in text


def test_templates_have_the_expected_shape(centre):
    workbook = openpyxl.load_workbook(io.BytesIO(candidate_template(centre=centre, fmt="xlsx", legacy=False)))
    assert workbook.sheetnames == ["Candidates", "Guidance", "Lists"]
    data = workbook["Candidates"]
    assert [c.value for c in data[1]][:3] == ["Unique ID", "First name", "Last name"]
    assert data.column_dimensions["A"].number_format == "@"  # IDs are text, zeros kept
    assert data.column_dimensions["D"].number_format == "yyyy-mm-dd"
    assert len(data.data_validations.dataValidation) >= 5
    guidance = [row for row in workbook["Guidance"].iter_rows(values_only=True)]
    assert guidance[1][:2] == ("Unique ID", "Yes")
    legacy = candidate_template(centre=centre, fmt="csv", legacy=True)
    assert legacy.startswith(b"\xef\xbb\xbf")
    assert legacy.decode("utf-8-sig").splitlines()[0] == "Student ID,Forename,Surname,DOB,Sex,Class,Ethnicity,SEN,UPN"
