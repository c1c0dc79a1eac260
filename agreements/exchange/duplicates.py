"""When two rows or records are one agreement, and how they become one.

The same parties (in either order; a party is its name, parent and country, see
`domain.parties`, where a parent that one side leaves out does not tell them apart) with
the same type and signing date are one agreement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from agreements.domain.activities import activity_sort_key
from agreements.domain.model import Activity, Agreement, Party, default_title
from agreements.domain.parties import (
    Parents,
    Places,
    parents_agree,
    places,
    stored_places,
)
from agreements.domain.text import fold
from agreements.domain.values import VALUES

T = TypeVar("T")
Key = tuple[Places, str, str]
"""What duplicates share: the parties' names and countries, the type and the date. Their
parents must also agree (`parties.parents_agree`)."""


def agreement_key(agreement: Agreement) -> tuple[Key, Parents]:
    parties, parents = places(agreement.parties)
    signed = "" if agreement.signed_on is None else str(agreement.signed_on)
    return (parties, VALUES[agreement.type], signed), parents


def record_key(record: Mapping[str, Any]) -> tuple[Key, Parents]:
    parties, parents = stored_places(record["parties"])
    return (parties, record["type"], record["signed_on"] or ""), parents


def merge(first: Agreement, later: Agreement) -> Agreement:
    """One agreement from two records of it: `first` wins, `later` fills what it lacks.

    Lists are joined without repeats, so merging never loses an item.
    """
    parties = tuple(
        _merged_party(party, _same_party(party, later.parties)) for party in first.parties
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


def _same_party(party: Party, parties: Iterable[Party]) -> Party | None:
    """The party of a duplicate that is `party`: the same place, and parents that agree."""
    place, parent = places([party])
    for other in parties:
        other_place, other_parent = places([other])
        if place == other_place and parents_agree(parent, other_parent):
            return other
    return None


def _merged_party(party: Party, other: Party | None) -> Party:
    if other is None:
        return party
    country = party.country or other.country
    return replace(
        party,
        country=country,
        parent=party.parent or other.parent,
        country_as_given=None if country else party.country_as_given or other.country_as_given,
        other_names=_joined(party.other_names, other.other_names, fold),
        region=party.region or other.region,
        region_code=party.region_code or other.region_code,
        country_at_signing=party.country_at_signing or other.country_at_signing,
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
