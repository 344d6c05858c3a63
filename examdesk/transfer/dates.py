"""Dates as people type them, read the same way on every server and in every browser.

Real date cells are dates. Year-first text (2014-04-03, 2014/04/03) is always read as such, and so are English
month names (3 April 2014, April 3, 2014, 3-Apr-14), whatever the server's locale. Other text (3/4/2014,
03.04.2014, 3-4-14) is day-first or month-first, and that is decided once for the whole column from its
values: a first number above 12 can only be a day (day first), a second number above 12 can only be a day
(month first). When no value settles it, the column is ambiguous and the caller asks the person; nothing is
guessed row by row.

Two-digit years: 00 up to this year's last two digits are 2000s, the rest 1900s (in 2026, "26" is 2026 and
"27" is 1927), which suits dates of birth.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from examdesk.transfer.reading import Cell, NumberCell


class DateOrder(StrEnum):
    DMY = "dmy"
    MDY = "mdy"
    YMD = "ymd"


ORDER_WORDS = {DateOrder.DMY: "day/month/year", DateOrder.MDY: "month/day/year", DateOrder.YMD: "year/month/day"}
ORDER_EXAMPLES = {DateOrder.DMY: "31/12/2010", DateOrder.MDY: "12/31/2010", DateOrder.YMD: "2010/12/31"}
# English names, never the locale's (calendar.month_name follows the locale).
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_BY_NAME = {
    **{name.casefold(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3].casefold(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
WEEKDAY_NAMES = {
    name
    for full in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for name in (full, full[:3])
}

# Messages for people (the reason a date is refused). Placeholders are filled with str.format.
DATE_EMPTY = "No date was given."
DATE_NOT_READABLE = (
    '"{text}" is not a date we can read. Write dates as day/month/year (31/12/2010), '
    "as year-month-day (2010-12-31) or with the month's name (31 December 2010)."
)
DATE_IS_A_NUMBER = (
    '"{text}" is a number, not a date (a spreadsheet may have shown it as a date). '
    "Format the column as dates, or type the date as 31/12/2010 or 2010-12-31."
)
DATE_DOES_NOT_EXIST = '"{text}" was read as {reading}, a date that does not exist.'
DATE_NO_SUCH_MONTH = '"{text}" was read as {order_words}, but there is no month {month}.'
DATE_AGAINST_COLUMN = (
    '"{text}" does not fit the rest of this column, which is written {order_words} (like {example}): '
    "read that way its month would be {month}. Check this date."
)
DATE_ORDER_UNKNOWN = (
    '"{text}" could be day/month/year or month/day/year. Choose which order the dates in this column are written in.'
)

# A time of day after a date ("03/04/2014 00:00", "2014-04-03T00:00:00") says nothing about the date: drop it.
_TIME_OF_DAY = re.compile(
    r"(?:[Tt]|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?$"
)
_YEAR_FIRST = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")
_WORD_SEPARATORS = re.compile(r"[\s,./\-]+")
_DAY_TOKEN = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR_TOKEN = re.compile(r"\d{4}|\d{2}")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


@dataclass
class ColumnDates:
    order: DateOrder | None  # None when every text value is ISO/real date cells, the column is empty, or it is a tie
    ambiguous: bool  # True when text values fit both DMY and MDY and nothing settles it: ask the person
    # True when some values can only be day-first and others only month-first. The larger group gives the
    # order and the others fail in parse_date; when the groups are the same size, `ambiguous` is True as well.
    inconsistent: bool = False


class _Numeric(NamedTuple):
    first: int
    second: int
    year: str  # as written: two or four digits


def infer_column_order(values: Iterable[Cell]) -> ColumnDates:
    """Day-first or month-first, for a whole column of dates, from the values that can only be read one way.

    Never YMD: year-first text (2014-04-03) needs no order. YMD exists for a person to choose for a column of
    two-digit years written first (14/04/03).
    """
    day_first = month_first = undecided = 0
    for value in values:
        parts = _numeric_parts(value) if isinstance(value, str) else None
        if parts is None:
            continue
        first, second = parts.first, parts.second
        if 12 < first <= 31 and second <= 12:
            day_first += 1
        elif 12 < second <= 31 and first <= 12:
            month_first += 1
        elif first <= 12 and second <= 12:
            undecided += 1
    if day_first and month_first:
        if day_first == month_first:
            return ColumnDates(order=None, ambiguous=True, inconsistent=True)
        majority = DateOrder.DMY if day_first > month_first else DateOrder.MDY
        return ColumnDates(order=majority, ambiguous=False, inconsistent=True)
    if day_first:
        return ColumnDates(order=DateOrder.DMY, ambiguous=False)
    if month_first:
        return ColumnDates(order=DateOrder.MDY, ambiguous=False)
    return ColumnDates(order=None, ambiguous=undecided > 0)


def parse_date(value: Cell, order: DateOrder | None) -> datetime.date:
    """The date in a cell, reading numeric text in the column's order; ValueError with a message for people."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(DATE_EMPTY)
    if isinstance(value, NumberCell):
        raise ValueError(DATE_IS_A_NUMBER.format(text=value.text))
    if isinstance(value, bool):
        raise ValueError(DATE_NOT_READABLE.format(text="TRUE" if value else "FALSE"))
    return _parse_text(value.strip(), order)


def _parse_text(text: str, order: DateOrder | None) -> datetime.date:
    date_part = _TIME_OF_DAY.sub("", text)
    year_first = _YEAR_FIRST.fullmatch(date_part)
    if year_first:
        year, _, month, day = year_first.groups()
        return _make_date(text, int(year), int(month), int(day), "year-month-day")
    parts = _numeric_parts(text)
    if parts is not None:
        return _parse_numeric(text, parts, order)
    named = _parse_month_name(text, date_part)
    if named is not None:
        return named
    if _NUMBER.fullmatch(text):
        raise ValueError(DATE_IS_A_NUMBER.format(text=text))
    raise ValueError(DATE_NOT_READABLE.format(text=text))


def _numeric_parts(text: str) -> _Numeric | None:
    match = _NUMERIC.fullmatch(_TIME_OF_DAY.sub("", text.strip()))
    if match is None:
        return None
    first, _, second, year = match.groups()
    return _Numeric(int(first), int(second), year)


def _parse_numeric(text: str, parts: _Numeric, order: DateOrder | None) -> datetime.date:
    first, second = parts.first, parts.second
    if first > 12 and second > 12 and order is not DateOrder.YMD:
        raise ValueError(DATE_NOT_READABLE.format(text=text))  # neither number can be the month
    if order is None:
        # Only a value that cannot be read the other way needs no order (the column gave none).
        if first > 12:
            order = DateOrder.DMY
        elif second > 12:
            order = DateOrder.MDY
        else:
            raise ValueError(DATE_ORDER_UNKNOWN.format(text=text))
    if order is DateOrder.YMD:
        if len(parts.year) != 2:
            raise ValueError(DATE_NOT_READABLE.format(text=text))
        year, month, day = _full_year(first), second, int(parts.year)
    else:
        day, month = (first, second) if order is DateOrder.DMY else (second, first)
        year = _full_year(int(parts.year)) if len(parts.year) == 2 else int(parts.year)
        if month > 12:
            raise ValueError(
                DATE_AGAINST_COLUMN.format(
                    text=text, order_words=ORDER_WORDS[order], example=ORDER_EXAMPLES[order], month=month
                )
            )
    return _make_date(text, year, month, day, ORDER_WORDS[order])


def _parse_month_name(text: str, date_part: str) -> datetime.date | None:
    """3 April 2014, 3rd Apr 2014, 3-Apr-14, April 3, 2014, Thursday 3 April 2014; None if not of that shape."""
    tokens = [token for token in _WORD_SEPARATORS.split(date_part.casefold()) if token]
    if tokens and tokens[0] in WEEKDAY_NAMES:
        tokens = tokens[1:]
    if len(tokens) != 3 or not _YEAR_TOKEN.fullmatch(tokens[2]):
        return None
    if tokens[1] in MONTHS_BY_NAME:
        day_token, month_token = tokens[0], tokens[1]
    elif tokens[0] in MONTHS_BY_NAME:
        month_token, day_token = tokens[0], tokens[1]
    else:
        return None
    day = _DAY_TOKEN.fullmatch(day_token)
    if day is None:
        return None
    year = int(tokens[2]) if len(tokens[2]) == 4 else _full_year(int(tokens[2]))
    return _make_date(text, year, MONTHS_BY_NAME[month_token], int(day.group(1)), None)


def _make_date(text: str, year: int, month: int, day: int, order_words: str | None) -> datetime.date:
    """The date, or a ValueError that says how the text was read: '31 February 2014 (day/month/year)'."""
    if not 1 <= month <= 12:
        raise ValueError(DATE_NO_SUCH_MONTH.format(text=text, order_words=order_words, month=month))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        reading = f"{day} {MONTH_NAMES[month - 1]} {year}" + (f" ({order_words})" if order_words else "")
        raise ValueError(DATE_DOES_NOT_EXIST.format(text=text, reading=reading)) from None


def _full_year(two_digits: int) -> int:
    """00 up to this year's last two digits: this century; later numbers: the century before."""
    this_year = datetime.datetime.now(datetime.UTC).year
    century = this_year - this_year % 100
    return century + two_digits if two_digits <= this_year % 100 else century - 100 + two_digits
