"""The rules of `due` as they were written before its fast path (main, December 2026),
kept as they were as the independent oracle of tests/test_due_scale.py: a generator per
agreement that builds every item, filtered afterwards by its day and kind."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from agreements.domain.dates import PartialDate, Precision
from agreements.domain.periods import DORMANT_AFTER, Period, Unit
from agreements.domain.records import record_status, stored_date, stored_period
from agreements.domain.values import Renewal, Status
from agreements.errors import InvalidInput

Record = Mapping[str, Any]


class DueKind(StrEnum):
    EXPIRY = "expiry"
    NOTICE = "notice"
    REVIEW = "review"
    FOLLOW_UP = "follow-up"
    ANNIVERSARY = "anniversary"
    DORMANT = "dormant"


ANNIVERSARIES = (1, 5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100)
WITHIN = Period(90, Unit.DAY)
RUNNING = frozenset((Status.ACTIVE.value, Status.SUSPENDED.value))
_ENDED = frozenset((Status.EXPIRED.value, Status.TERMINATED.value))


@dataclass(frozen=True)
class Watch:
    """What to look for: which kinds, which anniversaries, and when quiet is dormant."""

    kinds: frozenset[DueKind] = frozenset(DueKind)
    anniversaries: tuple[int, ...] = ANNIVERSARIES
    dormant_after: Period = DORMANT_AFTER


@dataclass(frozen=True)
class DueItem:
    day: date
    """When it falls due: for a date known only to its month or year, that period's start."""
    kind: DueKind
    agreement_id: int
    title: str
    description: str
    overdue: bool
    precision: Precision = Precision.DAY
    """How precisely the day is known: an anniversary of a signing in "1977" is in 2027."""
    label: str = ""
    """What it is, in a word or two: "review", "25th anniversary"."""
    key: str = ""
    """What makes this item itself (a calendar's UID), whatever its day becomes."""
    parties: tuple[str, ...] = ()
    last_activity: date | None = None
    """For a dormant agreement: the day of its latest activity."""

    def when(self) -> PartialDate:
        """The day as precisely as it is known."""
        if self.precision is Precision.YEAR:
            return PartialDate(self.day.year)
        if self.precision is Precision.MONTH:
            return PartialDate(self.day.year, self.day.month)
        return PartialDate(self.day.year, self.day.month, self.day.day)


def due_items(
    hits: Iterable[tuple[int, Record]], today: date, until: date, watch: Watch = Watch()
) -> list[DueItem]:
    """Every item of these agreements due by `until` (overdue ones included), soonest first."""
    items = [
        item
        for number, record in hits
        for item in _items(number, record, today, watch, until)
        if item.day <= until and item.kind in watch.kinds
    ]
    return sorted(items, key=_soonest)


def last_day_within(period: Period, today: date) -> date:
    """The last day of the period that starts today: `90d` from 1 December is 28 February,
    so an expiry on 1 March is beyond it."""
    end = period.after(today)
    return end if end == date.max else end - timedelta(days=1)


def next_due(record: Record, today: date, watch: Watch = Watch()) -> DueItem | None:
    """The soonest item of one agreement, overdue ones first; None when nothing is ahead."""
    return min(_items(0, record, today, watch), key=_soonest, default=None)


def _soonest(item: DueItem) -> tuple[bool, date, int, str]:
    """Overdue items first, then by date."""
    return not item.overdue, item.day, item.agreement_id, item.kind.value


def last_activity(record: Record, today: date) -> PartialDate | None:
    """The latest activity that had begun by `today`: one planned for later, or recorded
    after the day a report looks back on, does not keep a partnership alive yet."""
    days = [stored_date(activity["on"]) for activity in record["activities"]]
    return max(
        (day for day in days if day is not None and day.first_day() <= today),
        key=lambda day: day.last_day(),
        default=None,
    )


def is_dormant(record: Record, today: date, after: Period = DORMANT_AFTER) -> bool:
    """Running, with activities recorded by today, and none of them within `after` of it."""
    latest = last_activity(record, today)
    return (
        latest is not None
        and record_status(record, today) in RUNNING
        and after.after(latest.last_day()) < today
    )


def has_no_activity(record: Record, today: date) -> bool:
    """No activity recorded that had begun by today: one planned for later is not one yet."""
    return not record["activities"] or last_activity(record, today) is None


def _items(
    number: int, record: Record, today: date, watch: Watch, until: date = date.max
) -> Iterator[DueItem]:
    title, status = record["title"], record_status(record, today)
    if status in _ENDED:
        return
    parties = tuple(party["name"] for party in record["parties"])

    def item(due: PartialDate, kind: DueKind, label: str, description: str, key: str) -> DueItem:
        return DueItem(
            due.first_day(), kind, number, title, description, due.last_day() < today,
            due.precision, label, key, parties,
        )  # fmt: skip

    expires = current_expiry(record, today)
    if expires is not None and expires.last_day() >= today:
        renews = record["renewal"] == Renewal.AUTOMATIC.value
        description = f"{'renews' if renews else 'expires'} {expires.prepositional()}"
        yield item(
            expires, DueKind.EXPIRY, "renewal" if renews else "expiry", description, "expiry"
        )
        notice = stored_period(record["notice"])
        if notice is not None:  # counted from the first day the expiry may be
            deadline = _exact(notice.before(expires.first_day()))
            description = f"notice ({notice}) before the expiry {expires.prepositional()}"
            yield item(deadline, DueKind.NOTICE, "notice", description, "notice")
    review = stored_date(record["review_on"])
    if review is not None:
        yield item(review, DueKind.REVIEW, "review", f"review due {review.readable()}", "review")
    for activity in record["activities"]:
        follow_up = stored_date(activity["follow_up_on"])
        held = stored_date(activity["on"])
        if follow_up is not None and held is not None and held.first_day() <= today:
            note = activity["follow_up"] or f"the next step after {activity['summary']!r}"
            key = f"follow-up {activity['on']} {activity['kind']} {activity['summary']}"
            yield item(follow_up, DueKind.FOLLOW_UP, "follow-up", note, key)
    signed = stored_date(record["signed_on"])
    if signed is not None and status != Status.PROPOSED.value:
        for anniversary, count in _anniversaries(signed, today, watch.anniversaries, until):
            label = f"{ordinal(count)} anniversary"
            description = f"{label} of the signing {signed.prepositional()}"
            yield item(anniversary, DueKind.ANNIVERSARY, label, description, f"anniversary {count}")
    if is_dormant(record, today, watch.dormant_after):
        latest = last_activity(record, today)
        assert latest is not None
        since = _exact(watch.dormant_after.after(latest.last_day()))
        description = f"no activity since {latest.readable()}"
        dormant = item(since, DueKind.DORMANT, "dormant", description, "dormant")
        yield replace(dormant, last_activity=latest.last_day())


def current_expiry(record: Record, today: date) -> PartialDate | None:
    """The end of the current term: `expires_on`, or for an agreement that renews itself
    automatically, the first end of a term of the same length that has not passed."""
    expires = stored_date(record["expires_on"])
    if expires is None or record["renewal"] != Renewal.AUTOMATIC.value:
        return expires
    start = stored_date(record["effective_on"]) or stored_date(record["signed_on"])
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


def _exact(day: date) -> PartialDate:
    return PartialDate(day.year, day.month, day.day)


def _anniversaries(
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
