"""What `summary` counts: agreements per sector, country, type, year, status and activity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from itertools import chain
from typing import Any

from agreements.domain.due import DORMANT_AFTER, RUNNING, is_dormant
from agreements.domain.periods import Period
from agreements.domain.queries import record_countries
from agreements.domain.records import record_status


class SummaryField(StrEnum):
    SECTOR = "sector"
    COUNTRY = "country"
    TYPE = "type"
    YEAR = "year"
    STATUS = "status"
    ACTIVITY = "activity"
    ACTIVITY_YEAR = "activity-year"


UNKNOWN = "unknown"
NO_ACTIVITY = "no activity recorded"
ACTIVE, DORMANT, NOT_RUNNING = "active", "dormant", "ended or not yet in force"
_NO_ACTIVITY_YEAR = "none"
_LAST = (UNKNOWN, _NO_ACTIVITY_YEAR)
_BY_KEY = (SummaryField.YEAR, SummaryField.ACTIVITY_YEAR)


def liveliness(record: Mapping[str, Any], today: date, dormant_after: Period) -> str:
    """Whether an agreement is kept alive: active, dormant, no activity recorded, or neither
    (an ended or proposed agreement with activities)."""
    if not record["activities"]:
        return NO_ACTIVITY
    if record_status(record, today) not in RUNNING:
        return NOT_RUNNING
    return DORMANT if is_dormant(record, today, dormant_after) else ACTIVE


def _activity_years(record: Mapping[str, Any]) -> Iterable[str]:
    years = {activity["on"][:4] for activity in record["activities"]}
    return sorted(years) or (_NO_ACTIVITY_YEAR,)


Counts = dict[SummaryField, Counter[str]]
_UNKNOWN_ONLY = (UNKNOWN,)


def count_records(
    records: Sequence[Mapping[str, Any]],
    fields: Sequence[SummaryField],
    today: date,
    dormant_after: Period = DORMANT_AFTER,
) -> tuple[int, Counts]:
    """How many agreements, and per field how many have each value.

    An agreement counts once for each of its sectors, each of its countries and each
    year it had an activity in.
    """
    columns: dict[SummaryField, Callable[[], Iterable[str]]] = {
        SummaryField.SECTOR: lambda: chain.from_iterable(
            [s["name"] for s in r["sectors"]] or _UNKNOWN_ONLY for r in records
        ),
        SummaryField.COUNTRY: lambda: chain.from_iterable(
            record_countries(r) or _UNKNOWN_ONLY for r in records
        ),
        SummaryField.TYPE: lambda: (r["type"] for r in records),
        SummaryField.YEAR: lambda: (
            UNKNOWN if r["signed_on"] is None else r["signed_on"][:4] for r in records
        ),
        SummaryField.STATUS: lambda: (record_status(r, today) for r in records),
        SummaryField.ACTIVITY: lambda: (liveliness(r, today, dormant_after) for r in records),
        SummaryField.ACTIVITY_YEAR: lambda: chain.from_iterable(map(_activity_years, records)),
    }
    return len(records), {field: Counter(columns[field]()) for field in fields}


def add_counts(first: tuple[int, Counts], second: tuple[int, Counts]) -> tuple[int, Counts]:
    total, counters = first
    for field, counter in second[1].items():
        counters[field].update(counter)
    return total + second[0], counters


def ordered_counts(counters: Counts) -> dict[SummaryField, list[tuple[str, int]]]:
    """Largest first; years in calendar order; "unknown" (or "none") always last."""
    result: dict[SummaryField, list[tuple[str, int]]] = {}
    for field, counts in counters.items():
        if field in _BY_KEY:
            ordered = sorted(counts.items())
        else:
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        known = [item for item in ordered if item[0] not in _LAST]
        result[field] = known + [item for item in ordered if item[0] in _LAST]
    return result
