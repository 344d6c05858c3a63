from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404

from examdesk.catalogue.demo import load_demo_assessments
from examdesk.catalogue.products.selectors import product_section_get, product_sections, product_totals
from examdesk.core.tests.factories import BoardFactory

pytestmark = pytest.mark.django_db


def test_a_products_sections_and_totals_read_once_and_a_foreign_section_is_404(
    settings, tmp_path, django_assert_num_queries
):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    products = load_demo_assessments(BoardFactory())
    reading, dictation = products["RL-Y7"], products["DICT"]
    with django_assert_num_queries(2):  # the sections, then all their items
        sections = list(product_sections(product=reading))
        count, marks = product_totals(sections=sections)
    assert count == sum(section.items.count() for section in sections) and marks > Decimal(0)
    assert product_section_get(product=reading, pk=sections[0].pk) == sections[0]
    foreign = product_sections(product=dictation).first()
    with pytest.raises(Http404):
        product_section_get(product=reading, pk=foreign.pk)
