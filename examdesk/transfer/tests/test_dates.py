"""Dates as people type them: decided for a whole column, never guessed row by row (no database)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from examdesk.transfer import dates
from examdesk.transfer.dates import ColumnDates, DateOrder, infer_column_order, parse_date
from examdesk.transfer.reading import NumberCell
from examdesk.transfer.tests.corpus import naive

D = datetime.date


def _reason(value, order):  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=".") as caught:
        parse_date(value, order)
    return str(caught.value)


# Deciding a column


def test_a_day_above_12_first_settles_day_first_for_the_whole_column():
    column = ["03/04/2014", "13/01/2010", "05/06/2011", None, ""]
    found = infer_column_order(column)
    assert found == ColumnDates(order=DateOrder.DMY, ambiguous=False)
    assert [parse_date(value, found.order) for value in column[:3]] == [D(2014, 4, 3), D(2010, 1, 13), D(2011, 6, 5)]


def test_a_day_above_12_second_settles_month_first_for_the_whole_column():
    column = ["03/04/2014", "01/13/2010", "12/31/2009"]
    found = infer_column_order(column)
    assert found == ColumnDates(order=DateOrder.MDY, ambiguous=False)
    assert [parse_date(value, found.order) for value in column] == [D(2014, 3, 4), D(2010, 1, 13), D(2009, 12, 31)]


def test_a_column_nothing_settles_is_ambiguous_and_the_person_chooses():
    column = ["03/04/2014", "05.06.2011", "1-2-09", "2014-04-03"]
    assert infer_column_order(column) == ColumnDates(order=None, ambiguous=True)
    assert _reason("03/04/2014", None) == dates.DATE_ORDER_UNKNOWN.format(text="03/04/2014")
    assert parse_date("03/04/2014", DateOrder.DMY) == D(2014, 4, 3)
    assert parse_date("03/04/2014", DateOrder.MDY) == D(2014, 3, 4)


def test_a_column_with_both_kinds_follows_the_larger_group_and_the_others_fail():
    column = ["13/01/2010", "25/12/2011", "01/13/2010", "03/04/2014"]
    found = infer_column_order(column)
    assert found == ColumnDates(order=DateOrder.DMY, ambiguous=False, inconsistent=True)
    assert parse_date("03/04/2014", found.order) == D(2014, 4, 3)
    assert _reason("01/13/2010", found.order) == dates.DATE_AGAINST_COLUMN.format(
        text="01/13/2010", order_words="day/month/year", example="31/12/2010", month=13
    )


def test_a_column_with_as_many_of_each_kind_is_asked_about():
    found = infer_column_order(["13/01/2010", "01/13/2010"])
    assert found == ColumnDates(order=None, ambiguous=True, inconsistent=True)
    assert "month/day/year" in _reason("13/01/2010", DateOrder.MDY)


@pytest.mark.parametrize(
    "column",
    [
        ["2014-04-03", "2010/01/13", "2010.01.02"],
        [D(2010, 1, 13), naive(2011, 4, 3, 0, 0)],
        ["3 April 2014", "April 3, 2014"],
        [None, "", "  "],
        [],
        [NumberCell(40179, "40179"), True],
    ],
    ids=["ISO text", "date cells", "month names", "empty", "no values", "not dates"],
)
def test_a_column_that_needs_no_order(column):
    assert infer_column_order(column) == ColumnDates(order=None, ambiguous=False)


# Reading one value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2010, 1, 13), D(2010, 1, 13)),
        (naive(2010, 1, 13, 0, 0), D(2010, 1, 13)),
        (naive(2010, 1, 13, 23, 59), D(2010, 1, 13)),
        ("2010-01-13", D(2010, 1, 13)),
        ("2010/1/3", D(2010, 1, 3)),
        (" 2010-01-13T00:00:00 ", D(2010, 1, 13)),
        ("2010-01-13 00:00", D(2010, 1, 13)),
        ("13/01/2010 00:00", D(2010, 1, 13)),
        ("03.04.2014", D(2014, 4, 3)),
        ("3-4-14", D(2014, 4, 3)),
        ("3/4/2014 10:30 PM", D(2014, 4, 3)),
    ],
)
def test_dates_read_day_first(value, expected):
    assert parse_date(value, DateOrder.DMY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "3 April 2014",
        "April 3, 2014",
        "3 Apr 2014",
        "3-Apr-14",
        "03-APR-2014",
        "3rd April 2014",
        "Thursday, 3 April 2014",
        "Thu 3 Apr. 2014",
        "april 3 2014",
    ],
)
def test_english_month_names_in_any_order_and_case(text):
    for order in (DateOrder.DMY, DateOrder.MDY, None):
        assert parse_date(text, order) == D(2014, 4, 3)


def test_september_has_two_short_names():
    assert parse_date("3 Sept 2014", None) == parse_date("3 Sep 2014", None) == D(2014, 9, 3)


def test_year_first_with_two_digit_years_only_when_chosen():
    assert parse_date("10/03/14", DateOrder.YMD) == D(2010, 3, 14)


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("text", "year"),
    [("01/02/00", 2000), ("01/02/26", 2026), ("01/02/27", 1927), ("01/02/99", 1999), ("3 Apr 09", 2009)],
)
def test_two_digit_years_up_to_this_year_are_this_century(text, year):
    assert parse_date(text, DateOrder.DMY).year == year


@pytest.mark.parametrize(
    ("value", "order", "reason"),
    [
        ("31/02/2014", DateOrder.DMY, '"31/02/2014" was read as 31 February 2014 (day/month/year)'),
        ("02/31/2014", DateOrder.MDY, '"02/31/2014" was read as 31 February 2014 (month/day/year)'),
        ("2014-02-30", None, '"2014-02-30" was read as 30 February 2014 (year-month-day)'),
        ("29 February 2013", None, '"29 February 2013" was read as 29 February 2013,'),
        ("00/01/2014", DateOrder.DMY, '"00/01/2014" was read as 0 January 2014 (day/month/year)'),
    ],
)
def test_impossible_dates_say_what_was_read(value, order, reason):
    message = _reason(value, order)
    assert message.startswith(reason)
    assert message.endswith("a date that does not exist.")


def test_a_month_that_does_not_exist():
    assert _reason("2014-13-01", None) == dates.DATE_NO_SUCH_MONTH.format(
        text="2014-13-01", order_words="year-month-day", month=13
    )


@pytest.mark.parametrize("value", ["40179", "40179.5", NumberCell(40179, "40179")], ids=["text", "fraction", "cell"])
def test_excel_serial_numbers_are_not_dates(value):
    assert _reason(value, DateOrder.DMY) == dates.DATE_IS_A_NUMBER.format(text="40179" if value != "40179.5" else value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, dates.DATE_EMPTY),
        ("  ", dates.DATE_EMPTY),
        ("soon", dates.DATE_NOT_READABLE.format(text="soon")),
        ("13/13/2010", dates.DATE_NOT_READABLE.format(text="13/13/2010")),
        ("3 März 2014", dates.DATE_NOT_READABLE.format(text="3 März 2014")),  # English month names only
        ("3/4", dates.DATE_NOT_READABLE.format(text="3/4")),
        (True, dates.DATE_NOT_READABLE.format(text="TRUE")),
    ],
)
def test_values_that_are_not_dates(value, message):
    assert _reason(value, DateOrder.DMY) == message


def test_a_value_that_settles_itself_needs_no_column_order():
    assert parse_date("13/01/2010", None) == D(2010, 1, 13)
    assert parse_date("01/13/2010", None) == D(2010, 1, 13)


# Properties

SEPARATORS = st.sampled_from(["/", ".", "-"])
BIRTH_DATES = st.dates(min_value=D(1900, 1, 1), max_value=D(2099, 12, 31))


@st.composite
def written_dates(draw, order):  # type: ignore[no-untyped-def]
    day = draw(st.sampled_from(["{d.day}", "{d.day:02d}"]))
    month = draw(st.sampled_from(["{d.month}", "{d.month:02d}"]))
    separator = draw(SEPARATORS)
    parts = [day, month] if order is DateOrder.DMY else [month, day]
    return separator.join([*parts, "{d.year:04d}"])


@given(st.lists(BIRTH_DATES, min_size=1, max_size=20), st.sampled_from([DateOrder.DMY, DateOrder.MDY]), st.data())
def test_a_column_written_in_one_order_is_never_read_in_the_other(values, order, data):
    pattern = data.draw(written_dates(order))
    column = [pattern.format(d=value) for value in values]
    found = infer_column_order(column)
    assert found.order in (order, None)
    assert not found.inconsistent
    assert found.ambiguous == (found.order is None)
    assert [parse_date(text, order) for text in column] == values


@given(BIRTH_DATES, SEPARATORS)
def test_year_first_reads_back_in_any_order(value, separator):
    text = f"{value.year:04d}{separator}{value.month:02d}{separator}{value.day:02d}"
    assert parse_date(text, None) == parse_date(text, DateOrder.MDY) == value


@given(BIRTH_DATES, st.booleans(), st.booleans())
def test_month_names_read_back_whatever_the_column_order(value, short, month_first):
    name = dates.MONTH_NAMES[value.month - 1]
    name = name[:3] if short else name
    text = f"{name} {value.day}, {value.year}" if month_first else f"{value.day} {name} {value.year}"
    assert parse_date(text, DateOrder.DMY) == parse_date(text, DateOrder.MDY) == value
