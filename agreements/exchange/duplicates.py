"""When two rows or records are one agreement, and how they become one.

The same parties (in either order, each with its country) with the same type and
signing date are one agreement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from agreements.domain.activities import activity_sort_key
from agreements.domain.model import Activity, Agreement, Party, default_title
from agreements.domain.text import fold
from agreements.domain.values import VALUES

T = TypeVar("T")
Key = tuple[tuple[tuple[str, str], ...], str, str]


def _parties_key(parties: Iterable[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((fold(name), country or "") for name, country in parties))


def agreement_key(agreement: Agreement) -> Key:
    parties = _parties_key((party.name, party.country) for party in agreement.parties)
    signed = "" if agreement.signed_on is None else str(agreement.signed_on)
    return parties, VALUES[agreement.type], signed


def record_key(record: Mapping[str, Any]) -> Key:
    parties = _parties_key((party["name"], party["country"]) for party in record["parties"])
    return parties, record["type"], record["signed_on"] or ""


def merge(first: Agreement, later: Agreement) -> Agreement:
    """One agreement from two records of it: `first` wins, `later` fills what it lacks.

    Lists are joined without repeats, so merging never loses an item.
    """
    later_parties = {(fold(party.name), party.country): party for party in later.parties}
    parties = tuple(
        _merged_party(p, later_parties.get((fold(p.name), p.country))) for p in first.parties
    )
    title = first.title
    if title == default_title(first.parties) and later.title != default_title(later.parties):
        title = later.title
    return replace(
        first,
        title=title,
        parties=parties,
        signatories=_joined(first.signatories, later.signatories, lambda s: fold(s.name)),
        place=first.place or later.place,
        sectors=_joined(first.sectors, later.sectors, lambda s: s.name),
        status=first.status or later.status,
        status_reason=first.status_reason or later.status_reason,
        effective_on=first.effective_on or later.effective_on,
        council_resolution_on=first.council_resolution_on or later.council_resolution_on,
        expires_on=first.expires_on or later.expires_on,
        notice=first.notice or later.notice,
        renewal=first.renewal or later.renewal,
        review_on=first.review_on or later.review_on,
        activities=tuple(
            sorted(
                _joined(first.activities, later.activities, Activity.identity),
                key=activity_sort_key,
            )
        ),
        contacts=_joined(first.contacts, later.contacts, lambda c: fold(c.name)),
        sources=_joined(first.sources, later.sources, lambda s: s.url),
        notes=_merged_notes(first.notes, later.notes),
        tags=_joined(first.tags, later.tags, fold),
    )


def _merged_party(party: Party, other: Party | None) -> Party:
    if other is None:
        return party
    country = party.country or other.country
    return replace(
        party,
        country=country,
        parent=party.parent or other.parent,
        country_as_given=None if country else party.country_as_given or other.country_as_given,
    )


def _joined(
    first: tuple[T, ...], later: tuple[T, ...], key: Callable[[T], object]
) -> tuple[T, ...]:
    seen = {key(item) for item in first}
    return first + tuple(item for item in later if key(item) not in seen)


def _merged_notes(first: str | None, later: str | None) -> str | None:
    if first and later and later not in first:
        return f"{first}\n{later}"
    return first or later
