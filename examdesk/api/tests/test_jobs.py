"""Jobs through the API: a candidate import checked then applied, its status; a statements job; others' jobs 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from examdesk.api.tests.conftest import ApiClient, make_key
from examdesk.core.tests.factories import CentreFactory
from examdesk.people.models import Candidate

CSV = b"Unique ID,First name,Last name\r\nS-1,Ada,Lovelace\r\nS-2,Alan,Turing\r\n"


@pytest.mark.django_db(transaction=True)  # the jobs run on commit, as in production (eagerly in the tests)
def test_a_candidate_import_is_checked_then_applied(client):
    centre = CentreFactory()
    api = ApiClient(client, make_key(centre).token)
    auth = {"Authorization": f"Bearer {api.token}"}
    upload = SimpleUploadedFile("students.csv", CSV, content_type="text/csv")
    started = client.post("/api/v1/jobs/candidate-imports", {"file": upload}, headers=auth)
    assert started.status_code == 202, started.content
    batch = started.json()["id"]
    checked = api.get(f"/jobs/candidate-imports/{batch}").json()
    assert checked["status"] == "ready" and checked["summary"]["new"] == 2
    assert not Candidate.objects.exists()  # a check writes nothing
    job = api.post(f"/jobs/candidate-imports/{batch}/commit").json()
    status = api.get(f"/jobs/{job['id']}").json()
    assert status["status"] == "succeeded" and status["done"] == status["total"]
    assert set(Candidate.objects.values_list("unique_id", flat=True)) == {"S-1", "S-2"}
    other = ApiClient(client, make_key(CentreFactory()).token)
    assert other.get(f"/jobs/{job['id']}").status_code == 404


def test_a_statements_job_starts(api):
    started = api.post("/jobs/statements", {})
    assert started.status_code == 202 and started.json()["status"] == "queued"
    assert api.get(f"/jobs/{started.json()['id']}").json()["kind"].startswith("results.")


def test_an_empty_file_is_a_problem_on_the_file(api, client):
    upload = SimpleUploadedFile("empty.csv", b"", content_type="text/csv")
    response = client.post(
        "/api/v1/jobs/candidate-imports", {"file": upload}, headers={"Authorization": f"Bearer {api.token}"}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "file"
