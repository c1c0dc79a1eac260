"""Dates as people say them: "in 3 weeks", "overdue by 2 months", "in 2027", "1 Jan 2027"."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from agreements.domain.dates import PartialDate, Precision


def span(days: int) -> str:
    """A number of days, rounded as people round it: "5 days", "3 weeks", "2 months"."""
    days = abs(days)
    if days < 14:
        return _counted(days, "day")
    if days < 60:
        return _counted(round(days / 7), "week")
    if days < 548:  # up to a year and a half, in months
        return _counted(round(days / 30.44), "month")
    return _counted(int(days / 365.25), "year")  # whole years, as ages are told


def _counted(amount: int, unit: str) -> str:
    return f"{amount} {unit}{'' if amount == 1 else 's'}"


def relative(day: date, today: date, precision: Precision = Precision.DAY) -> str:
    """When `day` is, seen from `today`: "today", "tomorrow", "in 3 weeks", "2 months ago".

    A day known only to its year or month is said as that: "in 2027", "in March 2027"."""
    if precision is Precision.YEAR:
        if day.year >= today.year:
            return "this year" if day.year == today.year else f"in {day.year}"
        return f"{_counted(today.year - day.year, 'year')} ago"
    if precision is Precision.MONTH:
        months = (day.year - today.year) * 12 + day.month - today.month
        if months == 0:
            return "this month"
        if months > 0:
            return f"in {calendar.month_name[day.month]} {day.year}"
        return f"{span((day - today.replace(day=1)).days)} ago"
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {span(days)}" if days > 0 else f"{span(days)} ago"


def short_date(day: date, precision: Precision = Precision.DAY) -> str:
    """A date for a narrow column: "1 Jan 2027", "Mar 2027", "2027"."""
    if precision is Precision.YEAR:
        return str(day.year)
    month = calendar.month_abbr[day.month]
    if precision is Precision.MONTH:
        return f"{month} {day.year}"
    return f"{day.day} {month} {day.year}"


def short_partial(day: PartialDate) -> str:
    return short_date(day.first_day(), day.precision)


def local_moment(timestamp: str) -> str:
    """A stored UTC timestamp in the local time zone, written out: "2 December 2026, 09:15"."""
    moment = datetime.fromisoformat(timestamp).astimezone()
    return f"{moment.day} {calendar.month_name[moment.month]} {moment.year}, {moment:%H:%M}"


def written(day: PartialDate, today: date) -> str:
    """A date written out, with when it is from today: "1 March 2027 (in 3 months)".

    A future year or month says when by itself: "2027", not "2027 (in 2027)"."""
    when = relative(day.first_day(), today, day.precision)
    readable = day.readable()
    return readable if when == f"in {readable}" else f"{readable} ({when})"
