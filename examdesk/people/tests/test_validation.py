from __future__ import annotations

import pytest

from examdesk.people import validation
from examdesk.people.validation import FieldProblem


@pytest.mark.parametrize(("typed", "stored"), [("  007124 ", "007124"), ("AbC-12", "AbC-12"), ("x" * 100, "x" * 100)])
def test_unique_ids_keep_case_and_zeros(typed, stored):
    assert validation.clean_unique_id(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", "x" * 101])
def test_unique_id_problems(typed):
    with pytest.raises(FieldProblem):
        validation.clean_unique_id(typed)


def test_names_are_stored_nfc():
    decomposed = "Zoe\u0308"  # e + combining diaeresis, as some Macs type it
    assert validation.clean_name(decomposed) == "Zoë"


@pytest.mark.parametrize(
    ("typed", "code"), [("Portugal", "PT"), ("pt", "PT"), ("PRT", "PT"), ("United Kingdom", "GB"), ("", "")]
)
def test_nationality_from_name_or_code(typed, code):
    assert validation.clean_nationality(typed) == code


def test_unknown_nationality_says_how_to_fix():
    with pytest.raises(FieldProblem) as problem:
        validation.clean_nationality("Atlantis")
    assert "two-letter code" in problem.value.fix


@pytest.mark.parametrize(("typed", "code"), [("f", "F"), ("Female", "F"), ("BOY", "M"), ("Not stated", "X"), ("", "")])
def test_gender_words(typed, code):
    assert validation.clean_gender(typed) == code


def test_upn_check_letter():
    assert validation.clean_upn("b801200005001") == "B801200005001"
    with pytest.raises(FieldProblem, match="wrong check letter"):
        validation.clean_upn("A801200005001")
    with pytest.raises(FieldProblem, match="is not a UPN"):
        validation.clean_upn("12345")


def test_an_unknown_gender_is_an_unmatched_value_with_suggestions_and_a_mapping_reads_it():
    with pytest.raises(validation.UnmatchedValue) as problem:
        validation.clean_gender(" Femal ")
    assert (problem.value.value, problem.value.suggestions[0]) == ("Femal", ("F", "Female"))
    assert validation.clean_gender("Femal", mapping={"femal": "F"}) == "F"
    with pytest.raises(validation.UnmatchedValue):
        validation.clean_gender("Femal", mapping={"femal": "Q"})  # a mapping to no gender is not used


@pytest.mark.parametrize(
    ("clean", "typed"),
    [(validation.clean_upn, "A801200005001"), (validation.clean_upn, "12345"), (validation.clean_email, "ana@"),
     (validation.clean_active, "perhaps")],
)  # fmt: skip
def test_an_unreadable_upn_email_or_active_value_is_kept_as_written(clean, typed):
    # An import keeps the row and the value; a form still refuses it (UnmatchedValue is a FieldProblem).
    with pytest.raises(validation.UnmatchedValue) as problem:
        clean(typed)
    assert (problem.value.value, problem.value.suggestions) == (typed, ())


def test_vocabulary_by_code_or_label():
    terms = {"WBRI": "White – British", "N": "No special educational need"}
    assert validation.clean_term("wbri", terms=terms, what="ethnicity") == "WBRI"
    assert validation.clean_term("white british", terms=terms, what="ethnicity") == "WBRI"
    with pytest.raises(FieldProblem, match="not on the ethnicity list"):
        validation.clean_term("Martian", terms=terms, what="ethnicity")


def test_groups_split_and_deduplicate():
    assert validation.clean_groups("7A; 7a, Maths set 1 ,,") == ["7A", "Maths set 1"]


@pytest.mark.parametrize(("typed", "active"), [("Yes", True), ("no", False), ("Deactivated", False), ("", None)])
def test_active_words(typed, active):
    assert validation.clean_active(typed) is active


@pytest.mark.parametrize("address", ["ana@example.org", "ana@bücher.de", "ana@[192.0.2.1]", "ana@localhost"])
def test_addresses_django_accepts_are_accepted_each_time(address):
    # Twice: the second answer comes from the remembered domain verdict.
    assert validation.clean_email(address) == address
    assert validation.clean_email(address) == address


@pytest.mark.parametrize("address", ["ana@exa_mple.org", "ana@example.", "ana@-example.org", "ana@example..org"])
def test_addresses_django_refuses_are_refused_each_time(address):
    for _ in range(2):
        with pytest.raises(validation.UnmatchedValue):
            validation.clean_email(address)
