"""Finding, ordering and counting agreements: pure functions over model values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

from agreements.countries import country_name
from agreements.dates import PartialDate, parse_iso
from agreements.errors import InvalidInput
from agreements.model import VALUES, Agreement, AgreementType, Certainty, Status
from agreements.text import fold


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
    if filters.signed_after or filters.signed_before:
        signed = agreement.signed_on
        if signed is None:
            return False
        # A date is only "after" a period when it lies wholly after it: a record signed
        # in "2012" is neither after nor before 2012-06.
        if filters.signed_after and signed.first_day() <= filters.signed_after.last_day():
            return False
        if filters.signed_before and signed.last_day() >= filters.signed_before.first_day():
            return False
    if filters.party:
        wanted = fold(filters.party)
        names = (fold(text) for p in agreement.parties for text in (p.name, p.parent or ""))
        if not any(wanted in name for name in names):
            return False
    return not filters.search or fold(filters.search) in searchable_text(agreement)


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
    return fold("\n".join(parts))


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

# What `summary` counts of one agreement: sectors, countries, type, year, status.
Facts = tuple[Sequence[str], Sequence[str], str, str, str]


def agreement_facts(agreement: Agreement, today: date) -> Facts:
    signed = agreement.signed_on
    return (
        agreement.sector_names(),
        agreement.countries(),
        VALUES[agreement.type],
        UNKNOWN if signed is None else str(signed.year),
        VALUES[agreement.current_status(today)],
    )


def record_facts(record: Mapping[str, Any], today: date) -> Facts:
    """The facts of a stored record, read without building the agreement.

    The status follows `Agreement.current_status`: set by hand, else proposed until
    signed, expired after `expires_on`, active otherwise.
    """
    signed = record["signed_on"]
    if record["status_manual"]:
        status = record["status"]
    elif signed is None:
        status = "proposed"
    elif (expires := record["expires_on"]) is not None and _last_day(expires) < today:
        status = "expired"
    else:
        status = "active"
    return (
        [sector["name"] for sector in record["sectors"]],
        [party["country"] for party in record["parties"] if party["country"]],
        record["type"],
        UNKNOWN if signed is None else signed[:4],
        status,
    )


@lru_cache(maxsize=4096)
def _last_day(text: str) -> date:
    return parse_iso(text).last_day()


def summarize(
    facts: Iterable[Facts], fields: Sequence[SummaryField]
) -> dict[SummaryField, list[tuple[str, int]]]:
    """Counts of agreements per value of each field, largest first.

    An agreement counts once for each of its sectors and each of its countries.
    Years run in calendar order; "unknown" always comes last.
    """
    positions = [(field, _POSITION[field]) for field in fields]
    counters: dict[SummaryField, Counter[str]] = {field: Counter() for field in fields}
    for fact in facts:
        for field, position in positions:
            values = fact[position]
            counter = counters[field]
            if isinstance(values, str):
                counter[values] += 1
            elif not values:
                counter[UNKNOWN] += 1
            elif len(values) == 1:
                counter[values[0]] += 1
            else:
                counter.update(set(values))
    result: dict[SummaryField, list[tuple[str, int]]] = {}
    for field, counts in counters.items():
        if field is SummaryField.YEAR:
            ordered = sorted(counts.items())
        else:
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        known = [item for item in ordered if item[0] != UNKNOWN]
        result[field] = known + [item for item in ordered if item[0] == UNKNOWN]
    return result


_POSITION = {
    SummaryField.SECTOR: 0,
    SummaryField.COUNTRY: 1,
    SummaryField.TYPE: 2,
    SummaryField.YEAR: 3,
    SummaryField.STATUS: 4,
}
