"""Turning what a person types (`--party "Qixia District, Nanjing, China"`) into model values."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass, replace
from enum import StrEnum

from agreements.domain.countries import (
    CountryReading,
    present_country,
    read_country,
    resolve_place,
    subdivision_code,
)
from agreements.domain.dates import DateOrder, PartialDate, parse_date
from agreements.domain.model import Agreement, Contact, Party, Sector, Signatory, Source
from agreements.domain.parties import may_be_the_same, reference, referred
from agreements.domain.text import clean, fold, unsafe_character
from agreements.domain.values import Certainty, Level, Status, parse_level, parse_status
from agreements.domain.vocabulary import Vocabulary
from agreements.errors import InvalidInput

_LEVEL_WORDS = {
    "district": Level.DISTRICT,
    "borough": Level.DISTRICT,
    "municipality": Level.MUNICIPALITY,
    "kommune": Level.MUNICIPALITY,
    "commune": Level.MUNICIPALITY,
    "gemeinde": Level.MUNICIPALITY,
    "county": Level.COUNTY,
    "landkreis": Level.COUNTY,
    "region": Level.REGION,
    "province": Level.PROVINCE,
    "prefecture": Level.PROVINCE,
    "state": Level.STATE,
}


_LEVEL_HINT = re.compile("|".join(_LEVEL_WORDS))  # cheap test before the word-by-word one


def required_text(value: str | None, what: str) -> str:
    cleaned = clean(value)
    if cleaned is None:
        raise InvalidInput(f"the {what} is empty")
    return cleaned


def _split(spec: str, separator: str, most: int, what: str, form: str) -> list[str | None]:
    parts = [clean(part) for part in spec.split(separator)]
    if len(parts) > most:
        raise InvalidInput(f"too many parts in the {what} {spec!r}", hint=f"write it as {form!r}")
    return parts + [None] * (most - len(parts))


def infer_level(name: str) -> Level:
    lowered = name.lower()
    if lowered.isascii() and not _LEVEL_HINT.search(lowered):
        return Level.CITY
    for word in fold(name).replace("-", " ").split():
        if word in _LEVEL_WORDS:
            return _LEVEL_WORDS[word]
    return Level.CITY


def level_overrides(specs: Sequence[str]) -> dict[str, Level]:
    overrides: dict[str, Level] = {}
    for spec in specs:
        name, equals, level = spec.rpartition("=")
        if not equals or not clean(name):
            raise InvalidInput(f"cannot read the level {spec!r}", hint='write it as "NAME=LEVEL"')
        overrides[fold(name)] = parse_level(level)
    return overrides


def parse_party(spec: str, levels: dict[str, Level] | None = None) -> Party:
    """ "NAME[, PARENT][, COUNTRY]": with two parts the second is a country if it is one.

    The country may be written as people write it ("Scotland", "Soviet Union"); see
    `countries.read_country`.
    """
    form = "NAME[, PARENT][, COUNTRY]"
    name, second, third = _split(spec, ",", 3, "party", form)
    if name is None:
        raise InvalidInput(f"the party {spec!r} has no name", hint=f"write it as {form!r}")
    parent, country = second, None
    if third is not None:
        country = read_country(third)
        if country is None and parent is not None:
            joined = read_country(f"{parent}, {third}")
            if joined is not None and joined.region is None:
                # "Suwon, Korea, Republic of": the last two parts name one country
                parent, country = None, joined
        if country is None:
            country = resolve_place(third)  # refused, with a hint
        elif (
            parent is not None
            and country.country
            and country.region_code is None
            and (code := subdivision_code(country.country, parent))
        ):
            # "Dundee, Scotland, UK" reads as "Dundee, Scotland" does: a parent that is a
            # region of the country is also the party's region, with its ISO 3166-2 code.
            country = replace(country, region=parent, region_code=code)
    elif second is not None:
        try:
            country, parent = resolve_place(second), None
        except InvalidInput as error:
            if error.hint and error.hint.startswith("did you mean"):
                raise
    level = (levels or {}).get(fold(name)) or infer_level(name)
    return placed_party(name, level, parent, country)


def placed_party(
    name: str,
    level: Level,
    parent: str | None,
    country: CountryReading | None,
    *,
    country_as_given: str | None = None,
    other_names: tuple[str, ...] = (),
    region: str | None = None,
) -> Party:
    """A party with what its country cell said: today's country, its region, and a
    former country, whose present-day successor the place may tell. A region given on
    its own (`region`) is read as a subdivision of the country, where that is known."""
    if country is None:
        return Party(
            name, None, level, parent, country_as_given, other_names=other_names, region=region
        )
    present = country.country
    if present is None and country.former is not None:
        present = present_country(country.former, name)
    region_code = country.region_code
    if region is not None and region != country.region:
        region_code = None if present is None else subdivision_code(present, region)
    return Party(
        name,
        present,
        level,
        parent,
        country_as_given,
        other_names=other_names,
        region=region or country.region,
        region_code=region_code,
        country_at_signing=country.former,
    )


class Parenthesis(StrEnum):
    """What an import makes of a name with a qualifier in parentheses, "Frankfurt (Oder)"."""

    KEEP = "keep"
    """The name as given, parentheses and all."""
    PARENT = "parent"
    """The qualifier is the parent (unless the row gives one): Frankfurt, part of Oder."""
    ALIAS = "alias"
    """The qualifier is another name of the place: Wrocław, also called Breslau."""


def find_party(name: str, parties: Sequence[Party], what: str) -> str:
    """How a signatory, contact or activity refers to the party meant by `name`: one a
    reference names exactly, or the one whose name contains it (see `parties`)."""
    return reference(parties[party_index(name, parties, what)], parties)


def party_index(name: str, parties: Sequence[Party], what: str) -> int:
    """The position of the party `name` means, as `find_party` finds it."""
    found = referred(name, parties) or _written_as_party(name, parties)
    if not found:
        key = fold(name)
        found = [index for index, party in enumerate(parties) if key and key in fold(party.name)]
    if len(found) == 1:
        return found[0]
    if found:
        told = [reference(parties[index], parties) for index in found]
        if len(set(told)) < len(told):
            raise InvalidInput(
                f"{what} names {name!r}, and two parties of that name cannot be told apart",
                hint='give one of them a parent: --party "NAME, PARENT, COUNTRY"',
            )
        raise InvalidInput(
            f"{what} names {name!r}, which could be more than one party",
            hint="write one of " + ", ".join(repr(text) for text in told),
        )
    known = ", ".join(repr(reference(party, parties)) for party in parties)
    raise InvalidInput(f"{what} names {name!r}, which is not a party", hint=f"parties: {known}")


def _written_as_party(text: str, parties: Sequence[Party]) -> list[int]:
    """The parties that `text`, written as `--party` takes one ("Boston, England",
    "Boston, United States"), may be: a reference may give the country as --party does."""
    if "," not in text:
        return []
    try:
        typed = parse_party(text)
    except InvalidInput:
        return []
    return [index for index, party in enumerate(parties) if may_be_the_same(typed, party)]


def parse_signatory(spec: str, parties: Sequence[Party]) -> Signatory:
    """ "NAME; TITLE; PARTY", or "NAME; PARTY" when the title is unknown."""
    form = "NAME; TITLE; PARTY"
    name, title, party = _split(spec, ";", 3, "signatory", form)
    if party is None:
        title, party = None, title
    if name is None or party is None:
        raise InvalidInput(f"cannot read the signatory {spec!r}", hint=f"write it as {form!r}")
    return Signatory(name, find_party(party, parties, f"signatory {name!r}"), title)


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[\d\s().\-/]{3,}")


def parse_contact(spec: str, parties: Sequence[Party]) -> Contact:
    """ "NAME; ROLE; PHONE; EMAIL[; PARTY]"; leave a part empty to skip it."""
    form = "NAME; ROLE; PHONE; EMAIL[; PARTY]"
    name, role, phone, email, party = _split(spec, ";", 5, "contact", form)
    if name is None:
        raise InvalidInput(f"the contact {spec!r} has no name", hint=f"write it as {form!r}")
    if phone is not None and not _PHONE.fullmatch(phone):
        raise InvalidInput(f"{phone!r} is not a phone number", hint="for example +45 8940 2195")
    if email is not None and not _EMAIL.fullmatch(email):
        raise InvalidInput(f"{email!r} is not an e-mail address")
    found = None if party is None else find_party(party, parties, f"contact {name!r}")
    return Contact(name, role, phone, email, found)


def parse_source(spec: str, order: DateOrder | None = None) -> Source:
    """ "URL[; TITLE[; PUBLISHED]]"."""
    url, title, published = _split(spec, ";", 3, "source", "URL[; TITLE[; PUBLISHED]]")
    if url is None or not re.match(r"https?://\S+$", url):
        raise InvalidInput(
            f"{spec!r} does not start with a web address", hint="for example https://…"
        )
    return Source(url, title, None if published is None else parse_date(published, order))


def parse_sectors(
    agreed: Sequence[str], possible: Sequence[str], vocabulary: Vocabulary
) -> list[Sector]:
    """Sector names from the vocabulary; a trailing "?" marks a possible sector."""
    sectors: dict[str, Sector] = {}
    typed = [(text, False) for text in agreed] + [(text, True) for text in possible]
    for text, is_possible in typed:
        stripped = text.strip()
        if stripped.endswith("?"):
            stripped, is_possible = stripped[:-1], True
        name = vocabulary.resolve(stripped)
        certainty = Certainty.POSSIBLE if is_possible else Certainty.AGREED
        if name not in sectors or certainty is Certainty.AGREED:
            sectors[name] = Sector(name, certainty)
    return list(sectors.values())


def parse_tags(texts: Sequence[str]) -> list[str]:
    found: dict[str, str] = {}
    for text in texts:
        if (tag := clean(text)) is not None:
            found.setdefault(fold(tag), tag)
    return list(found.values())


def optional_date(text: str | None, order: DateOrder | None) -> PartialDate | None:
    return None if text is None else parse_date(text, order)


def parse_manual_status(text: str) -> Status | None:
    """A status set by hand, or None for "auto": derived from the dates again."""
    return None if fold(text) == "auto" else parse_status(text)


def joined_notes(texts: Sequence[str]) -> str | None:
    return clean("\n".join(texts), paragraphs=True)


def unsafe_text_problem(agreement: Agreement) -> str | None:
    """The first text of an agreement read from a file that `clean` would refuse, as
    "field 'title': U+001B at position 5"; None when every text is safe to show."""
    for field in dataclass_fields(agreement):
        value = getattr(agreement, field.name)
        for where, text in _texts(field.name, value):
            found = unsafe_character(text, paragraphs=field.name == "notes")
            if found is not None:
                return f"{where}: {found}"
    return None


def _texts(name: str, value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield f"field {name!r}", value
    elif isinstance(value, tuple):
        for number, item in enumerate(value):
            if isinstance(item, str):
                yield f"field {name!r} (item {number + 1})", item
            elif is_dataclass(item):
                for part in dataclass_fields(item):
                    text = getattr(item, part.name)
                    if isinstance(text, str):
                        yield f"{name}[{number}], field {part.name!r}", text
                    elif isinstance(text, tuple):  # a party's other names
                        for inner in text:
                            yield f"{name}[{number}], field {part.name!r}", inner
