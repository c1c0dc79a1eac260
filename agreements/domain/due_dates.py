"""The calendar of `due`: stored dates with their first and last days, current terms of
agreements that renew themselves, the latest activity begun by a day, anniversaries of a
signing, and how they are named."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from agreements.domain.dates import PartialDate, Precision
from agreements.domain.periods import Period, Unit
from agreements.domain.records import stored_date
from agreements.domain.values import Renewal
from agreements.errors import InvalidInput

Record = Mapping[str, Any]


@lru_cache(maxsize=1 << 16)
def date_span(text: str) -> tuple[PartialDate, date, date]:
    """A stored date with its first and last day, worked out once per distinct text."""
    day = stored_date(text)
    assert day is not None
    return day, day.first_day(), day.last_day()


def anniversary_counts(
    signed: int, first: int, last: int, years: tuple[int, ...]
) -> tuple[int, ...]:
    """Which of `years` (ascending) a signing in the year `signed` has as an anniversary in
    a year from `first` to `last`: none, for most signings."""
    start = bisect_left(years, first - signed)
    end = bisect_right(years, min(last, 9999) - signed)
    return years[start:end]


@lru_cache(maxsize=1 << 12)
def dormant_from(period: Period, day: date) -> date:
    return period.after(day)


def current_expiry(record: Record, today: date) -> PartialDate | None:
    """The end of the current term: `expires_on`, or for an agreement that renews itself
    automatically, the first end of a term of the same length that has not passed."""
    start = record["effective_on"] or record["signed_on"]
    return current_expiry_of(record["expires_on"], record["renewal"], start, today)


def current_expiry_of(
    expires_on: str | None, renewal: str | None, start_on: str | None, today: date
) -> PartialDate | None:
    """`current_expiry` from the stored fields it reads, the term's start one of them."""
    expires = stored_date(expires_on)
    if expires is None or renewal != Renewal.AUTOMATIC.value:
        return expires
    start = stored_date(start_on)
    months = 12
    if start is not None:  # the term in whole months: 1 Jan 2022 to 31 Dec 2026 is 60
        days = (expires.last_day() + timedelta(days=1) - start.first_day()).days
        months = max(round(days / 30.44), 1)
    if expires.precision is Precision.YEAR:
        months = max(round(months / 12), 1) * 12
    end, terms = expires, 0
    while end.last_day() < today and end.year < 9999:
        terms += 1  # counted from the first expiry, so that a 31st stays a 31st
        moved = Period(months * terms, Unit.MONTH).after(expires.first_day())
        end = PartialDate(moved.year, expires.month and moved.month, expires.day and moved.day)
    return end


def last_activity(record: Record, today: date) -> PartialDate | None:
    """The latest activity that had begun by `today`: one planned for later, or recorded
    after the day a report looks back on, does not keep a partnership alive yet."""
    return last_activity_of([activity["on"] for activity in record["activities"]], today)


def last_activity_of(dates: Iterable[str], today: date) -> PartialDate | None:
    """`last_activity` of the activities on these stored dates."""
    days = [stored_date(day) for day in dates]
    return max(
        (day for day in days if day is not None and day.first_day() <= today),
        key=lambda day: day.last_day(),
        default=None,
    )


def anniversaries(
    signed: PartialDate, today: date, years: tuple[int, ...], until: date
) -> Iterator[tuple[PartialDate, int]]:
    """The chosen anniversaries of a signing that have not passed (no nagging), up to the
    year of `until`; `years` are in ascending order."""
    for count in years:
        year = signed.year + count
        if year > min(until.year, 9999):
            return
        if year < today.year:
            continue
        anniversary = _in_year(signed, year)
        if anniversary.last_day() >= today:
            yield anniversary, count


def _in_year(signed: PartialDate, year: int) -> PartialDate:
    """The same day, month or year of the signing, `year`; 29 February falls on the 28th."""
    if signed.month is None:
        return PartialDate(year)
    if signed.day is None:
        return PartialDate(year, signed.month)
    day = signed.day
    if signed.month == 2 and day == 29 and not _leap(year):
        day = 28
    return PartialDate(year, signed.month, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def parse_anniversaries(text: str) -> tuple[int, ...]:
    """`10,25,50`: the years of anniversaries to list."""
    try:
        years = sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    except ValueError:
        years = []
    if not years or not all(1 <= year <= 1000 for year in years):
        raise InvalidInput(
            f"cannot read {text!r} as years of anniversaries", hint="e.g. --anniversaries 10,25,50"
        )
    return tuple(years)


_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    suffix = "th" if 10 <= number % 100 <= 20 else _SUFFIXES.get(number % 10, "th")
    return f"{number}{suffix}"
