"""The report's figures (reports.selectors): who is in it, how scores and progress are computed, at a fixed
number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from examdesk.people.tests.factories import CandidateFactory
from examdesk.reports import selectors
from examdesk.reports.tests.factories import COMPLETED as C
from examdesk.reports.tests.factories import attempts, report_of
from examdesk.sittings.tests.fixtures import product

pytestmark = pytest.mark.django_db


def test_group_report_scores_completed_attempts_and_leaves_out_deactivated(school):
    report = report_of(school, scope="group", group_id=school["group"].pk)
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

    included = report_of(school, scope="group", group_id=school["group"].pk, include_deactivated=True)
    assert "Cat Cole" in [r.name for r in included.rows]
    assert included.scored == 4 and included.candidates == 4


def test_filters_by_product_and_dates_in_the_centre_zone(school):
    report = report_of(school, scope="group", group_id=school["group"].pk, date_from=date(2026, 6, 1))
    assert [r.sitting for r in report.rows] == ["June reading"]
    other = product(school["centre"], code="MATHS", name="Maths")
    assert report_of(school, scope="group", group_id=school["group"].pk, product_id=other.pk).rows == []


def test_candidate_report_has_progress_over_sittings(school):
    report = report_of(school, scope="candidates", unique_ids=("A1", "ZZ9"))
    assert report.is_single_candidate
    assert [(p.label, p.shown) for p in report.progress] == [
        ("March reading (2026-03-02)", "90.0%"),
        ("June reading (2026-06-01)", "100.0%"),
    ]
    assert any("ZZ9" in n for n in report.notes)


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
    before = report_of(school, scope="sitting", sitting_id=school["march"].pk)
    assert [selectors.shown(r.percentage) for r in before.rows if r.unique_id == "B1"] == ["23.3"]
    mark_override(actor=school["teacher"], item_mark=mark, awarded=Decimal(15), reason="Answer was legible")
    after = report_of(school, scope="sitting", sitting_id=school["march"].pk)
    row = next(r for r in after.rows if r.unique_id == "B1")
    assert (row.raw, row.max, selectors.shown(row.percentage)) == (Decimal(17), Decimal(30), "56.7")
    assert selectors.shown(row.sections[reading.section_id]) == "75.0"
