"""The controlled vocabulary of focus areas (sectors) and how typed names map onto it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import orjson

from agreements.domain.text import clean, fold
from agreements.errors import InvalidInput
from agreements.resources import data_path

_SECTOR_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class SectorTerm:
    name: str
    synonyms: tuple[str, ...] = ()
    custom: bool = False


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[SectorTerm, ...]
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for term in self.terms:
            for spelling in (term.name, term.name.replace("-", " "), *term.synonyms):
                lookup.setdefault(fold(spelling), term.name)
        object.__setattr__(self, "_lookup", lookup)

    @property
    def names(self) -> list[str]:
        return sorted(term.name for term in self.terms)

    def find(self, text: str) -> str | None:
        """The vocabulary name for a sector name or synonym, or None."""
        return self._lookup.get(fold(text))

    def resolve(self, text: str) -> str:
        """Like `find`, but an unknown name is an error with a "did you mean" hint."""
        key = fold(text)
        if not key:
            raise InvalidInput("the sector name is empty")
        if name := self._lookup.get(key):
            return name
        close = difflib.get_close_matches(key, self._lookup, n=1, cutoff=0.6)
        hint = f"did you mean {self._lookup[close[0]]!r}? " if close else ""
        raise InvalidInput(
            f"unknown sector {text!r}",
            hint=f"{hint}see 'agreements sectors list', or add it with 'agreements sectors add'",
        )

    def with_terms(self, extra: Iterable[SectorTerm]) -> Vocabulary:
        return Vocabulary((*self.terms, *extra))


def new_sector_term(name: str, synonyms: Iterable[str], vocabulary: Vocabulary) -> SectorTerm:
    """A sector the user adds on purpose: a lowercase hyphenated name not yet known."""
    cleaned = clean(name)
    if cleaned is None:
        raise InvalidInput("the sector name is empty")
    canonical = "-".join(cleaned.lower().split())
    if not _SECTOR_NAME.fullmatch(canonical):
        raise InvalidInput(
            f"{name!r} is not a usable sector name",
            hint="use lowercase letters, digits and hyphens, for example 'food-security'",
        )
    known = vocabulary.find(canonical)
    if known is not None:
        raise InvalidInput(f"the sector {canonical!r} is already known as {known!r}")
    spellings = tuple(dict.fromkeys(s for s in (clean(x) for x in synonyms) if s))
    for spelling in spellings:
        if (taken := vocabulary.find(spelling)) is not None:
            raise InvalidInput(f"the synonym {spelling!r} already means {taken!r}")
    return SectorTerm(canonical, spellings, custom=True)


def removable_sector(text: str, vocabulary: Vocabulary) -> str:
    """The name of the sector `text` means, when this register added it and may drop it."""
    name = vocabulary.resolve(text)
    if not any(term.custom for term in vocabulary.terms if term.name == name):
        raise InvalidInput(
            f"the sector {name!r} comes with agreements and cannot be removed",
            hint="only a sector added with 'agreements sectors add' can be",
        )
    return name


@cache
def shipped_vocabulary() -> Vocabulary:
    raw = orjson.loads(data_path("sectors.json").read_bytes())
    return Vocabulary(
        tuple(
            SectorTerm(entry["name"], tuple(entry.get("synonyms", ()))) for entry in raw["sectors"]
        )
    )
