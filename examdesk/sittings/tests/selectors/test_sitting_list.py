from __future__ import annotations

import pytest

from examdesk.sittings.selectors import (
    attempt_list_live,
    attempt_list_with_progress,
    ledger_list,
    measure_values_by_attempt,
    product_credit_list,
    sitting_list,
)
from examdesk.sittings.tests.selectors.support import centre_with_sitting

pytestmark = pytest.mark.django_db


def test_sitting_list_counts_candidates_in_one_query_however_many_sittings(django_assert_num_queries):
    mine = centre_with_sitting(candidates=3)
    centre_with_sitting(centre=mine.centre, candidates=2)
    with django_assert_num_queries(1):
        rows = [(s.product.name, s.candidates, s.started) for s in sitting_list(centre=mine.centre)]
    assert sorted(r[1] for r in rows) == [2, 3]
    assert all(r[2] == 0 for r in rows)


def test_attempt_lists_do_not_grow_with_the_sitting(django_assert_num_queries):
    small, large = centre_with_sitting(candidates=1), centre_with_sitting(candidates=6)
    for made in (small, large):
        with django_assert_num_queries(1):
            names = [
                (a.candidate.full_name, a.sections_total) for a in attempt_list_with_progress(sitting=made.sitting)
            ]
        assert all(total == 2 for _, total in names)
        with django_assert_num_queries(1):
            assert all(a.candidate.unique_id for a in attempt_list_live(sitting=made.sitting))
        with django_assert_num_queries(1):
            measure_values_by_attempt(sitting=made.sitting)


def test_ledger_list_names_its_rows_in_one_query(django_assert_num_queries):
    mine = centre_with_sitting(candidates=4)
    with django_assert_num_queries(1):
        rows = [(e.product.name, e.sitting, e.actor) for e in ledger_list(centre=mine.centre)]
    assert len(rows) == 1 + 4  # the allocation, then one reservation per candidate


def test_product_credit_list_reads_allocations_and_balances_in_two_queries(django_assert_num_queries):
    mine = centre_with_sitting(candidates=4)
    centre_with_sitting(centre=mine.centre)
    with django_assert_num_queries(2):
        rows = product_credit_list(centre=mine.centre)
    assert sorted(row.available for row in rows) == [96, 98]
