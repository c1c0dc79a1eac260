"""Dates with their precision: a year, a month or a day, never filled in from today."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from agreements.errors import InvalidInput


class DateOrder(StrEnum):
    DMY = "DMY"
    MDY = "MDY"


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    _text: str = field(init=False, repr=False, compare=False)
    """The ISO form, made once: records and keys ask for it again and again."""

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999:
            raise ValueError(f"the year {self.year} is out of range: dates run from 1000 to 9999")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            object.__setattr__(self, "_text", f"{self.year:04d}")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        if self.day is None:
            object.__setattr__(self, "_text", f"{self.year:04d}-{self.month:02d}")
            return
        days = _days_in_month(self.year, self.month)
        if not 1 <= self.day <= days:
            name = calendar.month_name[self.month]
            raise ValueError(f"{name} {self.year} has {days} days, not {self.day}")
        object.__setattr__(self, "_text", f"{self.year:04d}-{self.month:02d}-{self.day:02d}")

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or _days_in_month(self.year, month))

    def __str__(self) -> str:
        return self._text

    def readable(self) -> str:
        """The date as people write it: "2 October 2012", "October 2012", "2012"."""
        if self.month is None:
            return str(self.year)
        month = _MONTHS[self.month]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    def prepositional(self) -> str:
        """The readable date after "on" or "in": "on 2 October 2012", "in 2012"."""
        return f"{'in' if self.day is None else 'on'} {self.readable()}"


_MONTHS = tuple(calendar.month_name)
"""The names of the months, looked up once: `calendar.month_name` formats a date each time."""
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month - 1]


_STORED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_NUMERIC = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[./-](\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})[./](\d{1,2})")
_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9
_WORDS_ALLOWED = {"of", "the", "st", "nd", "rd", "th"}
_TOKEN = re.compile(r"[^\W\d_]+|\d+|\S")
_SEPARATORS = {",", "."}


def _build(text: str, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    try:
        return PartialDate(year, month, day)
    except ValueError as error:
        raise InvalidInput(f"{text!r} is not a real date: {error}") from None


def parse_iso(text: str) -> PartialDate:
    """Read the stored form: YYYY, YYYY-MM or YYYY-MM-DD, nothing else."""
    match = _STORED.fullmatch(text)
    if match is None:
        raise InvalidInput(f"{text!r} is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    return _build(text, year, month, day)


_ISO_MIDNIGHT = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?")
"""An ISO date-time at midnight, "1975-03-01T00:00:00Z": the day it names. Any other
time of day is refused, since the day it falls on depends on a time zone."""


def parse_date(text: str, order: DateOrder | None = None) -> PartialDate:
    """Read a date typed by a person, refusing anything that would need a guess.

    Accepts ISO dates (full or partial, or a full one at midnight with its time),
    written dates ("2 October 2012", "October 2, 2012", "Oct 2012") and numeric
    day/month dates when only one reading is possible or when `order` says which part
    comes first.
    """
    stripped = " ".join(text.split())
    if not stripped:
        raise InvalidInput("the date is empty", hint="write it as YYYY-MM-DD, YYYY-MM or YYYY")
    if match := _ISO.fullmatch(stripped):
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        return _build(stripped, year, month, day)
    if match := _ISO_MIDNIGHT.fullmatch(stripped):  # as Wikidata and databases write a day
        return _build(stripped, int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC.fullmatch(stripped):
        return _parse_numeric(stripped, match, order)
    if match := _MONTH_YEAR.fullmatch(stripped):
        return _build(stripped, int(match[2]), int(match[1]))
    if match := _YEAR_MONTH.fullmatch(stripped):
        return _build(stripped, int(match[1]), int(match[2]))
    if any(character.isalpha() for character in stripped):
        return _parse_written(stripped)
    raise _unreadable(stripped)


def _unreadable(text: str) -> InvalidInput:
    return InvalidInput(
        f"cannot read {text!r} as a date",
        hint='write it as 2012-10-02, 2012-10, 2012 or "2 October 2012"',
    )


def _parse_numeric(text: str, match: re.Match[str], order: DateOrder | None) -> PartialDate:
    first, _, second, last = match.groups()
    if len(first) == 4:
        return _build(text, int(first), int(second), int(last))
    if len(last) != 4:
        raise InvalidInput(f"{text!r} has no four-digit year", hint="write the year in full")
    a, b, year = int(first), int(second), int(last)
    if a == b or (a > 12 and b <= 12):
        return _build(text, year, b, a)
    if b > 12 and a <= 12:
        return _build(text, year, a, b)
    if order is DateOrder.DMY:
        return _build(text, year, b, a)
    if order is DateOrder.MDY:
        return _build(text, year, a, b)
    as_dmy = PartialDate(year, b, a).readable()
    as_mdy = PartialDate(year, a, b).readable()
    raise InvalidInput(
        f"{text!r} is ambiguous: {as_dmy} or {as_mdy}?",
        hint="write it as YYYY-MM-DD, or give --date-order DMY or MDY",
    )


def _parse_written(text: str) -> PartialDate:
    from dateutil import parser

    tokens = _TOKEN.findall(text)
    months = [token for token in tokens if token.lower() in _MONTH_NAMES]
    others = [
        token
        for token in tokens
        if not token.isdigit()
        and token.lower() not in _MONTH_NAMES
        and token.lower() not in _WORDS_ALLOWED
        and token not in _SEPARATORS
    ]
    if others or len(months) != 1:
        raise _unreadable(text)
    numbers = [token for token in tokens if token.isdigit()]
    if not any(len(number) == 4 for number in numbers) or len(numbers) > 2:
        raise InvalidInput(f"{text!r} has no four-digit year", hint="write the year in full")
    # dateutil fills missing parts from its default; two different defaults reveal which
    # parts the text really gave, so nothing is ever taken from today.
    try:
        low = parser.parse(text, default=datetime(2000, 1, 1))
        high = parser.parse(text, default=datetime(2004, 2, 2))
    except (parser.ParserError, ValueError, OverflowError) as error:
        raise InvalidInput(f"{text!r} is not a real date: {error}") from None
    if low.year != high.year:
        raise InvalidInput(f"{text!r} has no year", hint="write the year in full")
    month = low.month if low.month == high.month else None
    day = low.day if low.day == high.day else None
    return _build(text, low.year, month, day)
