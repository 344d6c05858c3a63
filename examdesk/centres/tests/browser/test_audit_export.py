"""A real job as a person sees it: the audit-log export, its progress bar, and who may download the file."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.jobs.models import Job
from examdesk.jobs.services import job_enqueue

pytestmark = pytest.mark.browser


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_an_audit_log_export_runs_as_a_job_whose_file_only_the_centre_admins_can_download(
    live_server, page, new_context
):
    centre = CentreFactory(number="70001", name="Orchard High")
    other = CentreFactory(number="70002", name="Quarry Lane School")
    member(centre, Role.CENTRE_ADMIN, email="admin@orchard.example.org")
    member(centre, Role.CENTRE_ADMIN, email="deputy@orchard.example.org")
    member(other, Role.CENTRE_ADMIN, email="admin@quarry.example.org")

    sign_in(page, live_server, "admin@orchard.example.org", PASSWORD)
    page.get_by_role("navigation", name="Orchard High").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    events = page.get_by_role("table", name="Audit events, newest first")
    expect(events.get_by_role("row").filter(has_text="admin@orchard.example.org").first).to_contain_text("Signed in")
    assert_accessible(page)

    page.get_by_role("button", name="Export as CSV").click()

    expect(page.get_by_role("heading", name="Audit log export of centre 70001")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_text(re.compile(r"Progress: 100 %"))).to_be_visible()
    # The sign-in and the export request itself: the file includes the request that made it.
    expect(page.locator(".job-status")).to_have_text("Finished – 2 events exported")
    assert_accessible(page)
    job_page = page.url

    download_link = page.get_by_role("link", name="Download audit-log-70001.csv")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == "audit-log-70001.csv"
    rows = _rows(Path(download.path()))
    assert any(row["Action"] == "Signed in" and row["Actor"] == "admin@orchard.example.org" for row in rows), rows
    assert any(row["Action"] == "Export asked for" for row in rows), rows
    download_url = live_server.url + download_link.get_attribute("href")

    # An admin of another centre who gets hold of the links finds nothing there.
    stranger = new_context().new_page()
    sign_in(stranger, live_server, "admin@quarry.example.org", PASSWORD)
    expect(stranger.get_by_role("heading", name="Quarry Lane School", level=1)).to_be_visible()
    for url in (download_url, job_page):
        response = stranger.goto(url)
        assert response is not None and response.status == 404, url
        expect(stranger.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(stranger.get_by_role("main")).not_to_contain_text("audit-log-70001.csv")
    assert_accessible(stranger)

    # Another admin of the same centre can open the job and download the file.
    deputy = new_context().new_page()
    sign_in(deputy, live_server, "deputy@orchard.example.org", PASSWORD)
    deputy.goto(job_page)
    expect(deputy.get_by_role("heading", name="Audit log export of centre 70001")).to_be_visible()
    with deputy.expect_download() as download_info:
        deputy.get_by_role("link", name="Download audit-log-70001.csv").click()
    assert _rows(Path(download_info.value.path())) == rows


def test_the_job_page_follows_the_job_live_while_it_waits_for_a_worker_and_then_runs(live_server, page):
    centre = CentreFactory(number="70011", name="Orchard High")
    admin = member(centre, Role.CENTRE_ADMIN, email="admin@orchard.example.org")
    sign_in(page, live_server, "admin@orchard.example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Orchard High", level=1)).to_be_visible()
    # A job no worker has picked up yet (as job_create makes it, before the broker delivers it).
    job = Job.objects.create(
        owner=admin,
        centre=centre,
        kind="audit.export",
        title="Audit log export of centre 70011",
        params={"action": "", "search": ""},
        message="Waiting for a worker…",
    )

    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    expect(page.locator(".job-status")).to_have_text("Waiting to start – Waiting for a worker…")
    expect(page.get_by_role("status")).to_have_text("")  # nothing announced while it waits
    expect(page.locator("progress")).to_have_attribute("value", "0")
    expect(page.get_by_role("link", name=re.compile("^Download"))).to_have_count(0)
    assert_accessible(page)

    job_enqueue(job_id=job.pk)  # a worker runs it now (Celery runs eagerly in tests)

    # The open page polls and shows the finished job without a reload.
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator(".job-status")).to_have_text("Finished – 1 event exported")
    # Screen readers hear the end once, from the live region outside the polled area.
    expect(page.get_by_role("status")).to_have_text(
        "Audit log export of centre 70011: finished. The download is ready."
    )
    expect(page.get_by_role("link", name="Download audit-log-70011.csv")).to_be_visible()
    assert_accessible(page)
