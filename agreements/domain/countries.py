"""Countries as ISO 3166-1 alpha-2 codes, given as codes or names in several languages."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import orjson

from agreements.domain.text import fold
from agreements.errors import InvalidInput
from agreements.resources import data_path

# ISO 3166-1 alpha-2, as pycountry lists them (a test keeps the two equal): checking a
# typed code needs no country database, which takes pycountry a noticeable time to load.
ALPHA_2 = frozenset({
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
})  # fmt: skip


@cache
def _aliases() -> dict[str, str]:
    raw: dict[str, str] = orjson.loads(data_path("country-aliases.json").read_bytes())
    return {fold(name): code for name, code in raw.items() if not name.startswith("_")}


# Languages whose country names are read besides English, from pycountry's translations:
# those of the registers and datasets people bring.
TRANSLATIONS = ("de", "da", "sv", "nb_NO", "fi", "nl", "fr", "es", "it", "pt", "pl", "cs")


@cache
def _english_names() -> dict[str, str]:
    """Every English name, official name and common name, folded, to its code, and our aliases."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(country, attribute, None):
                names[fold(value)] = country.alpha_2
    for key, code in list(names.items()):
        first, comma, rest = key.partition(", ")  # "korea, republic of" as "republic of korea"
        if comma:
            names.setdefault(f"{rest} {first}", code)
    names.update(_aliases())
    return names


@cache
def _names() -> dict[str, str]:
    """The English names and aliases, then the names in TRANSLATIONS where those are silent."""
    import gettext

    import pycountry

    names = dict(_english_names())
    for language in TRANSLATIONS:
        catalog = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                if value := getattr(country, attribute, None):
                    key = fold(catalog.gettext(value))
                    names.setdefault(key, country.alpha_2)
                    first, comma, rest = key.partition(", ")
                    if comma:
                        names.setdefault(f"{rest} {first}", country.alpha_2)
    return names


def lookup_country(text: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """The alpha-2 code for a code ("DK", "DNK") or a known name ("Denmark", "Dänemark")."""
    key = fold(text)
    if aliases and key in aliases:
        return aliases[key]
    if len(key) == 2 and key.upper() in ALPHA_2:
        return key.upper()
    if len(key) == 3 and key.isalpha():
        import pycountry

        found = pycountry.countries.get(alpha_3=key.upper())
        if found is not None:
            return str(found.alpha_2)
    return _english_names().get(key) or _names().get(key)


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


def read_country(text: str, aliases: Mapping[str, str] | None = None) -> CountryReading | None:
    """What a country cell means, or None when it names no country we know."""
    code = lookup_country(text, aliases)
    if code is None:
        return None
    how = Resolution.CODE if fold(text).upper() == code else Resolution.NAME
    return CountryReading(code, how)


def present_country(former: str, place: str) -> str | None:
    """The present-day country of a place in a former country, where it is known."""
    return None


def parse_country_alias(spec: str) -> tuple[str, str]:
    """ "NAME=CODE", as --country-alias takes it: (folded name, code)."""
    name, equals, code = spec.rpartition("=")
    if not equals or not fold(name):
        raise InvalidInput(
            f"cannot read the country alias {spec!r}", hint='write it as "NAME=CODE"'
        )
    return fold(name), resolve_country(code)


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
    if found.how is Resolution.FORMER and found.former is not None:
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
    close = difflib.get_close_matches(key, _names(), n=1, cutoff=0.75)
    hint = f"did you mean {country_name(_names()[close[0]])!r}?" if close else None
    raise InvalidInput(
        f"unknown country {text!r}",
        hint=hint or "give an ISO 3166-1 code such as DK or an English name such as Denmark",
    )


def is_country_code(code: str) -> bool:
    return code in ALPHA_2


@cache
def country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)
