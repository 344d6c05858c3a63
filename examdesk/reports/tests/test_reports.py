from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from examdesk.centres.models import Role
from examdesk.core.tests.factories import CentreFactory, member
from examdesk.jobs.models import Job
from examdesk.people.models import Group
from examdesk.people.tests.factories import CandidateFactory
from examdesk.reports import selectors
from examdesk.reports.tests.factories import attempts, sitting
from examdesk.sittings.tests.fixtures import product

pytestmark = pytest.mark.django_db
C = "completed"


@pytest.fixture
def school():
    centre = CentreFactory(number="74001", name="Hillside School")
    teacher = member(centre, Role.TEACHER, email="t@hillside.example.org")
    reading = product(centre)
    group = Group.objects.create(centre=centre, name="7B")
    ana = CandidateFactory(centre=centre, first_name="Ana", last_name="Abel", unique_id="A1")
    ben = CandidateFactory(centre=centre, first_name="Ben", last_name="Berg", unique_id="B1")
    cat = CandidateFactory(centre=centre, first_name="Cat", last_name="Cole", unique_id="C1", is_active=False)
    dan = CandidateFactory(centre=centre, first_name="Dan", last_name="Dale", unique_id="D1")
    eve = CandidateFactory(centre=centre, first_name="Eve", last_name="Egan", unique_id="E1")
    for c in (ana, ben, cat, dan, eve):
        c.groups.add(group)
    march = sitting(centre, reading, "March reading")
    attempts(
        march,
        [
            (ana, C, [(18, 20), (9, 10)]),  # 90.0 %
            (ben, C, [(5, 20), (2, 10)]),  # 23.3 %
            (cat, C, [(10, 20), (5, 10)]),  # 50.0 %, deactivated
            (dan, "in_progress", [(10, 20)]),
            (eve, "void", None),
        ],
    )
    june = sitting(centre, reading, "June reading", opens=date(2026, 6, 1))
    attempts(june, [(ana, C, [(20, 20), (10, 10)]), (eve, "expired", None)])
    return {"centre": centre, "teacher": teacher, "group": group, "march": march, "june": june, "reading": reading}


def _report(school, **criteria):
    return selectors.report_build(centre=school["centre"], criteria=selectors.Criteria(**criteria))


def test_group_report_scores_completed_attempts_and_leaves_out_deactivated(school):
    report = _report(school, scope="group", group_id=school["group"].pk)
    assert [(r.name, r.sitting, selectors.shown(r.percentage)) for r in report.rows] == [
        ("Ana Abel", "March reading", "90.0"),
        ("Ana Abel", "June reading", "100.0"),
        ("Ben Berg", "March reading", "23.3"),
        ("Dan Dale", "March reading", ""),
    ]
    assert report.states == {"Completed": 3, "In progress": 1}
    assert report.scored == 3 and report.mean == Decimal("71.1")
    assert [p.shown for p in report.distribution] == ["0", "0", "1", "0", "0", "0", "0", "0", "0", "2"]
    assert report.distribution[-1].label == "90–100%"
    assert [(p.label, p.shown) for p in report.section_means] == [
        ("Reading", "71.7% (3 candidates)"),
        ("Listening", "70.0% (3 candidates)"),
    ]
    assert any("1 deactivated candidate left out" in n for n in report.notes)
    assert any("1 expired attempt and 1 void attempt" in n for n in report.notes)

    included = _report(school, scope="group", group_id=school["group"].pk, include_deactivated=True)
    assert "Cat Cole" in [r.name for r in included.rows]
    assert included.scored == 4 and included.candidates == 4


def test_filters_by_product_and_dates_in_the_centre_zone(school):
    report = _report(school, scope="group", group_id=school["group"].pk, date_from=date(2026, 6, 1))
    assert [r.sitting for r in report.rows] == ["June reading"]
    other = product(school["centre"], code="MATHS", name="Maths")
    assert _report(school, scope="group", group_id=school["group"].pk, product_id=other.pk).rows == []


def test_candidate_report_has_progress_over_sittings(school):
    report = _report(school, scope="candidates", unique_ids=("A1", "ZZ9"))
    assert report.is_single_candidate
    assert [(p.label, p.shown) for p in report.progress] == [
        ("March reading (2026-03-02)", "90.0%"),
        ("June reading (2026-06-01)", "100.0%"),
    ]
    assert any("ZZ9" in n for n in report.notes)


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
    report = _report(school, scope="group", group_id=school["group"].pk)
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


def _candidates(centre, group, how_many, start):
    made = [
        CandidateFactory(centre=centre, unique_id=f"Q{start + i}", first_name=f"N{i}", last_name="Q")
        for i in range(how_many)
    ]
    group.candidates.add(*made)
    return made


def test_query_count_does_not_grow_with_candidates(school, django_assert_max_num_queries):
    from examdesk.catalogue.models import MeasureDefinition

    MeasureDefinition.objects.create(product=school["reading"], code="c", label="Comment", kind="text")
    centre, group = school["centre"], school["group"]
    criteria = selectors.Criteria(scope="group", group_id=group.pk)
    with django_assert_max_num_queries(12) as small:
        selectors.report_build(centre=centre, criteria=criteria)
    more = _candidates(centre, group, 60, 0)
    attempts(school["june"], [(c, C, [(i % 20, 20), (i % 10, 10)]) for i, c in enumerate(more)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        report = selectors.report_build(centre=centre, criteria=criteria)
    assert report.scored == 63


def test_a_staff_override_changes_the_reported_score(school):
    from django.utils import timezone

    from examdesk.catalogue.models import Item
    from examdesk.marking.models import ItemMark
    from examdesk.marking.services import mark_override

    attempt = school["march"].attempts.get(candidate__unique_id="B1")
    reading = attempt.sections.get(section__title="Reading")
    item = Item.objects.create(section=reading.section, code="R1", kind="single", prompt="?", key="a", marks=20)
    mark = ItemMark.objects.create(
        attempt_section=reading, item=item, auto_awarded=Decimal(5), max=Decimal(20), at=timezone.now()
    )
    before = _report(school, scope="sitting", sitting_id=school["march"].pk)
    assert [selectors.shown(r.percentage) for r in before.rows if r.unique_id == "B1"] == ["23.3"]
    mark_override(actor=school["teacher"], item_mark=mark, awarded=Decimal(15), reason="Answer was legible")
    after = _report(school, scope="sitting", sitting_id=school["march"].pk)
    row = next(r for r in after.rows if r.unique_id == "B1")
    assert (row.raw, row.max, selectors.shown(row.percentage)) == (Decimal(17), Decimal(30), "56.7")
    assert selectors.shown(row.sections[reading.section_id]) == "75.0"


def test_candidate_page_draws_progress_as_svg_without_style_or_script(client, school):
    client.force_login(school["teacher"])
    response = client.get("/centres/74001/reports/", {"scope": "candidates", "unique_ids": "A1"})
    body = response.content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and "Progress over sittings" in svg and "<circle" in svg
    assert "style" not in svg and "script" not in svg and "on" + "load" not in svg
    assert "March reading (2026-03-02)" in body and "90.0%" in body


@pytest.mark.parametrize(("largest", "top"), [(0, 2), (1, 2), (3, 4), (5, 6), (7, 10), (11, 20), (950, 1000)])
def test_count_scale_tops_are_even(largest, top):
    from examdesk.reports.charts import _top

    assert _top([Decimal(largest)]) == top
