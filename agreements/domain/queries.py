"""Finding and ordering agreements: tests and sort keys over records as they are stored.

Every filter of `list`, `summary` and `export` is judged on the stored record itself, so
no agreement is built to answer a query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from agreements.domain.dates import PartialDate
from agreements.domain.periods import DORMANT_AFTER, Period
from agreements.domain.records import record_status, stored_date
from agreements.domain.text import fold
from agreements.domain.values import VALUES, AgreementType, Status
from agreements.errors import InvalidInput

if TYPE_CHECKING:
    from agreements.domain.collation import Collation
    from agreements.domain.due import Watch

Record = Mapping[str, Any]
RecordTest = Callable[[Record], bool]


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
    due_within: Period | None = None
    """Something due within this period of today, or overdue."""
    dormant: bool = False
    no_activity: bool = False
    dormant_after: Period = DORMANT_AFTER

    def watch(self) -> Watch:
        from agreements.domain.due import Watch

        return Watch(dormant_after=self.dormant_after)

    def about_activity(self) -> bool:
        return self.no_activity or self.dormant or self.due_within is not None

    def selects_all(self) -> bool:
        return self == _EVERYTHING


_EVERYTHING = Filters()


def record_test(filters: Filters, today: date) -> RecordTest:
    """The test a stored record passes when `filters` keep its agreement."""
    tests: list[RecordTest] = []
    if filters.types:
        types = {VALUES[kind] for kind in filters.types}
        tests.append(lambda record: record["type"] in types)
    if filters.sectors:
        sectors, agreed_only = filters.sectors, filters.agreed_only
        tests.append(
            lambda record: any(
                sector["name"] in sectors and (not agreed_only or sector["certainty"] == "agreed")
                for sector in record["sectors"]
            )
        )
    if filters.countries:
        countries = filters.countries
        tests.append(
            lambda record: any(
                p["country"] in countries or p["country_at_signing"] in countries
                for p in record["parties"]
            )
        )
    if filters.statuses:
        statuses = {VALUES[status] for status in filters.statuses}
        tests.append(lambda record: record_status(record, today) in statuses)
    if filters.signed_after or filters.signed_before:
        tests.append(lambda record: _signed_between(stored_date(record["signed_on"]), filters))
    if filters.tags:
        tags = filters.tags
        tests.append(lambda record: not tags.isdisjoint(fold(tag) for tag in record["tags"]))
    if filters.party:
        party = fold(filters.party)
        tests.append(
            lambda record: _names_hold(
                party,
                (
                    text
                    for p in record["parties"]
                    for text in (p["name"], p["parent"], *p["other_names"])
                ),
            )
        )
    if filters.search:
        wanted = fold(filters.search)
        tests.append(lambda record: wanted in searchable_text(record))
    if filters.about_activity():  # the rules about dates load only when asked
        from agreements.domain.due import due_items, has_no_activity, is_dormant, last_day_within
    if filters.no_activity:
        tests.append(lambda record: has_no_activity(record, today))
    if filters.dormant:
        after = filters.dormant_after
        tests.append(lambda record: is_dormant(record, today, after))
    if filters.due_within is not None:
        until, watch = last_day_within(filters.due_within, today), filters.watch()
        tests.append(lambda record: bool(due_items([(0, record)], today, until, watch)))
    if not tests:
        return lambda record: True
    if len(tests) == 1:
        return tests[0]
    return lambda record: all(test(record) for test in tests)


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


def searchable_text(record: Record) -> str:
    """Every text field of a stored record, folded, for `--search`; countries by name too."""
    from agreements.domain.countries import country_name  # a search index is made rarely

    parts: list[str] = [record["title"], record["place"] or "", record["notes"] or ""]
    parts += record["tags"]
    parts += [sector["name"] for sector in record["sectors"]]
    for party in record["parties"]:
        country = party["country"]
        parts += [party["name"], party["parent"] or "", country or ""]
        parts += party["other_names"]
        parts += [party["country_as_given"] or "", party["region"] or ""]
        if country:
            parts.append(country_name(country))
    for signatory in record["signatories"]:
        parts += [signatory["name"], signatory["title"] or ""]
    for contact in record["contacts"]:
        parts += [contact["name"], contact["role"] or "", contact["phone"] or ""]
        parts.append(contact["email"] or "")
    for source in record["sources"]:
        parts += [source["url"], source["title"] or ""]
    for activity in record["activities"]:
        parts += [activity["summary"], activity["party"] or "", activity["follow_up"] or ""]
    parts.append(record["status_reason"] or "")
    # Field by field, so that names met again and again are folded once: the same as
    # folding the whole text, since fold only ever joins words with one space.
    return " ".join(folded for folded in map(fold, parts) if folded)


class SortKey(StrEnum):
    ID = "id"
    TITLE = "title"
    TYPE = "type"
    SIGNED = "signed"
    STATUS = "status"
    COUNTRY = "country"
    CREATED = "created"
    UPDATED = "updated"


def parse_sort(text: str) -> tuple[SortKey, bool]:
    """`signed` sorts ascending, `-signed` descending."""
    descending = text.startswith("-")
    name = text.removeprefix("-").strip().lower().replace("_on", "").replace("_at", "")
    try:
        return SortKey(name), descending
    except ValueError:
        allowed = ", ".join(key.value for key in SortKey)
        raise InvalidInput(f"cannot sort by {text!r}", hint=f"choose one of: {allowed}") from None


def _signed_key(record: Record) -> tuple[int, int, int]:
    signed = stored_date(record["signed_on"])
    assert signed is not None
    return signed.year, signed.month or 0, signed.day or 0


def sort_key(
    key: SortKey, today: date, collation: Collation | None = None
) -> Callable[[tuple[int, Record]], Any]:
    """The key that orders (id, stored record) pairs by `key`; titles in `collation`."""
    from agreements.domain.collation import Collation, collation_key

    order = collation or Collation.DEFAULT
    keys: dict[SortKey, Callable[[tuple[int, Record]], Any]] = {
        SortKey.ID: lambda hit: hit[0],
        SortKey.TITLE: lambda hit: collation_key(hit[1]["title"], order),
        SortKey.TYPE: lambda hit: hit[1]["type"],
        SortKey.SIGNED: lambda hit: _signed_key(hit[1]),
        SortKey.STATUS: lambda hit: record_status(hit[1], today),
        SortKey.COUNTRY: lambda hit: ",".join(sorted(record_countries(hit[1]))),
        SortKey.CREATED: lambda hit: hit[1]["created_at"],
        SortKey.UPDATED: lambda hit: hit[1]["updated_at"],
    }
    return keys[key]


def lacks_sort_value(key: SortKey) -> Callable[[tuple[int, Record]], bool]:
    """Whether a record has no value to sort by `key`: those come last, either way."""
    if key is SortKey.SIGNED:
        return lambda hit: hit[1]["signed_on"] is None
    if key is SortKey.COUNTRY:
        return lambda hit: not record_countries(hit[1])
    return lambda hit: False


def record_countries(record: Record) -> list[str]:
    """The countries of a stored record's parties, each once, in the parties' order: the
    present-day one, or for a party known only by a former country, that (SUHH)."""
    return list(
        {
            country: None
            for p in record["parties"]
            if (country := p["country"] or p["country_at_signing"])
        }
    )
