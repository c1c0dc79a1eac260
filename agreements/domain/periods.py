"""Periods of time as people give them: `90d`, `12w`, `6m`, `1y`, `3 months`.

A period in months or years moves a date by the calendar (31 January plus one month is
28 or 29 February), never by a guessed number of days.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from agreements.errors import InvalidInput


class Unit(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


_UNITS = {
    "d": Unit.DAY, "day": Unit.DAY, "days": Unit.DAY,
    "w": Unit.WEEK, "wk": Unit.WEEK, "week": Unit.WEEK, "weeks": Unit.WEEK,
    "m": Unit.MONTH, "mo": Unit.MONTH, "month": Unit.MONTH, "months": Unit.MONTH,
    "y": Unit.YEAR, "yr": Unit.YEAR, "year": Unit.YEAR, "years": Unit.YEAR,
}  # fmt: skip
_PERIOD = re.compile(r"(\d{1,4})\s*([a-z]+)")


@dataclass(frozen=True, slots=True)
class Period:
    amount: int
    unit: Unit

    def __str__(self) -> str:
        """The stored form: "3 months", "1 year", "90 days"."""
        return f"{self.amount} {self.unit.value}{'' if self.amount == 1 else 's'}"

    def after(self, start: date) -> date:
        """The day this period after `start` (the last day there is, at the latest)."""
        return _moved(start, self, 1)

    def before(self, end: date) -> date:
        """The day this period before `end` (the first day there is, at the earliest)."""
        return _moved(end, self, -1)


def _moved(day: date, period: Period, sign: int) -> date:
    try:
        if period.unit is Unit.DAY:
            return day + timedelta(days=sign * period.amount)
        if period.unit is Unit.WEEK:
            return day + timedelta(weeks=sign * period.amount)
        months = period.amount * (12 if period.unit is Unit.YEAR else 1)
        return _add_months(day, sign * months)
    except (OverflowError, ValueError):
        return date.max if sign > 0 else date.min


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def parse_period(text: str) -> Period:
    """A period typed by a person: `30d`, `12w`, `6m`, `1y`, `3 months`, `2 weeks`."""
    match = _PERIOD.fullmatch(text.strip().lower())
    unit = _UNITS.get(match.group(2)) if match else None
    if match is None or unit is None or int(match.group(1)) == 0:
        raise InvalidInput(
            f"cannot read {text!r} as a period of time",
            hint="write it as 30d, 12w, 6m or 1y (days, weeks, months, years)",
        )
    return Period(int(match.group(1)), unit)


DORMANT_AFTER = Period(3, Unit.YEAR)
"""How long a running partnership may go without an activity before it counts as dormant."""
