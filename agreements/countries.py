"""Countries as ISO 3166-1 alpha-2 codes, typed as codes or English names."""

from __future__ import annotations

import difflib
from functools import cache

import orjson

from agreements.errors import InvalidInput
from agreements.resources import data_path
from agreements.text import fold


@cache
def _aliases() -> dict[str, str]:
    raw: dict[str, str] = orjson.loads(data_path("country-aliases.json").read_bytes())
    return {fold(name): code for name, code in raw.items() if not name.startswith("_")}


@cache
def _names() -> dict[str, str]:
    """Every English name, official name and common name, folded, to its code."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(country, attribute, None):
                names[fold(value)] = country.alpha_2
    names.update(_aliases())
    return names


def resolve_country(text: str) -> str:
    """The alpha-2 code for a code ("DK", "DNK") or an English name ("Denmark")."""
    import pycountry

    key = fold(text)
    if not key:
        raise InvalidInput("the country is empty")
    if len(key) in (2, 3) and key.isalpha():
        found = pycountry.countries.get(alpha_2=key.upper()) or pycountry.countries.get(
            alpha_3=key.upper()
        )
        if found is not None:
            return str(found.alpha_2)
    if code := _names().get(key):
        return code
    close = difflib.get_close_matches(key, _names(), n=1, cutoff=0.75)
    hint = f"did you mean {country_name(_names()[close[0]])!r}?" if close else None
    raise InvalidInput(
        f"unknown country {text!r}",
        hint=hint or "give an ISO 3166-1 code such as DK or an English name such as Denmark",
    )


def is_country_code(code: str) -> bool:
    import pycountry

    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)
