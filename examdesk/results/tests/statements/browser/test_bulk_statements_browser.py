"""An exams officer prints statements: a few ticked results, then every result of a search of 350 (more than the
old cap of 300), watching the progress bar, downloading the print file and the zip, with axe on every page."""

from __future__ import annotations

import io
import re
import threading
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from examdesk.catalogue.tests.factories import qualification, series
from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.jobs import registry, runner, services
from examdesk.results.statements.bulk import KIND
from examdesk.results.tests.statements.support import cohort

pytestmark = pytest.mark.browser

NAMES = [("Zoë", "Łukasiewicz"), ("Αλέξανδρος", "Παπαδόπουλος"), ("Юлия", "Ковальчук"), ("Siobhán", "O'Brien")]
EXPECTED_NAMES = ["Łukasiewicz-Zoë", "Παπαδόπουλος-Αλέξανδρος", "Ковальчук-Юлия", "O-Brien-Siobhán"]


@pytest.fixture
def worker(monkeypatch, settings):
    """Jobs wait for a worker until `run()` starts one in a thread (while the page is open), each chunk a little
    slower than on a real machine, so that the page's progress bar is seen moving."""
    settings.EXAMDESK_STATEMENTS_CHUNK = 60
    queued: list = []
    monkeypatch.setattr(services, "job_enqueue", lambda job_id: queued.append(job_id))
    drawing = registry.part_handler_for(KIND)

    def slow(part):
        time.sleep(0.3)
        return drawing(part)

    monkeypatch.setitem(registry._PART_HANDLERS, KIND, slow)

    def run() -> threading.Thread:
        job_id = queued.pop()
        thread = threading.Thread(target=runner.job_run, kwargs={"job_id": job_id}, daemon=True)
        thread.start()
        return thread

    return run


def _watch_progress(page) -> list[int]:
    """The progress bar's values as the page shows them, until it reaches 100."""
    seen: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        value = int(page.locator("progress").get_attribute("value") or 0)
        if not seen or seen[-1] != value:
            seen.append(value)
        if value == 100:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"The progress bar stopped at {seen}")


def _download(page, name: str) -> Path:
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(f"^{re.escape(name)}")).click()
    return Path(info.value.path())


def test_officer_prints_ticked_results_and_then_a_whole_search_of_350(live_server, page, worker):
    centre = CentreFactory(number="73001", name="Harbour School", time_zone="Europe/London")
    member(centre, Role.EXAMS_OFFICER, email="officer@harbour.example.org")
    board = centre.board
    june = series(board, "2026-06", "June 2026")
    released = datetime.now(UTC) - timedelta(days=1)
    cohort(centre, 350, released_at=released, series=june, names=NAMES)
    later = datetime(2027, 1, 14, 8, 0, tzinfo=UTC)
    cohort(centre, 2, released_at=later, series=june, qualification=qualification(board, "KET"), first_number=901)

    sign_in(page, live_server, "officer@harbour.example.org", PASSWORD)
    page.goto(f"{live_server.url}/centres/73001/results/")
    page.get_by_label("Series").select_option(label="June 2026")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="352 entries")).to_be_visible()
    assert_accessible(page)

    # A few ticked results, one of them not released yet.
    for label in ("0001 Łukasiewicz", "0002 Παπαδόπουλος", "0003 Ковальчук"):
        page.get_by_label(f"Select {label}").check()
    page.get_by_role("button", name="Statements for the ticked results (PDF)").click()
    expect(page.get_by_role("heading", name="Statements of results, centre 73001", level=1)).to_be_visible()
    expect(page.locator(".job-status")).to_contain_text("Waiting to start")
    assert_accessible(page)
    worker().join()
    expect(page.locator(".job-status")).to_have_text("Finished – 3 statements ready", timeout=20_000)
    expect(page.get_by_role("status")).to_have_text(
        "Statements of results, centre 73001: finished. The downloads are ready."
    )
    assert_accessible(page)
    with zipfile.ZipFile(_download(page, "Download the single files")) as archive:
        assert archive.namelist() == [f"{n:04d}-{name}.pdf" for n, name in zip((1, 2, 3), EXPECTED_NAMES, strict=False)]
    assert len(PdfReader(_download(page, "Download the print file")).pages) == 3

    # Every result of the search: 350 statements and the 2 results not released yet, left out with their date.
    page.goto(f"{live_server.url}/centres/73001/results/?series={june.pk}")
    page.get_by_role("button", name="Statements for every result of this search (352)").click()
    expect(page.locator(".job-status")).to_contain_text("Waiting to start")
    thread = worker()
    seen = _watch_progress(page)
    thread.join()
    assert any(0 < value < 100 for value in seen), f"the bar should be seen moving: {seen}"
    expect(page.locator(".job-status")).to_have_text(
        "Finished – 350 statements ready; 2 selected results left out (see below)"
    )
    expect(page.get_by_text("Progress: 100 % (350 of 350)")).to_be_visible()
    report = page.get_by_role("table", name="Left out: 2 selected results have no statement")
    expect(report.get_by_role("row")).to_have_count(3)
    expect(report).to_contain_text("Not released yet: released on 14 January 2027, 08:00 (Europe/London)")
    expect(page.get_by_text(re.compile("The files can be downloaded until"))).to_be_visible()
    assert_accessible(page)

    with zipfile.ZipFile(_download(page, "Download the single files")) as archive:
        names = archive.namelist()
        assert names[0] == "left-out.csv" and len(names) == 351 and len(set(names)) == 351
        assert names[1:5] == [f"{n:04d}-{name}.pdf" for n, name in zip((1, 2, 3, 4), EXPECTED_NAMES, strict=True)]
        assert names[-1] == f"0350-{EXPECTED_NAMES[349 % 4]}.pdf"
        single = PdfReader(io.BytesIO(archive.read(names[4])))
        assert len(single.pages) == 1 and "Siobhán O'Brien" in single.pages[0].extract_text()
        left_out = archive.read("left-out.csv").decode("utf-8-sig")
        assert left_out.count("Not released yet") == 2
    merged = PdfReader(_download(page, "Download the print file"))
    assert len(merged.pages) == 350
    assert "Zoë Łukasiewicz" in merged.pages[0].extract_text() and "0350" in merged.pages[349].extract_text()
