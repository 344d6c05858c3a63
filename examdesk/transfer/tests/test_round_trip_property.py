"""Property: whatever the register holds, its export imports back unchanged (CSV and XLSX)."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examdesk.core.tests.factories import BoardFactory, CentreFactory
from examdesk.people.models import Candidate
from examdesk.people.services import CandidateData, candidates_upsert
from examdesk.transfer.candidate_export import candidate_export
from examdesk.transfer.candidate_import import candidate_import_preview

pytestmark = pytest.mark.django_db

CENTRE_NUMBERS = count(900000)
# Any Unicode a person could type: no control characters or lone surrogates, no private-use oddities.
typed = (
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=40)
    .map(lambda text: unicodedata.normalize("NFC", text).strip())
    .filter(bool)
)
formula_like = st.sampled_from(["=1+1", "+44 20 7946 0000", "-5", "@handle", "'=x", "''+y", '=HYPERLINK("x")'])
group_name = typed.filter(lambda name: "," not in name and ";" not in name and len(name) <= 100)


@st.composite
def candidates(draw):
    ids = draw(st.lists(st.one_of(typed, formula_like, st.from_regex(r"0[0-9]{3,8}", fullmatch=True)),
                        min_size=1, max_size=8, unique=True))  # fmt: skip
    return [
        CandidateData(
            unique_id=unique_id[:100],
            first_name=draw(st.one_of(typed, formula_like))[:100],
            last_name=draw(typed)[:100],
            date_of_birth=draw(st.none() | st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31))),
            gender=draw(st.sampled_from(["", "F", "M", "X"])),
            nationality=draw(st.sampled_from(["", "GB", "PT", "UA", "NG"])),
            email=draw(st.sampled_from(["", "a.b@example.org"])),
            groups=draw(st.lists(group_name, max_size=3, unique_by=str.casefold)),
            is_active=draw(st.booleans()),
        )
        for unique_id in ids
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=candidates())
def test_what_is_exported_imports_back_unchanged(rows):
    centre = CentreFactory(board=BoardFactory(), number=str(next(CENTRE_NUMBERS)))
    candidates_upsert(centre=centre, rows=rows)
    assert Candidate.objects.filter(centre=centre).count() == len(rows)
    for fmt in ("csv", "xlsx"):
        out = io.BytesIO()
        candidate_export(centre=centre, fmt=fmt, include_deactivated=True, out=out)
        preview = candidate_import_preview(centre=centre, data=out.getvalue())
        problems = [(p.column, p.value, p.reason) for p in preview.evaluation.problems]
        assert (preview.unchanged, preview.new, preview.updated, problems) == (len(rows), 0, 0, []), fmt
