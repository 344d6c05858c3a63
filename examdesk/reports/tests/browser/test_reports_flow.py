"""A teacher builds a group report without and with deactivated candidates, downloads it as CSV (the same
numbers as the page) and as PDF (read back with pypdf); axe on every page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from examdesk.centres.models import Role
from examdesk.core.tests.browser_support import assert_accessible, sign_in
from examdesk.core.tests.factories import PASSWORD, CentreFactory, member
from examdesk.people.models import Group
from examdesk.people.tests.factories import CandidateFactory
from examdesk.reports.tests.factories import attempts, sitting
from examdesk.sittings.tests.fixtures import product

pytestmark = pytest.mark.browser
C = "completed"


def _table(page):
    rows = page.locator("#report-rows tbody tr")
    return [[cell.strip() for cell in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]


def test_group_report_with_and_without_deactivated_candidates(live_server, page, tmp_path: Path):
    centre = CentreFactory(number="75001", name="Brookside School")
    member(centre, Role.TEACHER, email="teacher@brookside.example.org")
    reading = product(centre)
    group = Group.objects.create(centre=centre, name="8C")
    ana = CandidateFactory(centre=centre, first_name="Ana", last_name="Abel", unique_id="A1")
    ben = CandidateFactory(centre=centre, first_name="Ben", last_name="Berg", unique_id="B1")
    old = CandidateFactory(centre=centre, first_name="Olu", last_name="Old", unique_id="O1", is_active=False)
    dan = CandidateFactory(centre=centre, first_name="Dan", last_name="Dale", unique_id="D1")
    for c in (ana, ben, old, dan):
        c.groups.add(group)
    attempts(
        sitting(centre, reading, "March reading"),
        [
            (ana, C, [(18, 20), (9, 10)]),
            (ben, C, [(5, 20), (2, 10)]),
            (old, C, [(11, 20), (4, 10)]),
            (dan, "marking", [(1, 20), (1, 10)]),
        ],
    )

    sign_in(page, live_server, "teacher@brookside.example.org", PASSWORD)
    page.get_by_role("link", name="Reports").click()
    assert_accessible(page)
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("A group").check()
    page.get_by_label("Group", exact=True).select_option(label="8C")
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_role("heading", name="Group report: 8C")).to_be_visible()
    expect(page.get_by_role("img", name="Score distribution (candidates per band)")).to_be_visible()
    expect(page.get_by_text("1 deactivated candidate left out")).to_be_visible()
    without = _table(page)
    assert [r[0] for r in without] == ["Abel", "Berg", "Dale"]
    assert without[2][7] == "Marking" and without[2][10] == ""
    assert page.locator('[data-figure="scored"]').inner_text() == "2"
    assert_accessible(page)

    page.get_by_label("Include deactivated candidates").check()
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_role("heading", name="Group report: 8C")).to_be_visible()
    with_old = _table(page)
    assert [r[0] for r in with_old] == ["Abel", "Berg", "Dale", "Old"]
    assert with_old[3][3] == "No (deactivated)" and with_old[3][10] == "50.0"
    assert page.locator('[data-figure="scored"]').inner_text() == "3"
    assert page.locator('[data-figure="mean"]').inner_text() == "54.4%"
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as CSV").click()
    path = tmp_path / "report.csv"
    download.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[1:] == with_old

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as PDF (printable)").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Group report: 8C" in text and "Olu Old (deactivated)" in text and "50.0" in text
    assert "Score distribution" in text and "Section profile" in text


def test_a_large_report_is_written_by_a_job_with_a_progress_bar(live_server, page, settings, tmp_path: Path):
    settings.EXAMDESK_REPORT_JOB_THRESHOLD = 1
    centre = CentreFactory(number="75002", name="Parkside School")
    member(centre, Role.VIEWER, email="viewer@parkside.example.org")
    reading = product(centre)
    people = [CandidateFactory(centre=centre, unique_id=f"P{i}", last_name=f"P{i}") for i in range(3)]
    march = sitting(centre, reading, "March reading")
    attempts(march, [(c, C, [(i * 5, 20), (i, 10)]) for i, c in enumerate(people)])

    sign_in(page, live_server, "viewer@parkside.example.org", PASSWORD)
    page.goto(f"{live_server.url}/centres/75002/reports/?scope=sitting&sitting={march.pk}")
    expect(page.get_by_text("This report is large")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Download the report as XLSX (Excel)").click()
    expect(page.locator("progress.job-progress")).to_be_attached()
    download_link = page.get_by_role("link", name="Download report-75002-sitting.xlsx")
    expect(download_link).to_be_visible(timeout=15000)
    assert_accessible(page)
    with page.expect_download() as download:
        download_link.click()
    path = tmp_path / "report.xlsx"
    download.value.save_as(path)
    from openpyxl import load_workbook

    sheet = load_workbook(path)["Candidates"]
    assert [f"{c.value:.1f}" for c in sheet["K"][1:]] == ["0.0", "20.0", "40.0"]
