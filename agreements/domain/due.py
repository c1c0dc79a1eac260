"""What needs attention, and when: expiries, notice deadlines, reviews, follow-ups,
anniversaries, and partnerships that have gone quiet.

Everything is worked out from the stored records, for a given day. A review, a notice
deadline or a follow-up that has passed stays listed, overdue, until someone acts; an
expiry or an anniversary that has passed is not listed again (no nagging).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, TypeVar

from agreements.domain.dates import PartialDate, Precision
from agreements.domain.due_dates import (
    anniversaries,
    anniversary_counts,
    current_expiry_of,
    date_span,
    last_activity,
    ordinal,
)
from agreements.domain.due_facts import PRECISIONS, Facts, due_facts
from agreements.domain.model import TITLE_SEPARATOR, derived_status
from agreements.domain.periods import DORMANT_AFTER, Period, Unit
from agreements.domain.records import record_status, stored_period
from agreements.domain.values import VALUES, Renewal, Status

Record = Mapping[str, Any]
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


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


class DueItem(NamedTuple):
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
        return when_text(self.day, self.precision)

    def when(self) -> PartialDate:
        """The day as precisely as it is known."""
        if self.precision is Precision.YEAR:
            return PartialDate(self.day.year)
        if self.precision is Precision.MONTH:
            return PartialDate(self.day.year, self.day.month)
        return PartialDate(self.day.year, self.day.month, self.day.day)


def when_text(day: date, precision: Precision) -> str:
    """The day as precisely as it is known, as ISO text: "2027-03-01", "2027-03", "2027"."""
    if precision is Precision.DAY:
        return day.isoformat()
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def due_items(
    hits: Iterable[tuple[int, Record]], today: date, until: date, watch: Watch = Watch()
) -> list[DueItem]:
    """Every item of these agreements due by `until` (overdue ones included), soonest first."""
    find = item_finder(today, until, watch)
    items = [item for number, record in hits for item in find(number, due_facts(record))]
    items.sort(key=rank)
    return items


def last_day_within(period: Period, today: date) -> date:
    """The last day of the period that starts today: `90d` from 1 December is 28 February,
    so an expiry on 1 March is beyond it."""
    end = period.after(today)
    return end if end == date.max else end - timedelta(days=1)


def next_due(record: Record, today: date, watch: Watch = Watch()) -> DueItem | None:
    """The soonest item of one agreement, overdue ones first; None when nothing is ahead."""
    every_kind = Watch(_ALL_KINDS, watch.anniversaries, watch.dormant_after)
    return min(item_finder(today, watch=every_kind)(0, due_facts(record)), key=rank, default=None)


def rank(item: DueItem) -> int:
    """Overdue items first, then by date, agreement and kind (the order of `due_items`), as
    one number, which sorts faster than a tuple."""
    return rank_of(item.day.toordinal(), item.kind, item.agreement_id, item.overdue)


def rank_of(first: int, kind: DueKind, number: int, overdue: bool) -> int:
    """`rank` of an item by its first day's number (`date.toordinal`) and what it is."""
    return (not overdue) << 120 | first << 64 | number << 4 | _KIND_ORDER[kind]


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


class ItemMaker(Protocol[T_co]):
    """What an item is made into, from what it is: its first day as a day number
    (`date.toordinal`), its kind, the agreement's number, title and parties, and the rest
    of the fields of DueItem. `due_item` makes the DueItem; a writer of many items (CSV,
    a calendar) makes its output of the fields directly."""

    def __call__(
        self, first: int, kind: DueKind, number: int, title: str, description: str,
        overdue: bool, precision: Precision, label: str, key: str, parties: Sequence[str],
        last_activity: date | None, /,
    ) -> T_co: ...  # fmt: skip


def due_item(
    first: int, kind: DueKind, number: int, title: str, description: str, overdue: bool,
    precision: Precision, label: str, key: str, parties: Sequence[str],
    last_activity: date | None,
) -> DueItem:  # fmt: skip
    return DueItem(
        date.fromordinal(first), kind, number, title, description, overdue, precision, label,
        key, tuple(parties), last_activity,
    )  # fmt: skip


def ranked(render: Callable[[DueItem], T]) -> ItemMaker[tuple[int, T]]:
    """A maker of each item's `rank` and what `render` makes of it."""

    def make(
        first: int, kind: DueKind, number: int, title: str, description: str, overdue: bool,
        *rest: Any,
    ) -> tuple[int, T]:  # fmt: skip
        item = due_item(first, kind, number, title, description, overdue, *rest)
        return rank_of(first, kind, number, overdue), render(item)

    return make


Found = tuple[Precision, int, bool, DueKind, str, str, str]
"""An item of an expiry or an anniversary before it is one: precision, first day (a day
number), whether overdue, kind, label, description and key."""


def item_finder(
    today: date, until: date = date.max, watch: Watch = Watch()
) -> Callable[[int, Facts], list[DueItem]]:
    """The items of one agreement, by its number and `due_facts`, that fall by `until`, of
    the kinds `watch` asks for, in a fixed order."""
    return finder(due_item, today, until, watch)


def finder(
    make: ItemMaker[T], today: date, until: date = date.max, watch: Watch = Watch()
) -> Callable[[int, Facts], list[T]]:
    """`item_finder`, each item as `make` makes it. This runs for every agreement of a
    register, so only what is asked for is built, and what many share is made once."""
    kinds = watch.kinds
    expiries = _EXPIRY in kinds or _NOTICE in kinds
    reviews, follow_ups = _REVIEW in kinds, _FOLLOW_UP in kinds
    anniversaries, dormant = _ANNIVERSARY in kinds, _DORMANT in kinds
    years, quiet = watch.anniversaries, watch.dormant_after
    first_year, last_year = today.year, until.year
    now, end = today.toordinal(), until.toordinal()
    counts_of: dict[int, tuple[int, ...]] = {}  # by the year of the signing
    anniversaries_of: dict[str, tuple[Found, ...]] = {}  # by the signing's stored date
    quiet_from: dict[int, tuple[int, date]] = {}  # by the latest activity's last day
    quiet_since_of: dict[int, str] = {}  # by its first day and precision
    today_text = today.isoformat()

    def items(number: int, facts: Facts) -> list[T]:
        (
            status, signed_on, expires_on, renewal, start_on, notice, review, activities,
            latest, follow_up_facts, title, parties,
        ) = facts  # fmt: skip
        if status is None:
            status = _VALUE_OF[derived_status(signed_on, expires_on, today_text, renewal)]
        if status in _ENDED:
            return []
        if title is None:
            title = TITLE_SEPARATOR.join(parties)
        found: list[T] = []
        if expires_on is not None and expiries:
            expires = current_expiry_of(expires_on, renewal, start_on, today)
            for precision, first, overdue, kind, label, text, key in _expiry_found(
                expires, renewal, notice, today, until, kinds
            ):
                found.append(
                    make(first, kind, number, title, text, overdue, precision, label, key,
                         parties, None)
                )  # fmt: skip
        if review is not None and reviews and review[0] <= end:
            first, last, precision, description = review
            found.append(
                make(
                    first, _REVIEW, number, title, description, last < now,
                    PRECISIONS[precision], "review", "review", parties, None,
                )
            )  # fmt: skip
        if follow_ups and follow_up_facts:
            for held, first, last, precision, note, key in follow_up_facts:
                if held <= now and first <= end:
                    found.append(
                        make(
                            first, _FOLLOW_UP, number, title, note, last < now,
                            PRECISIONS[precision], "follow-up", key, parties, None,
                        )
                    )  # fmt: skip
        if anniversaries and signed_on is not None and status != _PROPOSED:
            of_signing = anniversaries_of.get(signed_on)
            if of_signing is None:
                # A stored date starts with its four-digit year.
                head = signed_on[:4]
                year = int(head) if head.isdigit() else date_span(signed_on)[0].year
                counts = counts_of.get(year)
                if counts is None:
                    counts = counts_of[year] = anniversary_counts(
                        year, first_year, last_year, years
                    )
                of_signing = anniversaries_of[signed_on] = (
                    _anniversary_found(signed_on, today, until, counts) if counts else ()
                )
            for precision, first, overdue, kind, label, text, key in of_signing:
                found.append(
                    make(first, kind, number, title, text, overdue, precision, label, key,
                         parties, None)
                )  # fmt: skip
        if latest is not None and dormant and status in RUNNING:
            latest_end, latest_first, latest_precision = (
                (latest[1], latest[2], latest[3])
                if latest[0] <= now
                else _latest_by(now, activities)
            )
            if latest_end:
                since = quiet_from.get(latest_end)
                if since is None:
                    held_until = date.fromordinal(latest_end)
                    since = quiet_from[latest_end] = (
                        quiet.after(held_until).toordinal(),
                        held_until,
                    )
                if since[0] < now and since[0] <= end:
                    held = latest_first << 2 | latest_precision
                    quiet_since = quiet_since_of.get(held)
                    if quiet_since is None:
                        quiet_since = quiet_since_of[held] = _quiet_since(
                            latest_first, latest_precision
                        )
                    found.append(
                        make(
                            since[0], _DORMANT, number, title, quiet_since, True, _DAY,
                            "dormant", "dormant", parties, since[1],
                        )
                    )  # fmt: skip
        return found

    return items


def _latest_by(now: int, activities: list[int]) -> tuple[int, int, int]:
    """The last day, first day and precision of the latest activity begun by day `now`, as
    `last_activity` finds it (0, 0, 0 for none), when some activity begins after it: the
    facts name the latest of all, for the other agreements."""
    found = 0, 0, 0
    for at in range(0, len(activities), 3):
        if activities[at] <= now and activities[at + 1] > found[0]:
            found = activities[at + 1], activities[at], activities[at + 2]
    return found


def _quiet_since(first: int, precision: int) -> str:
    """The dormant item's description, from the day numbers of the latest activity."""
    held = date.fromordinal(first)
    on = PartialDate(held.year, *((held.month, held.day)[:precision]))
    return f"no activity since {on.readable()}"


def _expiry_found(
    expires: PartialDate | None,
    renewal: str | None,
    notice_text: str | None,
    today: date,
    until: date,
    kinds: frozenset[DueKind],
) -> list[Found]:
    """The expiry, or renewal, of the current term and its notice deadline, if not passed."""
    if expires is None or expires.last_day() < today:
        return []
    found: list[Found] = []
    first = expires.first_day()
    if first <= until and _EXPIRY in kinds:
        renews = renewal == _AUTOMATIC
        description = f"{'renews' if renews else 'expires'} {expires.prepositional()}"
        label = "renewal" if renews else "expiry"
        overdue = expires.last_day() < today
        found.append(
            (expires.precision, first.toordinal(), overdue, _EXPIRY, label, description, "expiry")
        )
    notice = stored_period(notice_text)
    if notice is not None:  # counted from the first day the expiry may be
        deadline = notice.before(first)
        if deadline <= until and _NOTICE in kinds:
            description = f"notice ({notice}) before the expiry {expires.prepositional()}"
            overdue = deadline < today
            found.append(
                (_DAY, deadline.toordinal(), overdue, _NOTICE, "notice", description, "notice")
            )
    return found


@lru_cache(maxsize=1 << 14)
def _anniversary_found(
    signed_on: str, today: date, until: date, counts: tuple[int, ...]
) -> tuple[Found, ...]:
    """The anniversaries of a signing, of these `counts`, that fall from today to `until`:
    the same for every agreement signed that day."""
    signed = date_span(signed_on)[0]
    found: list[Found] = []
    for anniversary, count in anniversaries(signed, today, counts, until):
        first = anniversary.first_day()
        if first <= until:
            label = f"{ordinal(count)} anniversary"
            description = f"{label} of the signing {signed.prepositional()}"
            overdue = anniversary.last_day() < today
            key = f"anniversary {count}"
            found.append(
                (anniversary.precision, first.toordinal(), overdue, _ANNIVERSARY, label,
                 description, key)
            )  # fmt: skip
    return tuple(found)


_EXPIRY, _NOTICE, _REVIEW = DueKind.EXPIRY, DueKind.NOTICE, DueKind.REVIEW
_FOLLOW_UP, _ANNIVERSARY, _DORMANT = DueKind.FOLLOW_UP, DueKind.ANNIVERSARY, DueKind.DORMANT
_ALL_KINDS = frozenset(DueKind)
_AUTOMATIC = Renewal.AUTOMATIC.value
_PROPOSED = Status.PROPOSED.value
_DAY = Precision.DAY
_VALUE_OF = VALUES
_KIND_ORDER = {kind: order for order, kind in enumerate(sorted(DueKind, key=str))}
