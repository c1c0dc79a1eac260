"""What `summary` counts: agreements per sector, country, type, year and status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from itertools import chain
from typing import Any

from agreements.domain.queries import record_countries
from agreements.domain.records import record_status


class SummaryField(StrEnum):
    SECTOR = "sector"
    COUNTRY = "country"
    TYPE = "type"
    YEAR = "year"
    STATUS = "status"


UNKNOWN = "unknown"

Counts = dict[SummaryField, Counter[str]]
_UNKNOWN_ONLY = (UNKNOWN,)


def count_records(
    records: Sequence[Mapping[str, Any]], fields: Sequence[SummaryField], today: date
) -> tuple[int, Counts]:
    """How many agreements, and per field how many have each value.

    An agreement counts once for each of its sectors and each of its countries.
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
    }
    return len(records), {field: Counter(columns[field]()) for field in fields}


def add_counts(first: tuple[int, Counts], second: tuple[int, Counts]) -> tuple[int, Counts]:
    total, counters = first
    for field, counter in second[1].items():
        counters[field].update(counter)
    return total + second[0], counters


def ordered_counts(counters: Counts) -> dict[SummaryField, list[tuple[str, int]]]:
    """Largest first; years in calendar order; "unknown" always last."""
    result: dict[SummaryField, list[tuple[str, int]]] = {}
    for field, counts in counters.items():
        if field is SummaryField.YEAR:
            ordered = sorted(counts.items())
        else:
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        known = [item for item in ordered if item[0] != UNKNOWN]
        result[field] = known + [item for item in ordered if item[0] == UNKNOWN]
    return result
