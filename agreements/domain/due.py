"""What needs attention, and when: expiries, notice deadlines, reviews, follow-ups,
anniversaries, and partnerships that have gone quiet.

Everything is worked out from the stored records, for a given day. A review, a notice
deadline or a follow-up that has passed stays listed, overdue, until someone acts; an
expiry or an anniversary that has passed is not listed again (no nagging).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
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

    def when_text(self) -> str:
        """`when()` as ISO text: "2027-03-01", "2027-03", "2027"."""
        if self.precision is Precision.DAY:
            return self.day.isoformat()
        return str(self.when())

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
    kinds = watch.kinds
    items = [
        item
        for number, record in hits
        for item in _items(number, record, today, watch, until, kinds)
    ]
    items.sort(key=soonest)
    return items


def last_day_within(period: Period, today: date) -> date:
    """The last day of the period that starts today: `90d` from 1 December is 28 February,
    so an expiry on 1 March is beyond it."""
    end = period.after(today)
    return end if end == date.max else end - timedelta(days=1)


def next_due(record: Record, today: date, watch: Watch = Watch()) -> DueItem | None:
    """The soonest item of one agreement, overdue ones first; None when nothing is ahead."""
    return min(_items(0, record, today, watch), key=soonest, default=None)


Rank = tuple[bool, date, int, str]


def soonest(item: DueItem) -> Rank:
    """Overdue items first, then by date: the order of `due_items`."""
    return not item.overdue, item.day, item.agreement_id, item.kind.value


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
    number: int,
    record: Record,
    today: date,
    watch: Watch,
    until: date = date.max,
    kinds: frozenset[DueKind] | None = None,
) -> list[DueItem]:
    """The items of one agreement in a fixed order; with `kinds`, only those kinds and
    only those that fall by `until` (the others are never built: this runs for every
    agreement of a register, so it is written for speed)."""
    status = record_status(record, today)
    if status in _ENDED:
        return []
    if kinds is None:
        kinds, until = _ALL_KINDS, date.max
    found: list[tuple[Precision, date, date, DueKind, str, str, str, date | None]] = []
    if record["expires_on"] is not None:
        expires = current_expiry(record, today)
        if expires is not None and expires.last_day() >= today:
            first = expires.first_day()
            if first <= until and _EXPIRY in kinds:
                renews = record["renewal"] == _AUTOMATIC
                description = f"{'renews' if renews else 'expires'} {expires.prepositional()}"
                label = "renewal" if renews else "expiry"
                found.append(
                    (
                        expires.precision,
                        first,
                        expires.last_day(),
                        _EXPIRY,
                        label,
                        description,
                        "expiry",
                        None,
                    )
                )
            notice = stored_period(record["notice"])
            if notice is not None:  # counted from the first day the expiry may be
                deadline = notice.before(first)
                if deadline <= until and _NOTICE in kinds:
                    description = f"notice ({notice}) before the expiry {expires.prepositional()}"
                    found.append(
                        (
                            _DAY,
                            deadline,
                            deadline,
                            _NOTICE,
                            "notice",
                            description,
                            "notice",
                            None,
                        )
                    )
    if record["review_on"] is not None:
        review, first, last = date_span(record["review_on"])
        if first <= until and _REVIEW in kinds:
            description = f"review due {review.readable()}"
            found.append(
                (review.precision, first, last, _REVIEW, "review", description, "review", None)
            )
    latest: PartialDate | None = None  # as `last_activity` finds it, in the same pass
    latest_end = date.min
    for activity in record["activities"]:
        on = activity["on"]
        if on is None:
            continue
        held, first, last = date_span(on)
        if first > today:
            continue
        if last > latest_end:
            latest, latest_end = held, last
        if activity["follow_up_on"] is None:
            continue
        follow_up, first, last = date_span(activity["follow_up_on"])
        if first <= until and _FOLLOW_UP in kinds:
            note = activity["follow_up"] or f"the next step after {activity['summary']!r}"
            key = f"follow-up {on} {activity['kind']} {activity['summary']}"
            found.append(
                (follow_up.precision, first, last, _FOLLOW_UP, "follow-up", note, key, None)
            )
    signed_on = record["signed_on"]
    if signed_on is not None and status != _PROPOSED:
        signed = date_span(signed_on)[0]
        years = watch.anniversaries
        if has_anniversary(signed.year, today.year, until.year, years):
            for anniversary, count in _anniversaries(signed, today, years, until):
                first = anniversary.first_day()
                if first <= until and _ANNIVERSARY in kinds:
                    label = f"{ordinal(count)} anniversary"
                    description = f"{label} of the signing {signed.prepositional()}"
                    key = f"anniversary {count}"
                    found.append(
                        (
                            anniversary.precision,
                            first,
                            anniversary.last_day(),
                            _ANNIVERSARY,
                            label,
                            description,
                            key,
                            None,
                        )
                    )
    if latest is not None and status in RUNNING:
        since = dormant_from(watch.dormant_after, latest_end)
        if since < today and since <= until and _DORMANT in kinds:
            description = f"no activity since {latest.readable()}"
            found.append(
                (
                    _DAY,
                    since,
                    since,
                    _DORMANT,
                    "dormant",
                    description,
                    "dormant",
                    latest_end,
                )
            )
    if not found:
        return []
    title = record["title"]
    parties = tuple(party["name"] for party in record["parties"])
    return [
        DueItem(
            first, kind, number, title, description, last < today, precision, label, key,
            parties, quiet_since,
        )
        for precision, first, last, kind, label, description, key, quiet_since in found
    ]  # fmt: skip


_EXPIRY, _NOTICE, _REVIEW = DueKind.EXPIRY, DueKind.NOTICE, DueKind.REVIEW
_FOLLOW_UP, _ANNIVERSARY, _DORMANT = DueKind.FOLLOW_UP, DueKind.ANNIVERSARY, DueKind.DORMANT
_ALL_KINDS = frozenset(DueKind)
_AUTOMATIC = Renewal.AUTOMATIC.value
_PROPOSED = Status.PROPOSED.value
_DAY = Precision.DAY


@lru_cache(maxsize=1 << 16)
def date_span(text: str) -> tuple[PartialDate, date, date]:
    """A stored date with its first and last day, worked out once per distinct text."""
    day = stored_date(text)
    assert day is not None
    return day, day.first_day(), day.last_day()


def has_anniversary(signed: int, first: int, last: int, years: tuple[int, ...]) -> bool:
    """Whether a signing in the year `signed` has one of `years` (ascending) as an
    anniversary in a year from `first` to `last`: most signings have none to list."""
    at = bisect_left(years, first - signed)
    return at < len(years) and years[at] <= min(last, 9999) - signed


@lru_cache(maxsize=1 << 12)
def dormant_from(period: Period, day: date) -> date:
    return period.after(day)


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
