"""The report pages and files (reports.views): tenancy, the files carry the screen's figures, large reports run
as jobs."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.jobs.models import Job
from examdesk.people.tests.factories import CandidateFactory
from examdesk.reports import selectors
from examdesk.reports.tests.factories import COMPLETED as C
from examdesk.reports.tests.factories import attempts, report_of

pytestmark = pytest.mark.django_db


def test_sitting_report_page_shows_chart_table_and_measures(client, school):
    from examdesk.catalogue.models import MeasureDefinition
    from examdesk.sittings.models import MeasureValue

    typed = MeasureDefinition.objects.create(product=school["reading"], code="typed", label="Typed", kind="number")
    evidence = MeasureDefinition.objects.create(product=school["reading"], code="ev", label="Written work", kind="file")
    attempt = school["march"].attempts.get(candidate__unique_id="A1")
    MeasureValue.objects.create(attempt=attempt, measure=typed, number=Decimal("31.50"))
    MeasureValue.objects.create(attempt=attempt, measure=evidence, file_name="work.pdf", file_path="x/y")
    client.force_login(school["teacher"])
    response = client.get("/centres/74001/reports/", {"scope": "sitting", "sitting": school["march"].pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in body and '<title id="chart-0-title">Score distribution' in body
    assert "<script" not in body.split('id="report-title"')[1]
    assert "31.5" in body and "File on record" in body
    assert "Sitting report: March reading" in body


def test_tenancy(client, school):
    other = CentreFactory(number="74002")
    stranger = member(other, Role.CENTRE_ADMIN, email="s@other.example.org")
    client.force_login(stranger)
    assert client.get("/centres/74001/reports/").status_code == 404
    assert client.get("/centres/74002/reports/", {"scope": "group", "group": school["group"].pk}).status_code == 404
    assert client.get("/centres/74002/reports/", {"scope": "sitting", "sitting": school["march"].pk}).status_code == 404
    url = "/centres/74002/reports/report.csv"
    assert client.get(url, {"scope": "sitting", "sitting": school["march"].pk}).status_code == 404
    response = client.get("/centres/74002/reports/", {"scope": "candidates", "unique_ids": "A1"})
    assert response.status_code == 200 and "Ana" not in response.content.decode()


def test_files_have_the_screen_figures(client, school):
    client.force_login(school["teacher"])
    query = {"scope": "group", "group": school["group"].pk}
    report = report_of(school, scope="group", group_id=school["group"].pk)
    response = client.get("/centres/74001/reports/report.csv", query)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == selectors.header(report)
    assert rows[1:] == [selectors.text_cells(report, r) for r in report.rows]
    xlsx = client.get("/centres/74001/reports/report.xlsx", query)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content))["Candidates"]
    assert [f"{c.value:.1f}" if c.value is not None else "" for c in sheet["K"][1:]] == [
        selectors.shown(r.percentage) for r in report.rows
    ]
    pdf = PdfReader(io.BytesIO(client.get("/centres/74001/reports/report.pdf", query).content))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Group report: 7B" in text and "23.3" in text and "Score distribution" in text


def test_formula_like_text_is_neutralised(client, school):
    CandidateFactory(centre=school["centre"], first_name="=HYPERLINK(1)", last_name="Zed", unique_id="Z1")
    z = school["centre"].candidates.get(unique_id="Z1")
    attempts(school["march"], [(z, C, [(1, 20), (1, 10)])])
    client.force_login(school["teacher"])
    response = client.get("/centres/74001/reports/report.csv", {"scope": "sitting", "sitting": school["march"].pk})
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


@pytest.mark.django_db(transaction=True)
def test_large_report_runs_as_a_job(client, school, settings, django_capture_on_commit_callbacks):
    settings.EXAMDESK_REPORT_JOB_THRESHOLD = 1
    client.force_login(school["teacher"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/centres/74001/reports/report.csv", {"scope": "group", "group": school["group"].pk})
    job = Job.objects.get(kind="reports.export")
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    job.refresh_from_db()
    assert job.status == "succeeded", job.error


def test_candidate_page_draws_progress_as_svg_without_style_or_script(client, school):
    client.force_login(school["teacher"])
    response = client.get("/centres/74001/reports/", {"scope": "candidates", "unique_ids": "A1"})
    body = response.content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and "Progress over sittings" in svg and "<circle" in svg
    assert "style" not in svg and "script" not in svg and "on" + "load" not in svg
    assert "March reading (2026-03-02)" in body and "90.0%" in body
