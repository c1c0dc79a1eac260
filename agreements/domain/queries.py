"""Finding, ordering and counting agreements: pure functions over model values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from itertools import chain
from typing import Any

from agreements.domain.countries import country_name
from agreements.domain.dates import PartialDate, parse_iso
from agreements.domain.model import VALUES, Agreement, AgreementType, Certainty, Status, stored_date
from agreements.domain.text import fold
from agreements.errors import InvalidInput


@dataclass(frozen=True)
class Filters:
    """What `list`, `summary` and `export` select; an empty field selects everything."""

    sectors: frozenset[str] = frozenset()
    agreed_only: bool = False
    party: str | None = None
    countries: frozenset[str] = frozenset()
    types: frozenset[AgreementType] = frozenset()
    statuses: frozenset[Status] = frozenset()
    signed_after: PartialDate | None = None
    signed_before: PartialDate | None = None
    search: str | None = None
    tags: frozenset[str] = frozenset()


def matches(agreement: Agreement, filters: Filters, today: date) -> bool:
    if filters.sectors and not any(
        sector.name in filters.sectors
        and (not filters.agreed_only or sector.certainty is Certainty.AGREED)
        for sector in agreement.sectors
    ):
        return False
    if filters.countries and not filters.countries.intersection(agreement.countries()):
        return False
    if filters.types and agreement.type not in filters.types:
        return False
    if filters.statuses and agreement.current_status(today) not in filters.statuses:
        return False
    if filters.tags and not filters.tags.intersection(fold(tag) for tag in agreement.tags):
        return False
    if (filters.signed_after or filters.signed_before) and not _signed_between(
        agreement.signed_on, filters
    ):
        return False
    if filters.party and not _names_hold(
        fold(filters.party), (text for p in agreement.parties for text in (p.name, p.parent))
    ):
        return False
    return not filters.search or fold(filters.search) in searchable_text(agreement)


def _signed_between(signed: PartialDate | None, filters: Filters) -> bool:
    if signed is None:
        return False
    # A date is only "after" a period when it lies wholly after it: a record signed
    # in "2012" is neither after nor before 2012-06.
    if filters.signed_after and signed.first_day() <= filters.signed_after.last_day():
        return False
    return not (filters.signed_before and signed.last_day() >= filters.signed_before.first_day())


def _names_hold(wanted: str, names: Iterable[str | None]) -> bool:
    return any(wanted in fold(name) for name in names if name)


def may_match(filters: Filters, today: date) -> Callable[[Mapping[str, Any]], bool]:
    """A test of a stored record that every agreement `matches` keeps passes.

    It covers the filters that need no agreement to judge (status, dates, party); the
    others let every record through. Agreements are then built only for records that
    pass, and `matches` has the last word.
    """
    statuses = {VALUES[status] for status in filters.statuses}
    dated = bool(filters.signed_after or filters.signed_before)
    party = fold(filters.party) if filters.party else None

    def test(record: Mapping[str, Any]) -> bool:
        if statuses and record_status(record, today) not in statuses:
            return False
        if dated and not _signed_between(stored_date(record["signed_on"]), filters):
            return False
        return party is None or _names_hold(
            party, (text for p in record["parties"] for text in (p["name"], p["parent"]))
        )

    return test


def searchable_text(agreement: Agreement) -> str:
    """Every text field of the agreement, folded, for `--search`."""
    parts: list[str] = [agreement.title, agreement.place or "", agreement.notes or ""]
    parts += agreement.tags
    parts += agreement.sector_names()
    for party in agreement.parties:
        parts += [party.name, party.parent or "", party.country or "", party.country_as_given or ""]
        if party.country:
            parts.append(country_name(party.country))
    for signatory in agreement.signatories:
        parts += [signatory.name, signatory.title or ""]
    for contact in agreement.contacts:
        parts += [contact.name, contact.role or "", contact.phone or "", contact.email or ""]
    for source in agreement.sources:
        parts += [source.url, source.title or ""]
    parts.append(agreement.status_reason or "")
    # Field by field, so that names met again and again are folded once: the same as
    # folding the whole text, since fold only ever joins words with one space.
    return " ".join(folded for folded in map(fold, parts) if folded)


def select(agreements: Iterable[Agreement], filters: Filters, today: date) -> list[Agreement]:
    return [agreement for agreement in agreements if matches(agreement, filters, today)]


class SortKey(StrEnum):
    ID = "id"
    TITLE = "title"
    TYPE = "type"
    SIGNED = "signed"
    STATUS = "status"
    COUNTRY = "country"
    CREATED = "created"
    UPDATED = "updated"


def _signed_key(agreement: Agreement) -> tuple[Any, ...]:
    signed = agreement.signed_on
    if signed is None:
        return (1, 0, 0, 0)  # undated after dated, ascending
    return (0, signed.year, signed.month or 0, signed.day or 0)


def sort_agreements(
    agreements: Sequence[Agreement], key: SortKey, today: date, *, descending: bool = False
) -> list[Agreement]:
    keys: dict[SortKey, Callable[[Agreement], Any]] = {
        SortKey.ID: lambda a: a.id or 0,
        SortKey.TITLE: lambda a: fold(a.title),
        SortKey.TYPE: lambda a: a.type.value,
        SortKey.SIGNED: _signed_key,
        SortKey.STATUS: lambda a: a.current_status(today).value,
        SortKey.COUNTRY: lambda a: ",".join(sorted(a.countries())),
        SortKey.CREATED: lambda a: a.created_at,
        SortKey.UPDATED: lambda a: a.updated_at,
    }
    # Ties keep id order, whichever way the main key runs.
    by_id = sorted(agreements, key=lambda a: a.id or 0)
    return sorted(by_id, key=keys[key], reverse=descending)


def parse_sort(text: str) -> tuple[SortKey, bool]:
    """`signed` sorts ascending, `-signed` descending."""
    descending = text.startswith("-")
    name = text.removeprefix("-").strip().lower().replace("_on", "").replace("_at", "")
    try:
        return SortKey(name), descending
    except ValueError:
        allowed = ", ".join(key.value for key in SortKey)
        raise InvalidInput(f"cannot sort by {text!r}", hint=f"choose one of: {allowed}") from None


class SummaryField(StrEnum):
    SECTOR = "sector"
    COUNTRY = "country"
    TYPE = "type"
    YEAR = "year"
    STATUS = "status"


UNKNOWN = "unknown"

Counts = dict[SummaryField, Counter[str]]
_UNKNOWN_ONLY = (UNKNOWN,)


def count_agreements(
    agreements: Sequence[Agreement], fields: Sequence[SummaryField], today: date
) -> tuple[int, Counts]:
    """How many agreements, and per field how many have each value.

    An agreement counts once for each of its sectors and each of its countries.
    """
    columns: dict[SummaryField, Callable[[], Iterable[str]]] = {
        SummaryField.SECTOR: lambda: chain.from_iterable(
            a.sector_names() or _UNKNOWN_ONLY for a in agreements
        ),
        SummaryField.COUNTRY: lambda: chain.from_iterable(
            a.countries() or _UNKNOWN_ONLY for a in agreements
        ),
        SummaryField.TYPE: lambda: (VALUES[a.type] for a in agreements),
        SummaryField.YEAR: lambda: (
            UNKNOWN if a.signed_on is None else str(a.signed_on.year) for a in agreements
        ),
        SummaryField.STATUS: lambda: (VALUES[a.current_status(today)] for a in agreements),
    }
    return len(agreements), {field: Counter(columns[field]()) for field in fields}


def count_records(
    records: Sequence[Mapping[str, Any]], fields: Sequence[SummaryField], today: date
) -> tuple[int, Counts]:
    """`count_agreements` for records as stored, read without building agreements."""
    columns: dict[SummaryField, Callable[[], Iterable[str]]] = {
        SummaryField.SECTOR: lambda: chain.from_iterable(
            [s["name"] for s in r["sectors"]] or _UNKNOWN_ONLY for r in records
        ),
        SummaryField.COUNTRY: lambda: chain.from_iterable(
            {p["country"]: None for p in r["parties"] if p["country"]} or _UNKNOWN_ONLY
            for r in records
        ),
        SummaryField.TYPE: lambda: (r["type"] for r in records),
        SummaryField.YEAR: lambda: (
            UNKNOWN if r["signed_on"] is None else r["signed_on"][:4] for r in records
        ),
        SummaryField.STATUS: lambda: (record_status(r, today) for r in records),
    }
    return len(records), {field: Counter(columns[field]()) for field in fields}


def record_status(record: Mapping[str, Any], today: date) -> str:
    """`Agreement.current_status` of a stored record: set by hand, else proposed until
    signed, expired after `expires_on`, active otherwise."""
    if record["status_manual"]:
        status: str = record["status"]
        return status
    if record["signed_on"] is None:
        return "proposed"
    expires = record["expires_on"]
    return "expired" if expires is not None and _last_day(expires) < today else "active"


@lru_cache(maxsize=4096)
def _last_day(text: str) -> date:
    return parse_iso(text).last_day()


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
