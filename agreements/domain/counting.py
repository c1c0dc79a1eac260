"""What `summary` counts: agreements per sector, country, partner country, type, year,
status and activity, and how a long list of counts is cut down for people to read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any

from agreements.domain.dates import parse_iso
from agreements.domain.due import RUNNING
from agreements.domain.model import derived_status
from agreements.domain.periods import DORMANT_AFTER, Period
from agreements.domain.queries import record_countries
from agreements.domain.summary_fields import Beside, CountedField, SummaryField
from agreements.domain.values import VALUES

UNKNOWN = "unknown"
NO_ACTIVITY = "no activity recorded"
ACTIVE, DORMANT, NOT_RUNNING = "active", "dormant", "ended or not yet in force"
_NO_ACTIVITY_YEAR = "none"
_LAST = (UNKNOWN, _NO_ACTIVITY_YEAR)
_BY_KEY = (SummaryField.YEAR, SummaryField.ACTIVITY_YEAR)


CountedPart = list[Any]
"""What `summary` counts of one agreement, as `counted_part` lists it (and as the summary
index keeps it): [sectors, countries, former countries, type, year, status set by hand,
signed_on, expires_on, renewal, activity years, activity dates]."""


def counted_part(record: Mapping[str, Any]) -> CountedPart:
    """The part of a stored record `count_parts` counts: its fixed facts worked out once,
    and the dates its status and liveliness follow from on the day counted."""
    activities = record["activities"]
    return [
        [sector["name"] for sector in record["sectors"]],
        record_countries(record),
        _signed_with_former(record),
        record["type"],
        UNKNOWN if record["signed_on"] is None else record["signed_on"][:4],
        record["status"],
        record["signed_on"],
        record["expires_on"],
        record["renewal"],
        sorted({activity["on"][:4] for activity in activities}),
        [activity["on"] for activity in activities],
    ]


class _Liveliness:
    """`liveliness` of counted parts on one day, each activity date judged once.

    The dates are compared as stored text: a date's first day is its text filled out with
    "-01", and texts filled out with "-31" (or "-12-31") order their last days, ties
    aside, which do not change the latest last day.
    """

    def __init__(self, today: date, dormant_after: Period) -> None:
        self.today, self.iso, self.after = today, today.isoformat(), dormant_after
        self.dormant: dict[str, bool] = {}

    def __call__(self, part: CountedPart) -> str:
        iso = self.iso
        begun = [day for day in part[10] if day + _FIRST_DAY[len(day)] <= iso]
        if not begun:  # `has_no_activity`: none recorded, or only ones planned for later
            return NO_ACTIVITY
        if _status(part, self.today) not in RUNNING:
            return NOT_RUNNING
        latest = max(begun, key=lambda day: day + _LAST_DAY[len(day)])
        dormant = self.dormant.get(latest)
        if dormant is None:  # `is_dormant`, with what is known by now
            last_day = parse_iso(latest).last_day()
            dormant = self.dormant[latest] = self.after.after(last_day) < self.today
        return DORMANT if dormant else ACTIVE


_FIRST_DAY = {4: "-01-01", 7: "-01", 10: ""}
_LAST_DAY = {4: "-12-31", 7: "-31", 10: ""}


def _status(part: CountedPart, today: date) -> str:
    """`record_status` of the record the part is of."""
    status: str | None = part[5]
    if status is not None:
        return status
    return VALUES[derived_status(part[6], part[7], today.isoformat(), part[8])]


def _signed_with_former(record: Mapping[str, Any]) -> list[str]:
    """The countries of `record_countries` that a party signed with as a former country."""
    keys = (
        p["country"] or p["country_at_signing"]
        for p in record["parties"]
        if p["country_at_signing"]
    )
    return list(dict.fromkeys(keys))


Counts = dict[CountedField, Counter[str]]
_UNKNOWN_ONLY = (UNKNOWN,)
_NO_ACTIVITY_YEARS = (_NO_ACTIVITY_YEAR,)


def count_records(
    records: Sequence[Mapping[str, Any]],
    fields: Sequence[SummaryField],
    today: date,
    dormant_after: Period = DORMANT_AFTER,
) -> tuple[int, Counts]:
    """`count_parts` of stored records."""
    return count_parts([counted_part(record) for record in records], fields, today, dormant_after)


def count_parts(
    parts: Sequence[CountedPart],
    fields: Sequence[SummaryField],
    today: date,
    dormant_after: Period = DORMANT_AFTER,
) -> tuple[int, Counts]:
    """How many agreements, and per field how many have each value.

    An agreement counts once for each of its sectors, each of its countries and each
    year it had an activity in. Partner countries are counted as sets of countries, for
    `settle_partner_countries` to read once the home country is known. With country
    comes, right after it, how many of each country's were signed with a former country
    (dropped by `without_empty_companions` when none were: the halves are added first).
    """
    columns: dict[SummaryField, Callable[[], Iterable[str]]] = {
        SummaryField.SECTOR: lambda: chain.from_iterable(p[0] or _UNKNOWN_ONLY for p in parts),
        SummaryField.COUNTRY: lambda: chain.from_iterable(p[1] or _UNKNOWN_ONLY for p in parts),
        # the countries as one key: which is the other side's is known only once the home
        # country is, after every agreement was seen
        SummaryField.PARTNER_COUNTRY: lambda: (" ".join(sorted(p[1])) for p in parts),
        SummaryField.TYPE: lambda: (p[3] for p in parts),
        SummaryField.YEAR: lambda: (p[4] for p in parts),
        SummaryField.STATUS: lambda: (_status(p, today) for p in parts),
        SummaryField.ACTIVITY: lambda: map(_Liveliness(today, dormant_after), parts),
        SummaryField.ACTIVITY_YEAR: lambda: chain.from_iterable(
            p[9] or _NO_ACTIVITY_YEARS for p in parts
        ),
    }
    counts: Counts = {}
    for field in fields:
        counts[field] = Counter(columns[field]())
        if field is SummaryField.COUNTRY:
            counts[Beside.SIGNED_WITH_FORMER] = Counter(chain.from_iterable(p[2] for p in parts))
    return len(parts), counts


def without_empty_companions(counts: Counts) -> Counts:
    """`counts` less what is counted beside a field when nothing was: a register without
    former countries summarises as it did before they were known."""
    return {field: c for field, c in counts.items() if c or not isinstance(field, Beside)}


def add_counts(first: tuple[int, Counts], second: tuple[int, Counts]) -> tuple[int, Counts]:
    total, counters = first
    for field, counter in second[1].items():
        counters[field].update(counter)
    return total + second[0], counters


def ordered_counts(counters: Counts) -> dict[CountedField, list[tuple[str, int]]]:
    """Largest first; years in calendar order; "unknown" (or "none") always last."""
    result: dict[CountedField, list[tuple[str, int]]] = {}
    for field, counts in counters.items():
        if field in _BY_KEY:
            ordered = sorted(counts.items())
        else:
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        known = [item for item in ordered if item[0] not in _LAST]
        result[field] = known + [item for item in ordered if item[0] in _LAST]
    return result


def settle_partner_countries(counters: Counts, home: str | None) -> tuple[str | None, int]:
    """Turns the sets of countries counted for partner-country into partner countries.

    The home country is `home`, or else the one on the most agreements (the first code
    of those tied). Each agreement counts once under each of its countries other than the
    home country; one between home-country parties only, under the home country; one with
    no country, as unknown. Returns the home country and how many agreements it is on.
    """
    sets = counters[SummaryField.PARTNER_COUNTRY]
    on: Counter[str] = Counter()
    for key, count in sets.items():
        for code in key.split():
            on[code] += count
    if home is None and on:
        home = min(on, key=lambda code: (-on[code], code))
    partners: Counter[str] = Counter()
    for key, count in sets.items():
        codes = key.split()
        others = [code for code in codes if code != home] or codes or [UNKNOWN]
        for code in others:
            partners[code] += count
    counters[SummaryField.PARTNER_COUNTRY] = partners
    return home, on[home] if home is not None else 0


DECADES_AFTER = 15
"""A table of years with more distinct years than this shows decades instead."""


@dataclass(frozen=True)
class Others:
    """What a cut-down list of counts leaves out: how many values, and their counts summed."""

    values: int
    count: int


Rows = list[tuple[str, int]]


@dataclass(frozen=True)
class Shown:
    """A field's counts cut down: the largest values, what the rest sum to, and "unknown"
    (or "none"), which is always shown, last."""

    largest: Rows
    others: Others | None
    last: Rows

    def rows(self) -> Rows:
        return self.largest + self.last


def top_rows(field: CountedField, rows: Rows, top: int) -> Shown:
    """The `top` largest values (all for 0) and what the rest sum to.

    Years are not cut: they are a time line, in calendar order.
    """
    known = [row for row in rows if row[0] not in _LAST]
    last = [row for row in rows if row[0] in _LAST]
    if top == 0 or field in _BY_KEY or len(known) <= top:
        return Shown(known, None, last)
    rest = known[top:]
    return Shown(known[:top], Others(len(rest), sum(count for _, count in rest)), last)


def top_counts(counts: dict[CountedField, Rows], top: int) -> dict[CountedField, Rows]:
    """Each field cut to its `top` largest values; what is counted beside country keeps
    the countries kept."""
    cut = {field: top_rows(field, rows, top).rows() for field, rows in counts.items()}
    if Beside.SIGNED_WITH_FORMER in cut:
        kept = {value for value, _ in cut[SummaryField.COUNTRY]}
        former = counts[Beside.SIGNED_WITH_FORMER]
        cut[Beside.SIGNED_WITH_FORMER] = [row for row in former if row[0] in kept]
    return cut


def in_decades(field: CountedField, rows: Rows) -> Rows:
    """Years as decades ("1990s") when there are more than DECADES_AFTER of them."""
    if field not in _BY_KEY or sum(row[0] not in _LAST for row in rows) <= DECADES_AFTER:
        return rows
    decades: Counter[str] = Counter()
    for year, count in rows:
        decades[year if year in _LAST else f"{year[:3]}0s"] += count
    return ordered_counts({field: decades})[field]
