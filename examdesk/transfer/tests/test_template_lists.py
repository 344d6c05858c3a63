"""The XLSX template's and export's drop-downs work when the file is opened: every data validation refers to a
non-empty range of the Lists sheet holding exactly the list's values (read back with openpyxl, and, where
LibreOffice is installed, after LibreOffice has opened and saved the file)."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from examdesk.core.tests.factories import CentreFactory
from examdesk.people.models import VocabularyTerm
from examdesk.people.nationality import lookup
from examdesk.people.services import vocabulary_load
from examdesk.people.tests.factories import CandidateFactory
from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN
from examdesk.transfer.candidate_export import candidate_export, candidate_template
from examdesk.transfer.columns import NATIONALITY_FORMAT
from examdesk.transfer.tests import corpus

pytestmark = pytest.mark.django_db

RANGE = re.compile(r"^=?'?(?P<sheet>[^'!]+)'?!\$(?P<c1>[A-Z]+)\$(?P<r1>\d+):\$(?P<c2>[A-Z]+)\$(?P<r2>\d+)$")


@pytest.fixture
def centre():
    centre = CentreFactory()
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
    return centre


def expected_lists() -> dict[str, set[str]]:
    return {
        "Gender": {"F", "M", "X"},
        "Sex": {"F", "M", "X"},
        "Nationality": set(lookup().english.values()),
        "Ethnicity": {code for code, _ in DFE_ETHNICITY},
        "SEN status": {code for code, _ in DFE_SEN},
        "SEN": {code for code, _ in DFE_SEN},
        "Active": {"Yes", "No"},
    }


def drop_downs(data: bytes) -> dict[str, list[str]]:
    """Each list validation of the data sheet, by its column's header: the values its range holds."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Candidates"]
    headers = {cell.column_letter: cell.value for cell in sheet[1] if cell.value}
    found: dict[str, list[str]] = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        match = RANGE.match(validation.formula1 or "")
        assert match, f"the drop-down's source is not a range: {validation.formula1!r}"
        assert match["c1"] == match["c2"] and int(match["r1"]) <= int(match["r2"]), validation.formula1
        source = workbook[match["sheet"]]
        values = [source[f"{match['c1']}{row}"].value for row in range(int(match["r1"]), int(match["r2"]) + 1)]
        for cells in str(validation.sqref).split():
            found[headers[re.match(r"[A-Z]+", cells).group()]] = values  # type: ignore[union-attr]
    return found


def assert_every_drop_down_lists_its_values(data: bytes, *, expect: set[str]) -> None:
    lists = drop_downs(data)
    assert set(lists) == expect
    wanted = expected_lists()
    for header, values in lists.items():
        assert values, f"the {header} drop-down is empty"
        assert all(isinstance(value, str) and value for value in values), f"{header} has empty cells: {values}"
        assert set(values) == wanted[header], header
        assert len(values) == len(wanted[header]), header


@pytest.mark.parametrize("legacy", [False, True])
def test_every_drop_down_of_the_template_lists_its_values(centre, legacy):
    data = candidate_template(centre=centre, fmt="xlsx", legacy=legacy)
    expect = {"Sex", "Ethnicity", "SEN"} if legacy else {"Gender", "Nationality", "Ethnicity", "SEN status", "Active"}
    assert_every_drop_down_lists_its_values(data, expect=expect)
    lists = openpyxl.load_workbook(io.BytesIO(data))["Lists"]
    # The first rows hold every list side by side (writing them one after another dropped them).
    assert [cell.value for cell in lists[2]][:10] == [
        "F", "Female", "Afghanistan", "AF", "WBRI", "White – British", "N", "No special educational need", "Yes",
        "Active",
    ]  # fmt: skip


def test_the_export_has_the_same_drop_downs_and_writes_nationality_as_its_english_name(centre):
    CandidateFactory(centre=centre, unique_id="1", nationality="FR", date_of_birth=date(2012, 1, 2))
    CandidateFactory(centre=centre, unique_id="2", nationality="", values_as_written={"nationality": "Brit"})
    out = io.BytesIO()
    candidate_export(centre=centre, fmt="xlsx", include_deactivated=True, out=out)
    assert_every_drop_down_lists_its_values(
        out.getvalue(), expect={"Gender", "Nationality", "Ethnicity", "SEN status", "Active"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Candidates"]
    headers = [cell.value for cell in sheet[1]]
    nationalities = {row[0]: row[headers.index("Nationality")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert nationalities == {"1": "France", "2": "Brit"}  # what an import could not match is written back as it was


def test_a_list_the_board_left_empty_offers_no_drop_down(centre):
    VocabularyTerm.objects.filter(vocabulary=VocabularyTerm.Vocabulary.SEN).delete()
    data = candidate_template(centre=centre, fmt="xlsx", legacy=False)
    assert_every_drop_down_lists_its_values(data, expect={"Gender", "Nationality", "Ethnicity", "Active"})


def test_the_guidance_sheet_says_what_the_import_page_says_about_nationality(centre, client):
    from examdesk.centres.models import Role
    from examdesk.core.tests.factories import member

    guidance = openpyxl.load_workbook(io.BytesIO(candidate_template(centre=centre, fmt="xlsx", legacy=False)))
    rows = {row[0]: row for row in guidance["Guidance"].iter_rows(values_only=True)}
    assert rows["Nationality"][2] == NATIONALITY_FORMAT
    assert "British" in NATIONALITY_FORMAT and "Alemania" in NATIONALITY_FORMAT
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    page = client.get(f"/centres/{centre.number}/candidates/import/").content.decode()
    assert NATIONALITY_FORMAT.replace("'", "&#x27;") in page


@pytest.mark.skipif(corpus.libreoffice() is None, reason="LibreOffice (soffice) is not installed on this machine")
def test_the_drop_downs_survive_libreoffice_opening_and_saving_the_template(centre, tmp_path: Path):
    source = tmp_path / "in" / "template.xlsx"
    source.parent.mkdir()
    source.write_bytes(candidate_template(centre=centre, fmt="xlsx", legacy=False))
    out = tmp_path / "out"
    subprocess.run(  # noqa: S603  (a fixed program found by corpus.libreoffice)
        [corpus.libreoffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert_every_drop_down_lists_its_values(
        (out / "template.xlsx").read_bytes(), expect={"Gender", "Nationality", "Ethnicity", "SEN status", "Active"}
    )
