"""Importing OneRoster packages through the candidate import's preview and commit."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest

from examdesk.core.tests.factories import CentreFactory
from examdesk.people.models import Candidate, VocabularyTerm
from examdesk.people.services import vocabulary_load
from examdesk.people.tests.factories import CandidateFactory
from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN
from examdesk.transfer import reading
from examdesk.transfer.candidate_import import candidate_import_commit, candidate_import_preview
from examdesk.transfer.oneroster import reading as oneroster_reading
from examdesk.transfer.tests.oneroster.packages import SHARED_SAMPLES, V1P1, V1P2, package, replace

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    centre = CentreFactory()
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
    return centre


def _register(centre):
    return {
        candidate.unique_id: candidate
        for candidate in Candidate.objects.filter(centre=centre).prefetch_related("groups")
    }


@pytest.mark.parametrize("folder", [V1P2, V1P1], ids=["1.2", "1.1"])
def test_a_package_previews_then_imports_its_students_with_their_classes(centre, folder):
    data = package(folder)
    preview = candidate_import_preview(centre=centre, data=data)
    assert (preview.new, preview.updated, preview.rejected) == (4, 0, 0), preview.evaluation.problems
    assert preview.summary()["format"] == f"OneRoster {folder.name[1]}.{folder.name[3]}"
    assert not Candidate.objects.exists()

    result = candidate_import_commit(actor=None, centre=centre, data=data, file_name="roster.zip")
    assert (result.counts.created, result.rejected) == (4, 0)
    register = _register(centre)
    assert set(register) == {"0042", "0043", "0044", "0045"}  # not the teacher, not the parent
    ana = register["0042"]
    assert (ana.first_name, ana.last_name, ana.sourced_id) == ("Ana", "Pereira", "stu-001")
    assert (ana.date_of_birth, ana.gender, ana.email) == (date(2013, 1, 13), "F", "ana.pereira@orchard.example.org")
    assert (ana.nationality.code, ana.ethnicity, ana.sen_status) == ("PT", "WOTH", "N")
    assert sorted(group.name for group in ana.groups.all()) == ["7A", "Science, Physics"]  # a comma in a title
    zoe = register["0043"]
    assert (zoe.first_name, zoe.nationality.code, zoe.sen_status) == ("Zoë", "DE", "K")
    assert sorted(group.name for group in zoe.groups.all()) == ["7A", "Choir"]
    assert register["0044"].is_active is False  # enabledUser false
    assert register["0045"].gender == "X" and not register["0045"].groups.exists()


def test_username_can_be_the_unique_id(centre):
    candidate_import_commit(actor=None, centre=centre, data=package(), oneroster_unique_id="username")
    assert set(_register(centre)) == {"ana.pereira", "zoe.muller", "kwame.mensah", "sam.okafor"}


def test_a_package_inside_a_folder_of_the_zip_is_read(centre):
    preview = candidate_import_preview(centre=centre, data=package(prefix="export-2026/"))
    assert (preview.new, preview.rejected) == (4, 0)


@pytest.mark.parametrize(("folder", "students"), [("v1p1-full", 3), ("v1p2-datagen", 1)])
def test_the_1edtech_samples_import_without_a_problem(centre, folder, students):
    if not SHARED_SAMPLES.is_dir():
        pytest.skip(f"the OneRoster samples are not beside the repository ({SHARED_SAMPLES})")
    data = package(SHARED_SAMPLES / folder)
    preview = candidate_import_preview(centre=centre, data=data)
    assert preview.evaluation.problems == [] and preview.evaluation.file_problems == []
    assert (preview.new, preview.rejected) == (students, 0)
    result = candidate_import_commit(actor=None, centre=centre, data=data)
    assert result.counts.created == students
    if folder == "v1p2-datagen":
        bruce = Candidate.objects.get(centre=centre)
        assert (bruce.unique_id, bruce.date_of_birth, bruce.sourced_id) == ("bruce.wayne", date(2010, 4, 17), "USER_0")
        assert [group.name for group in bruce.groups.all()] == ["Basic Detection"]
    else:
        register = _register(centre)
        assert set(register) == {"mary.jones", "mmichel.jones", "anna.brown"}  # the teachers and parent are not
        # The class that is to be deleted is not a group; the one that is active is.
        assert [group.name for group in register["mmichel.jones"].groups.all()] == ["Introduction to Physics"]


def _refusal(data: bytes) -> str:
    with pytest.raises(reading.UnreadableFile) as caught:
        candidate_import_preview(centre=CentreFactory(), data=data)
    return caught.value.message


def _without(name: str):
    def edit(files: dict[str, str]) -> None:
        del files[name]

    return edit


def test_bad_packages_are_refused_with_what_to_fix():
    assert _refusal(package(edit=_without("manifest.csv"))).startswith(
        "This zip is not a OneRoster package: it has no manifest.csv. It holds: academicSessions.csv,"
    )
    assert _refusal(package(edit=_without("demographics.csv"))) == (
        "The manifest lists demographics.csv (file.demographics is bulk) but the zip has no demographics.csv."
    )
    assert "the zip has no users.csv" in _refusal(package(edit=_without("users.csv")))
    typo = _refusal(package(edit=replace("users.csv", "preferredGivenName", "prefferedGivenName")))
    assert typo == (
        "users.csv has a column 'prefferedGivenName' that is not in OneRoster 1.2 (did you mean preferredGivenName?)."
    )
    missing = _refusal(package(edit=replace("enrollments.csv", "classSourcedId", "class")))
    assert "enrollments.csv has a column 'class' that is not in OneRoster 1.2" in missing
    assert "enrollments.csv has no column classSourcedId" in missing
    assert "oneroster.version is '1.0'" in _refusal(package(edit=replace("manifest.csv", "version,1.2", "version,1.0")))
    assert "OneRoster 1.1" in _refusal(
        package(V1P1, edit=replace("users.csv", "orgSourcedIds,role,", "orgSourcedIds,roles,"))
    )


def test_a_zip_that_is_not_a_package_or_expands_too_much_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", "propertyName,value\noneroster.version,1.2\n")
        archive.writestr("users.csv", b"sourcedId" + b" " * (50 * 1024 * 1024))  # 50 MB of spaces: a bomb
    assert "expands to" in _refusal(buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"not a roster")
    assert _refusal(buffer.getvalue()) == reading.NOT_A_SPREADSHEET_ARCHIVE
    assert "PDF" in _refusal(b"%PDF-1.7\n")


def test_a_student_in_a_class_that_does_not_exist_is_left_out_with_the_reason(centre):
    data = package(edit=replace("enrollments.csv", "enr-003,,,cls-7a", "enr-003,,,cls-7z"))
    preview = candidate_import_preview(centre=centre, data=data)
    assert (preview.new, preview.rejected) == (3, 1)
    [problem] = preview.evaluation.problems
    assert (problem.row, problem.column, problem.value) == (3, "enrollments.csv classSourcedId (row 4)", "cls-7z")
    assert problem.reason == (
        "enrollments.csv row 4 puts this student in the class cls-7z, which is not in classes.csv."
    )
    result = candidate_import_commit(actor=None, centre=centre, data=data)
    assert result.counts.created == 3 and not Candidate.objects.filter(unique_id="0043").exists()
    report = openpyxl.load_workbook(io.BytesIO(result.report))["Problems"]
    assert report["C2"].value.startswith("enrollments.csv classSourcedId (row 4): enrollments.csv row 4 puts")


def test_a_bad_birth_date_or_a_missing_name_is_a_problem_of_that_student(centre):
    edits = [
        replace("demographics.csv", "stu-002,,,2012-11-02", "stu-002,,,02/11/2012"),
        replace("demographics.csv", "stu-003,,,2013-05-30", "stu-003,,,2113-05-30"),
        replace("users.csv", "Sam,Okafor", "Sam,"),
    ]

    def edit(files):
        for change in edits:
            change(files)

    preview = candidate_import_preview(centre=centre, data=package(edit=edit))
    assert (preview.new, preview.rejected) == (1, 3)
    problems = {(p.row, p.column): p for p in preview.evaluation.problems}
    assert problems[(3, "demographics.csv birthDate (row 3)")].reason == (
        "'02/11/2012' is not a date written YYYY-MM-DD, as OneRoster requires (demographics.csv row 3)."
    )
    assert "not a possible date of birth" in problems[(4, "demographics.csv birthDate (row 4)")].reason
    assert (5, "users.csv familyName") in problems


def test_a_repeated_sourced_id_is_a_problem_of_both_rows(centre):
    data = package(edit=replace("users.csv", "stu-002,,,true", "stu-001,,,true"))
    preview = candidate_import_preview(centre=centre, data=data)
    assert preview.rejected == 2
    assert all("more than one row of users.csv (rows 2, 3)" in p.reason for p in preview.evaluation.problems)


def test_a_student_is_found_again_by_sourced_id_when_their_identifier_changed(centre):
    candidate_import_commit(actor=None, centre=centre, data=package())
    ana = Candidate.objects.get(centre=centre, unique_id="0042")
    renumbered = package(edit=replace("users.csv", "{SIS:0042},Ana,Pereira,,0042", "{SIS:0042},Ana,Pereira,,A-0042"))
    preview = candidate_import_preview(centre=centre, data=renumbered)
    assert (preview.new, preview.updated, preview.unchanged) == (0, 1, 3)
    result = candidate_import_commit(actor=None, centre=centre, data=renumbered)
    assert (result.counts.created, result.counts.updated) == (0, 1)
    ana.refresh_from_db()
    assert ana.unique_id == "A-0042" and ana.sourced_id == "stu-001"
    assert Candidate.objects.filter(centre=centre).count() == 4


def test_an_existing_candidate_is_linked_to_their_sourced_id_by_unique_id(centre):
    kept = CandidateFactory(centre=centre, unique_id="0042", first_name="Ana", last_name="Pereira")
    result = candidate_import_commit(actor=None, centre=centre, data=package())
    assert (result.counts.created, result.counts.updated) == (3, 1)
    kept.refresh_from_db()
    assert kept.sourced_id == "stu-001"


def test_an_identifier_another_candidate_holds_is_not_taken(centre):
    candidate_import_commit(actor=None, centre=centre, data=package())
    CandidateFactory(centre=centre, unique_id="0099")
    clash = package(edit=replace("users.csv", "{SIS:0042},Ana,Pereira,,0042", "{SIS:0042},Ana,Pereira,,0099"))
    preview = candidate_import_preview(centre=centre, data=clash)
    assert (preview.updated, preview.rejected) == (0, 1)
    [problem] = preview.evaluation.problems
    assert problem.reason.startswith("The unique ID 0099 belongs to another candidate at your centre")
    assert (problem.row, problem.column) == (2, "users.csv identifier")
    result = candidate_import_commit(actor=None, centre=centre, data=clash)
    assert result.rejected == 1
    assert Candidate.objects.get(centre=centre, sourced_id="stu-001").unique_id == "0042"


def test_enrollments_set_the_groups_exactly(centre):
    candidate_import_commit(actor=None, centre=centre, data=package())
    fewer = package(edit=replace("enrollments.csv", "enr-004,,,cls-choir,org-orchard,stu-002,student,,,\n", ""))
    assert candidate_import_preview(centre=centre, data=fewer).updated == 1
    candidate_import_commit(actor=None, centre=centre, data=fewer)
    zoe = Candidate.objects.get(centre=centre, unique_id="0043")
    assert [group.name for group in zoe.groups.all()] == ["7A"]


def test_only_zips_with_oneroster_files_are_packages():
    assert oneroster_reading.is_package(package())
    assert not oneroster_reading.is_package(b"Unique ID,First name\r\n")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("users.csv", "x")
    assert not oneroster_reading.is_package(buffer.getvalue())


def test_a_value_no_list_knows_is_a_warning_the_student_imports_and_the_value_is_kept(centre):
    def edit(files):
        replace("users.csv", ",org-orchard,,Portugal,WOTH,N", ",org-orchard,,British,WOTH,N")(files)
        replace("users.csv", ",org-orchard,,DE,,K", ",org-orchard,,Atlantean,,Kind of")(files)

    data = package(edit=edit)
    preview = candidate_import_preview(centre=centre, data=data)
    assert (preview.new, preview.rejected, preview.evaluation.warned_rows) == (4, 0, 1)
    columns = sorted(warning.column for warning in preview.evaluation.warnings)
    assert columns == ["users.csv metadata.nationality", "users.csv metadata.senStatus"]
    assert {group["value"] for group in preview.summary()["unmatched"]} == {"Atlantean", "Kind of"}
    candidate_import_commit(actor=None, centre=centre, data=data)
    register = _register(centre)
    assert register["0042"].nationality.code == "GB"
    zoe = register["0043"]
    assert (zoe.nationality.code, zoe.values_as_written) == ("", {"nationality": "Atlantean", "sen_status": "Kind of"})


def test_an_unreadable_e_mail_address_sex_or_enabled_user_is_a_warning_and_the_student_imports(centre):
    def edit(files):
        replace("users.csv", "ana.pereira@orchard.example.org", "ana.pereira@")(files)
        replace("users.csv", "stu-002,,,true,", "stu-002,,,sometimes,")(files)
        replace("demographics.csv", "stu-002,,,2012-11-02,female", "stu-002,,,2012-11-02,femal")(files)

    data = package(edit=edit)
    preview = candidate_import_preview(centre=centre, data=data)
    assert (preview.new, preview.rejected, preview.evaluation.warned_rows) == (4, 0, 2)
    found = {(warning.field, warning.value) for warning in preview.evaluation.warnings}
    assert found == {("email", "ana.pereira@"), ("is_active", "sometimes"), ("gender", "femal")}
    assert "demographics.csv" in next(w.column for w in preview.evaluation.warnings if w.field == "gender")
    candidate_import_commit(actor=None, centre=centre, data=data)
    register = _register(centre)
    assert (register["0042"].email, register["0042"].values_as_written) == ("", {"email": "ana.pereira@"})
    zoe = register["0043"]
    assert (zoe.gender, zoe.is_active, zoe.values_as_written) == (
        "",
        True,
        {"gender": "femal", "is_active": "sometimes"},
    )


def test_a_delta_package_changes_only_what_it_carries(centre):
    candidate_import_commit(actor=None, centre=centre, data=package())
    zoe_line = next(line for line in package_text("users.csv").splitlines() if line.startswith("stu-002,"))

    def delta(files):
        for key in ("users", "enrollments", "classes", "demographics", "roles"):
            files["manifest.csv"] = files["manifest.csv"].replace(f"file.{key},bulk", f"file.{key},delta")
        header = files["users.csv"].splitlines()[0]
        files["users.csv"] = f"{header}\n{zoe_line}\n"
        files["enrollments.csv"] = (
            files["enrollments.csv"].splitlines()[0] + "\n"
            "enr-004,tobedeleted,2026-01-05T10:00:00.000Z,cls-choir,org-orchard,stu-002,student,,,\n"
            "enr-007,active,2026-01-05T10:00:00.000Z,cls-phys,org-orchard,stu-002,student,,,\n"
        )
        files["demographics.csv"] = files["demographics.csv"].splitlines()[0] + "\n"  # no change to anyone's

    data = package(edit=delta)
    preview = candidate_import_preview(centre=centre, data=data)
    assert (preview.new, preview.updated, preview.rejected) == (0, 1, 0), preview.evaluation.problems
    candidate_import_commit(actor=None, centre=centre, data=data)
    register = _register(centre)
    zoe = register["0043"]
    assert sorted(group.name for group in zoe.groups.all()) == ["7A", "Science, Physics"]  # Choir left, Physics joined
    assert zoe.date_of_birth == date(2012, 11, 2)  # kept: the delta has no demographics record for her
    assert sorted(group.name for group in register["0042"].groups.all()) == ["7A", "Science, Physics"]  # not in it


def package_text(name: str) -> str:
    return (V1P2 / name).read_text(encoding="utf-8")
