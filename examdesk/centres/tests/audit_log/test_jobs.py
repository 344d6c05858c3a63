from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.storage import storages

from examdesk.audit.models import AuditEvent
from examdesk.audit.services import audit_record
from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.jobs import runner, services
from examdesk.jobs.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def _events(centre, count: int) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=AuditEvent.Action.CENTRE_UPDATED,
            centre_id=centre.pk,
            centre_number=centre.number,
            summary=f"event {n}",
        )
        for n in range(count)
    )


def _download(client, job) -> list[list[str]]:
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_runs_as_a_job_and_only_owner_and_centre_admins_download(client, settings):
    settings.EXAMDESK_JOB_CHUNK_ROWS = 7
    centre, other = CentreFactory(), CentreFactory()
    admin = member(centre)
    _events(centre, 20)
    audit_record(action=AuditEvent.Action.CENTRE_UPDATED, centre=centre, summary='=HYPERLINK("http://x")')
    client.force_login(admin)

    response = client.post(f"/centres/{centre.number}/audit/export/")

    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED and job.percent == 100 and job.done == job.total == 22
    rows = _download(client, job)
    assert rows[0][0] == "Time" and len(rows) == 23
    assert ["event 0", "event 19"] == [rows[1][2], rows[20][2]]
    assert rows[21][2].startswith("'=HYPERLINK")  # neutralised for spreadsheet programs
    assert rows[22][1] == "Export asked for"  # the file includes the request that made it
    assert not storages["private"].exists(f"jobs/{job.pk}/parts/000000")  # parts cleaned away

    client.force_login(member(other))
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.force_login(member(centre, Role.TEACHER))
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    client.force_login(member(centre, Role.CENTRE_ADMIN))
    assert _download(client, job) == rows


def test_progress_fragment_stops_htmx_polling_when_finished(client):
    centre = CentreFactory()
    client.force_login(member(centre))
    client.post(f"/centres/{centre.number}/audit/export/")
    job = Job.objects.get()
    response = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert 'value="100"' in response.content.decode()


def test_a_job_whose_worker_died_resumes_from_its_checkpoint_without_duplicates(client, settings, monkeypatch):
    settings.EXAMDESK_JOB_CHUNK_ROWS = 5
    settings.CELERY_TASK_ALWAYS_EAGER = False  # enqueueing is not what this test is about
    monkeypatch.setattr(services, "job_enqueue", lambda **kwargs: None)
    centre = CentreFactory()
    admin = member(centre)
    _events(centre, 23)
    job = services.job_create(owner=admin, centre=centre, kind="audit.export", title="Export")

    # First run: the worker "dies" (the process stops) after writing three parts.
    original = runner.JobContext.progress
    calls = {"n": 0}

    class WorkerKilled(BaseException):
        pass

    def dying_progress(self, **kwargs):
        original(self, **kwargs)
        calls["n"] += 1
        if calls["n"] == 4:
            raise WorkerKilled

    monkeypatch.setattr(runner.JobContext, "progress", dying_progress)
    with pytest.raises(WorkerKilled):
        runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.done == 15

    # A live worker's job is left alone; once its heartbeat is stale, it is claimed and resumed.
    monkeypatch.setattr(runner.JobContext, "progress", original)
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    Job.objects.filter(pk=job.pk).update(heartbeat_at=job.heartbeat_at - timedelta(hours=1))
    assert services.jobs_recover() == 1
    runner.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2
    client.force_login(admin)
    summaries = [row[2] for row in _download(client, job)[1:]]
    assert summaries == [f"event {n}" for n in range(23)]


def test_a_finished_job_is_never_run_again():
    centre = CentreFactory()
    admin = member(centre)
    job = services.job_create(owner=admin, centre=centre, kind="audit.export", title="Export")
    job.refresh_from_db()
    finished_at = job.finished_at
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.attempts == 1 and job.finished_at == finished_at


def test_a_failing_job_shows_a_clear_message(client, monkeypatch):
    from examdesk.jobs import registry

    monkeypatch.setitem(registry._HANDLERS, "audit.export", lambda ctx: 1 / 0)
    centre = CentreFactory()
    client.force_login(member(centre))
    client.post(f"/centres/{centre.number}/audit/export/")
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert runner.FRIENDLY_FAILURE in client.get(f"/jobs/{job.pk}/").content.decode()


def test_an_expired_download_says_so(client):
    centre = CentreFactory()
    client.force_login(member(centre))
    client.post(f"/centres/{centre.number}/audit/export/")
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(expires_at=job.created_at)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 410
