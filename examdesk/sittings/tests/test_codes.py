"""Access codes: well formed, hard to guess, forgiving of how people type them."""

from __future__ import annotations

import pytest

from examdesk.sittings import codes

pytestmark = pytest.mark.django_db


def test_codes_are_well_formed_unguessable_and_forgiving():
    drawn = {codes.new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(codes.is_well_formed(c) for c in drawn)
    assert not set("".join(drawn)) & set("0O1IL2Z5S8BG")
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2**40
    code = next(iter(drawn))
    assert codes.normalise(" " + codes.group(code).lower().replace("-", " - ") + " ") == code
