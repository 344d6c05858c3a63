"""Matching a file's headings to fields in any order, case, spacing and punctuation (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examdesk.transfer.headers import HeaderMatch, match_headers, normalise_header

ALIASES = {
    "unique_id": ["Unique ID", "ID", "Candidate ID", "Student ID", "UPN ID"],
    "first_name": ["First name", "Forename", "Given name"],
    "last_name": ["Last name", "Surname", "Family name"],
    "date_of_birth": ["Date of birth", "DOB", "Birth date"],
    "gender": ["Gender", "Sex"],
    "email": ["E-mail", "Email address"],
    "groups": ["Groups", "Group", "Class"],
}
REQUIRED = {"unique_id", "first_name", "last_name"}


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Date of birth (dd/mm/yyyy)", "dateofbirth"),
        ("Date of Birth (DD/MM/YYYY)", "dateofbirth"),
        ("DATE_OF_BIRTH", "dateofbirth"),
        ("date-of-birth", "dateofbirth"),
        ("DOB [optional] (dd/mm/yy)", "dob"),
        ("  E-mail  ", "email"),
        ("First name*", "firstname"),
        ("Ｆｉｒｓｔ　ｎａｍｅ", "firstname"),  # full-width letters and space, as some IMEs type them
        ("Unique ID (required)", "uniqueid"),
        ("(notes)", "notes"),  # a hint alone is the heading
        ("Straße", "strasse"),
        ("Prénom", "prénom"),  # accents are kept
        ("", ""),
        (" - ", ""),
    ],
)
def test_normalise_header(text, normalised):
    assert normalise_header(text) == normalised


def test_shuffled_and_oddly_cased_headings_match():
    headers = ["SURNAME", "date of birth (DD/MM/YYYY)", "unique_id", "first-name", " e.mail "]
    match = match_headers(headers, ALIASES, REQUIRED)
    assert match == HeaderMatch(
        columns={"last_name": 0, "date_of_birth": 1, "unique_id": 2, "first_name": 3, "email": 4},
        unknown=[],
        duplicates=[],
        missing=[],
    )


def test_legacy_template_headings_match():
    headers = ["Forename", "Surname", "DOB", "Sex", "Class", "Ethnicity", "SEN", "UPN"]
    match = match_headers(headers, ALIASES, REQUIRED)
    assert match.columns == {"first_name": 0, "last_name": 1, "date_of_birth": 2, "gender": 3, "groups": 4}
    assert match.unknown == ["Ethnicity", "SEN", "UPN"]
    assert match.missing == ["unique_id"]


def test_unknown_headings_are_listed_as_written_and_empty_ones_ignored():
    match = match_headers(["ID", "", "  Favourite colour ", "First name", "Last name", "  "], ALIASES, REQUIRED)
    assert match.unknown == ["Favourite colour"]
    assert match.columns == {"unique_id": 0, "first_name": 3, "last_name": 4}


def test_two_columns_for_one_field_are_duplicates():
    headers = ["ID", "First name", "Last name", "Candidate ID", "Forename", "Unique ID"]
    match = match_headers(headers, ALIASES, REQUIRED)
    assert match.duplicates == ["unique_id", "first_name"]
    assert match.duplicate_columns == {"unique_id": [0, 3, 5], "first_name": [1, 4]}
    assert match.columns["unique_id"] == 0


def test_missing_required_fields_come_in_the_order_of_the_aliases():
    match = match_headers(["Group", "Gender"], ALIASES, {"last_name", "unique_id", "upn"})
    assert match.missing == ["unique_id", "last_name", "upn"]


def test_one_alias_for_two_fields_is_a_programming_error():
    with pytest.raises(ValueError, match="would mean both 'groups' and 'qualification'"):
        match_headers(["ID"], {"groups": ["Class"], "qualification": ["CLASS"]}, set())


@st.composite
def disguised(draw, alias):  # type: ignore[no-untyped-def]
    """The alias as people retype it: any case, with spaces, underscores, hyphens, dots or stars anywhere."""
    characters = [draw(st.sampled_from([c.lower(), c.upper()])) for c in alias]
    return "".join(
        character + draw(st.sampled_from(["", "", " ", "_", "-", ".", "*", "  "])) for character in characters
    )


@given(st.data())
def test_any_spelling_of_an_alias_matches_its_field(data):
    field = data.draw(st.sampled_from(sorted(ALIASES)))
    heading = data.draw(disguised(data.draw(st.sampled_from(ALIASES[field]))))
    assert match_headers([heading], ALIASES, set()).columns == {field: 0}


@given(st.text())
def test_normalising_is_idempotent(text):
    assert normalise_header(normalise_header(text)) == normalise_header(text)
