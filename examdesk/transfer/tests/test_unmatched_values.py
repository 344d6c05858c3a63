"""A value no list knows never leaves a candidate out: it warns, is kept as written, and can be mapped once."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from examdesk.audit.models import AuditEvent
from examdesk.centres.models import Role
from examdesk.core.errors import ApplicationError
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.people.models import Candidate, ValueMapping, VocabularyTerm
from examdesk.people.services import (
    CandidateData,
    candidate_set_active,
    candidate_update,
    value_mapping_set,
    vocabulary_load,
)
from examdesk.people.vocabularies import DFE_ETHNICITY, DFE_SEN
from examdesk.transfer.candidate_export import candidate_export
from examdesk.transfer.candidate_import import candidate_import_commit, candidate_import_preview
from examdesk.transfer.models import ImportBatch

ROSTER = (
    "Unique ID,First name,Last name,Nationality,Ethnicity,SEN status\r\n"
    "S1,Ana,Pereira,British,WBRI,N\r\n"
    "S2,Ben,Okafor,USA,white british,sen support\r\n"
    "S3,Chloé,Martin,Brit,Martian,Q\r\n"
    "S4,Dawit,Tesfaye,Brit,,\r\n"
    "S5,Eve,Ng,Deutschland,,\r\n"
)


@pytest.fixture
def centre():
    centre = CentreFactory()
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.ETHNICITY, terms=DFE_ETHNICITY)
    vocabulary_load(board=centre.board, vocabulary=VocabularyTerm.Vocabulary.SEN, terms=DFE_SEN)
    return centre


@pytest.mark.django_db
def test_unmatched_values_warn_and_every_row_imports_with_the_value_kept(centre):
    data = ROSTER.encode()
    preview = candidate_import_preview(centre=centre, data=data)
    assert (preview.new, preview.rejected) == (5, 0)
    summary = preview.summary()
    assert summary["warned"] == 2 and summary["warning_count"] == 4
    unmatched = {(entry["field"], entry["value"]): entry for entry in summary["unmatched"]}
    assert set(unmatched) == {("nationality", "Brit"), ("ethnicity", "Martian"), ("sen_status", "Q")}
    brit = unmatched[("nationality", "Brit")]
    assert (brit["count"], brit["rows"], brit["column"]) == (2, [4, 5], "Nationality")
    assert brit["suggestions"][0] == ["GB", "United Kingdom"]
    assert summary["unmatched"][0]["value"] == "Brit"  # the most frequent first

    result = candidate_import_commit(actor=None, centre=centre, data=data)
    assert (result.counts.created, result.rejected) == (5, 0)
    stored = {
        c.unique_id: (c.nationality.code, c.ethnicity, c.sen_status, c.values_as_written)
        for c in Candidate.objects.all()
    }
    assert stored == {
        "S1": ("GB", "WBRI", "N", {}),
        "S2": ("US", "WBRI", "K", {}),
        "S3": ("", "", "", {"nationality": "Brit", "ethnicity": "Martian", "sen_status": "Q"}),
        "S4": ("", "", "", {"nationality": "Brit"}),
        "S5": ("DE", "", "", {}),
    }
    report = openpyxl.load_workbook(io.BytesIO(result.report))
    said = {label: value for label, value in report["Summary"].iter_rows(values_only=True)}
    assert said["Rows with warnings (imported)"] == 2
    rows = list(report["Problems"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Row", "Kind", "Problems")
    assert [(row[0], row[1]) for row in rows[1:]] == [(4, "Warning (imported)"), (5, "Warning (imported)")]
    assert "Closest: United Kingdom" in rows[1][2] and "Martian" in rows[1][2]


@pytest.mark.django_db
def test_a_mapping_applies_to_later_imports_and_a_matched_value_clears_the_note(centre):
    candidate_import_commit(actor=None, centre=centre, data=ROSTER.encode())
    value_mapping_set(actor=None, centre=centre, field="nationality", value="  BRIT. ", code="GB")
    value_mapping_set(actor=None, centre=centre, field="ethnicity", value="Martian", code="OOTH")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VALUE_MAPPED).count() == 2
    preview = candidate_import_preview(centre=centre, data=ROSTER.encode())
    assert [(e["field"], e["value"]) for e in preview.summary()["unmatched"]] == [("sen_status", "Q")]
    candidate_import_commit(actor=None, centre=centre, data=ROSTER.encode())
    s3 = Candidate.objects.get(unique_id="S3")
    assert (s3.nationality.code, s3.ethnicity, s3.values_as_written) == ("GB", "OOTH", {"sen_status": "Q"})
    # Mapping the same value again replaces the meaning: one mapping per value.
    value_mapping_set(actor=None, centre=centre, field="nationality", value="brit", code="IE")
    assert ValueMapping.objects.get(field="nationality").code == "IE"


@pytest.mark.django_db
def test_a_form_that_leaves_the_field_empty_keeps_what_the_file_said(centre):
    candidate_import_commit(actor=None, centre=centre, data=ROSTER.encode())
    s4 = Candidate.objects.get(unique_id="S4")
    candidate_update(actor=None, candidate=s4, data=CandidateData("S4", "Dawit", "Tesfaye"))
    s4.refresh_from_db()
    assert s4.values_as_written == {"nationality": "Brit"}
    candidate_update(actor=None, candidate=s4, data=CandidateData("S4", "Dawit", "Tesfaye", nationality="GB"))
    s4.refresh_from_db()
    assert (s4.nationality.code, s4.values_as_written) == ("GB", {})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "code", "message"),
    [("nationality", "", "Choose what 'Brit' means."), ("nationality", "XX", "from the list"),
     ("ethnicity", "GB", "from the list"), ("colour", "GB", "no such value")],
)  # fmt: skip
def test_a_bad_mapping_is_refused_with_a_reason(centre, field, code, message):
    with pytest.raises(ApplicationError, match=message):
        value_mapping_set(actor=None, centre=centre, field=field, value="Brit", code=code)
    assert not ValueMapping.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_preview_maps_a_value_and_checks_the_file_again(client):
    centre = CentreFactory()
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    upload = SimpleUploadedFile("roster.csv", ROSTER.encode(), content_type="text/csv")
    client.post(f"/centres/{centre.number}/candidates/import/", {"file": upload})
    batch = ImportBatch.objects.get()
    url = f"/centres/{centre.number}/candidates/import/{batch.pk}/"
    page = client.get(url).content.decode()
    assert "Values imported empty" in page and "What does “Brit” mean in the Nationality column?" in page
    assert "Import 5 valid rows" in page
    brit = next(n for n, e in enumerate(batch.summary["unmatched"]) if e["value"] == "Brit")
    fields = {"action": "map", "mapping": f"map-{brit}", f"map-{brit}-field": "nationality",
              f"map-{brit}-value": "Brit"}  # fmt: skip

    page = client.post(url, {**fields, f"map-{brit}-code": ""}).content.decode()
    assert "There is a problem" in page and "Choose what “Brit” means, from the list." in page
    page = client.post(url, {**fields, f"map-{brit}-code": "ZZ"}).content.decode()
    assert "Choose what “Brit” means, from the list." in page
    assert not ValueMapping.objects.exists()

    response = client.post(url, {**fields, f"map-{brit}-code": "GB"})
    assert response.url == url
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    assert "Brit" not in [entry["value"] for entry in batch.summary["unmatched"]]
    assert ValueMapping.objects.get().code == "GB"


@pytest.mark.django_db
def test_the_candidate_page_shows_what_the_file_said(client, centre):
    candidate_import_commit(actor=None, centre=centre, data=ROSTER.encode())
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    s3 = Candidate.objects.get(unique_id="S3")
    page = client.get(f"/centres/{centre.number}/candidates/{s3.pk}/").content.decode()
    assert "Not matched: “Brit”" in page and "Not matched: “Martian”" in page and "Not matched: “Q”" in page


UNREADABLE = (
    "Unique ID,First name,Last name,Gender,UPN,E-mail address,Active\r\n"
    "S1,Ana,Pereira,Femal,A123,ana@,maybe\r\n"
    "S2,Ben,Okafor,M,B801200005001,ben@example.org,No\r\n"
    "S3,Chloé,Martin,Fem,B801200005010,chloe@example.org,Yes\r\n"
)


@pytest.mark.django_db
def test_an_unreadable_gender_upn_email_or_active_warns_and_the_row_imports_with_the_value_kept(centre):
    data = UNREADABLE.encode()
    preview = candidate_import_preview(centre=centre, data=data)
    assert (preview.new, preview.rejected) == (3, 0)
    summary = preview.summary()
    assert (summary["warned"], summary["warning_count"]) == (2, 6)
    unmatched = {(entry["field"], entry["value"]): entry for entry in summary["unmatched"]}
    assert set(unmatched) == {
        ("gender", "Femal"), ("gender", "Fem"), ("upn", "A123"), ("upn", "B801200005010"), ("email", "ana@"),
        ("is_active", "maybe"),
    }  # fmt: skip
    assert unmatched[("gender", "Femal")]["suggestions"][0] == ["F", "Female"]
    assert unmatched[("gender", "Femal")]["mappable"] and not unmatched[("upn", "A123")]["mappable"]
    assert "check letter" in next(w.reason for w in preview.evaluation.warnings if w.value == "B801200005010")

    result = candidate_import_commit(actor=None, centre=centre, data=data)
    assert (result.counts.created, result.rejected) == (3, 0)
    stored = {c.unique_id: (c.gender, c.upn, c.email, c.is_active, c.values_as_written)
              for c in Candidate.objects.all()}  # fmt: skip
    assert stored == {
        "S1": ("", "", "", True, {"gender": "Femal", "upn": "A123", "email": "ana@", "is_active": "maybe"}),
        "S2": ("M", "B801200005001", "ben@example.org", False, {}),
        "S3": ("", "", "chloe@example.org", True, {"gender": "Fem", "upn": "B801200005010"}),
    }
    rows = list(openpyxl.load_workbook(io.BytesIO(result.report))["Problems"].iter_rows(values_only=True))
    assert [(row[0], row[1]) for row in rows[1:]] == [(2, "Warning (imported)"), (4, "Warning (imported)")]


@pytest.mark.django_db
def test_an_unreadable_active_value_keeps_the_candidates_state(centre):
    candidate_import_commit(actor=None, centre=centre, data=b"Unique ID,First name,Last name,Active\r\nS1,A,B,No\r\n")
    candidate_import_commit(
        actor=None, centre=centre, data=b"Unique ID,First name,Last name,Active\r\nS1,A,B,perhaps\r\n"
    )
    s1 = Candidate.objects.get()
    assert (s1.is_active, s1.values_as_written) == (False, {"is_active": "perhaps"})
    # A later file that says Yes or No clears the note.
    candidate_import_commit(actor=None, centre=centre, data=b"Unique ID,First name,Last name,Active\r\nS1,A,B,Yes\r\n")
    s1.refresh_from_db()
    assert (s1.is_active, s1.values_as_written) == (True, {})


@pytest.mark.django_db
def test_a_file_without_a_column_keeps_the_note_of_that_column(centre):
    candidate_import_commit(actor=None, centre=centre, data=UNREADABLE.encode())
    candidate_import_commit(actor=None, centre=centre, data=b"Unique ID,First name,Last name,UPN\r\nS1,A,B,\r\n")
    assert Candidate.objects.get(unique_id="S1").values_as_written == {
        "gender": "Femal", "email": "ana@", "is_active": "maybe"
    }  # fmt: skip


@pytest.mark.django_db
def test_a_gender_mapping_applies_to_later_imports(centre):
    value_mapping_set(actor=None, centre=centre, field="gender", value="Femal", code="F")
    with pytest.raises(ApplicationError, match="from the list"):
        value_mapping_set(actor=None, centre=centre, field="gender", value="Fem", code="Q")
    preview = candidate_import_preview(centre=centre, data=UNREADABLE.encode())
    assert ("gender", "Femal") not in {(e["field"], e["value"]) for e in preview.summary()["unmatched"]}
    candidate_import_commit(actor=None, centre=centre, data=UNREADABLE.encode())
    s1 = Candidate.objects.get(unique_id="S1")
    assert (s1.gender, "gender" in s1.values_as_written) == ("F", False)


@pytest.mark.django_db(transaction=True)
def test_the_preview_offers_mappings_for_list_values_only_and_the_candidate_page_shows_each_note(client, centre):
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    upload = SimpleUploadedFile("roster.csv", UNREADABLE.encode(), content_type="text/csv")
    client.post(f"/centres/{centre.number}/candidates/import/", {"file": upload})
    batch = ImportBatch.objects.get()
    page = client.get(f"/centres/{centre.number}/candidates/import/{batch.pk}/").content.decode()
    assert "Import 3 valid rows" in page and "What does “Femal” mean in the Gender column?" in page
    assert "“A123” mean" not in page and "“ana@” mean" not in page
    assert "Use the form name@example.org" in page  # no list: the fix is said instead of the closest values

    candidate_import_commit(actor=None, centre=centre, data=UNREADABLE.encode())
    s1 = Candidate.objects.get(unique_id="S1")
    page = client.get(f"/centres/{centre.number}/candidates/{s1.pk}/").content.decode()
    assert "Not matched: “Femal”" in page and "Not a UPN: “A123”" in page
    assert "Not an e-mail address: “ana@”" in page and "said “maybe”" in page


@pytest.mark.django_db
def test_a_form_that_sets_a_field_clears_its_note_and_setting_the_state_clears_actives(centre):
    candidate_import_commit(actor=None, centre=centre, data=UNREADABLE.encode())
    s1 = Candidate.objects.get(unique_id="S1")
    candidate_update(actor=None, candidate=s1, data=CandidateData("S1", "Ana", "Pereira", upn="B801200005001"))
    s1.refresh_from_db()
    assert s1.values_as_written == {"gender": "Femal", "email": "ana@", "is_active": "maybe"}
    candidate_set_active(actor=None, candidate=s1, active=False)
    s1.refresh_from_db()
    assert s1.values_as_written == {"gender": "Femal", "email": "ana@"}


@pytest.mark.django_db
def test_the_export_writes_unreadable_values_back_as_written(centre):
    candidate_import_commit(actor=None, centre=centre, data=UNREADABLE.encode())
    out = io.BytesIO()
    candidate_export(centre=centre, fmt="csv", include_deactivated=True, out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    ana = next(row for row in rows if row["Unique ID"] == "S1")
    assert (ana["Gender"], ana["UPN"], ana["E-mail address"], ana["Active"]) == ("Femal", "A123", "ana@", "maybe")
    preview = candidate_import_preview(centre=centre, data=out.getvalue())
    assert (preview.unchanged, preview.updated, preview.rejected) == (3, 0, 0)
