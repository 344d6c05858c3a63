from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.jobs.models import Job
from examdesk.people.models import Candidate
from examdesk.transfer.models import ImportBatch
from examdesk.transfer.tests.oneroster.packages import package, with_vocabularies

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = "Unique ID,First name,Last name,Date of birth\r\n001,Ana,Pereira,2012-04-03\r\n002,Ben,Okafor,bad date\r\n"


def _upload(client, centre, text: str, name: str = "pupils.csv"):
    upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(f"/centres/{centre.number}/candidates/import/", {"file": upload})


def test_upload_preview_then_commit(client):
    centre = CentreFactory()
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    response = _upload(client, centre, GOOD)
    job = Job.objects.get(kind="transfer.candidate_preview")
    batch = ImportBatch.objects.get()
    # The person stays on the import's own page, which shows the check's progress, then the preview.
    assert response.url == f"/centres/{centre.number}/candidates/import/{batch.pk}/"
    assert job.result_url == response.url
    page = client.get(job.result_url).content.decode()
    assert "Import 1 valid row and leave out 1" in page
    assert "bad date" in page and not Candidate.objects.exists()

    response = client.post(job.result_url, {"action": "commit"})
    commit_job = Job.objects.get(kind="transfer.candidate_commit")
    assert response.url == job.result_url
    assert commit_job.status == Job.Status.SUCCEEDED and commit_job.result_name.endswith(".xlsx")
    assert list(Candidate.objects.values_list("unique_id", flat=True)) == ["001"]
    page = client.get(job.result_url).content.decode()
    assert "Imported: 1 new" in page and "Download the import report" in page
    # Committing twice does nothing more.
    client.post(job.result_url, {"action": "commit"})
    assert Job.objects.filter(kind="transfer.candidate_commit").count() == 1


def test_an_unreadable_file_gets_a_clear_message_and_nothing_is_kept(client):
    centre = CentreFactory()
    client.force_login(member(centre))
    _upload(client, centre, "%PDF-1.7 not a spreadsheet", name="pupils.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    page = client.get(f"/centres/{centre.number}/candidates/import/{batch.pk}/").content.decode()
    assert "Upload another file" in page


def test_no_file_chosen(client):
    centre = CentreFactory()
    client.force_login(member(centre))
    page = client.post(f"/centres/{centre.number}/candidates/import/", {}).content.decode()
    assert "Choose the file to import." in page and not ImportBatch.objects.exists()


def test_cancel_keeps_the_register_as_it_was(client):
    centre = CentreFactory()
    client.force_login(member(centre))
    _upload(client, centre, GOOD)
    batch = ImportBatch.objects.get()
    client.post(f"/centres/{centre.number}/candidates/import/{batch.pk}/", {"action": "cancel"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and not Candidate.objects.exists()


def test_another_centre_cannot_see_an_import(client):
    centre, other = CentreFactory(), CentreFactory()
    client.force_login(member(centre))
    _upload(client, centre, GOOD)
    batch = ImportBatch.objects.get()
    client.force_login(member(other))
    assert client.get(f"/centres/{centre.number}/candidates/import/{batch.pk}/").status_code == 404
    assert client.get(f"/centres/{other.number}/candidates/import/{batch.pk}/").status_code == 404


def test_templates_and_export_download(client):
    centre = CentreFactory()
    client.force_login(member(centre))
    for kind in ("xlsx", "csv", "legacy-xlsx", "legacy-csv"):
        response = client.get(f"/centres/{centre.number}/candidates/template/{kind}/")
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    response = client.post(f"/centres/{centre.number}/candidates/export/", {"format": "csv"})
    job = Job.objects.get(kind="transfer.candidate_export")
    assert job.status == Job.Status.SUCCEEDED and job.result_name.endswith(".csv")


def test_a_oneroster_package_is_uploaded_with_the_unique_id_chosen_and_exported(client):
    centre = with_vocabularies(CentreFactory())
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    page = client.get(f"/centres/{centre.number}/candidates/import/").content.decode()
    assert "OneRoster" in page and 'value="identifier"' in page and "checked" in page
    upload = SimpleUploadedFile("roster.zip", package(), content_type="application/zip")
    client.post(f"/centres/{centre.number}/candidates/import/", {"file": upload, "oneroster_unique_id": "username"})
    batch = ImportBatch.objects.get()
    assert batch.oneroster_unique_id == "username" and batch.status == ImportBatch.Status.READY
    page = client.get(f"/centres/{centre.number}/candidates/import/{batch.pk}/").content.decode()
    assert "OneRoster 1.2 package" in page and "Import 4 valid rows" in page
    client.post(f"/centres/{centre.number}/candidates/import/{batch.pk}/", {"action": "commit"})
    assert sorted(Candidate.objects.values_list("unique_id", flat=True))[0] == "ana.pereira"

    client.post(f"/centres/{centre.number}/candidates/export/", {"format": "oneroster-1.1"})
    job = Job.objects.get(kind="transfer.candidate_export")
    assert job.status == Job.Status.SUCCEEDED and job.result_name.endswith("-oneroster-v1p1.zip")
    assert job.title == "Export of active candidates (OneRoster 1.1)"


def test_the_import_page_checks_itself_while_its_job_runs_and_stops_when_it_is_done(client):
    centre = CentreFactory()
    client.force_login(member(centre, Role.EXAMS_OFFICER))
    _upload(client, centre, GOOD)
    batch = ImportBatch.objects.get()
    url = f"/centres/{centre.number}/candidates/import/{batch.pk}/"
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PREVIEWING)
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page
    assert "Checking every row of the file" in page and "Import 1 valid row" not in page
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.READY)
    page = client.get(url).content.decode()
    assert "hx-trigger" not in page and "Import 1 valid row and leave out 1" in page
