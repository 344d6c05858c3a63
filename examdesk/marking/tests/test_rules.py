from decimal import Decimal

import pytest

from examdesk.marking.rules import award, is_correct, normalise_text, parse_number


@pytest.mark.parametrize(
    ("answer", "right"),
    [("b", True), ("a", False), ("B", False), (None, False), ("", False), (["b"], False)],
)
def test_single_choice_is_the_key(answer, right):
    assert is_correct("single", "b", answer) is right


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        (["a", "c"], True),
        (["c", "a"], True),
        (["a"], False),  # all or nothing: one missing scores 0
        (["a", "b", "c"], False),  # one extra scores 0
        (["a", "a", "c"], False),
        ([], False),
        ("a", False),
    ],
)
def test_multiple_choice_is_exactly_the_key_set(answer, right):
    assert is_correct("multiple", ["a", "c"], answer) is right


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("colour", True),
        ("Color", True),
        ("  COLOUR  ", True),
        ("colour.", True),  # a trailing full stop is ignored
        ("ｃｏｌｏｕｒ", True),  # full-width letters (NFKC)
        ("colours", False),
        ("col our", False),
        ("", False),
        (".", False),
    ],
)
def test_short_text_any_accepted_answer_after_normalisation(answer, right):
    assert is_correct("short_text", ["colour", "color"], answer) is right


def test_short_text_normalisation():
    assert normalise_text("  New \t  York\n ") == "new york"
    assert normalise_text("STRASSE") == normalise_text("straße")  # case-folded
    assert normalise_text("Cafe\u0301") == normalise_text("Café")  # composed and decomposed accents
    assert normalise_text("don\u2019t") == "don't"  # typographic apostrophe
    assert normalise_text("Paris...") == "paris"
    assert is_correct("short_text", ["New York"], "new   york.")


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("3.5", True),
        ("3,5", True),  # decimal comma
        (" 3.51 ", True),  # within the tolerance
        ("3.52", False),
        ("3,49", True),
        ("3.5.1", False),
        ("1,000.5", False),
        ("three", False),
        ("", False),
        (None, False),
    ],
)
def test_numeric_within_tolerance(answer, right):
    assert is_correct("numeric", {"value": 3.5, "tolerance": 0.01}, answer) is right


def test_numeric_forms():
    assert parse_number("\u22122,5") == Decimal("-2.5")
    assert parse_number("+4") == Decimal(4)
    assert parse_number(".5") == Decimal("0.5")
    assert parse_number("1 000") is None
    assert is_correct("numeric", {"value": 10}, "10")
    assert not is_correct("numeric", {"value": 10}, "10.001")


def test_award_is_all_marks_or_nothing():
    assert award(kind="single", key="a", marks=Decimal(2), answer="a") == 2
    assert award(kind="single", key="a", marks=Decimal(2), answer=None) == 0
