"""Reading other tools' CSV files: which column holds which field, and what the file lacks.

`--map party2.name=partnergemeinde` points a field at a column, `--set party1.country=DE`
gives a value where the file has none, and `--translate type:p=sister-city` turns a
coded value into ours before it is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache, partial
from typing import TypeVar

from agreements.domain.countries import CountryReading, parse_country_alias, read_country
from agreements.domain.dates import DateOrder, PartialDate, parse_date
from agreements.domain.model import Agreement, Party, Sector, Source, default_title, validate
from agreements.domain.parsing import (
    Parenthesis,
    infer_level,
    parse_sectors,
    parse_source,
    placed_party,
)
from agreements.domain.periods import parse_period
from agreements.domain.schema import MAPPED, MAPPED_PARTY_KEYS, Kind
from agreements.domain.text import clean, fold, qualified_name
from agreements.domain.values import (
    AgreementType,
    Level,
    Status,
    parse_level,
    parse_member,
    parse_status,
    parse_type,
)
from agreements.domain.vocabulary import Vocabulary
from agreements.errors import InvalidInput

_FIELD_ALIASES = {
    "signed": "signed_on", "date": "signed_on", "year": "signed_on", "sector": "sectors",
    "tag": "tags", "note": "notes", "url": "source", "expires": "expires_on", "review": "review_on",
}  # fmt: skip
T = TypeVar("T")
_PARTY_FIELD = re.compile(r"party([1-9])\.(\w+)")
_LIST_SEPARATOR = re.compile(r"\s*[;,|]\s*")


def field_name(text: str) -> str:
    """The canonical name of a field a user names in --map, --set or --translate."""
    name = text.strip().lower().replace("-", "_")
    name = _FIELD_ALIASES.get(name, name)
    match = _PARTY_FIELD.fullmatch(name)
    if name in MAPPED or (match and match.group(2) in MAPPED_PARTY_KEYS):
        return name
    party_fields = ", ".join(f"party1.{key}" for key in MAPPED_PARTY_KEYS)
    allowed = f"{party_fields} (and party2… ), " + ", ".join(MAPPED)
    raise InvalidInput(f"unknown field {text.strip()!r}", hint=f"fields: {allowed}")


def _pair(spec: str, separator: str, what: str, form: str) -> tuple[str, str]:
    left, found, right = spec.partition(separator)
    if not found or not left.strip():
        raise InvalidInput(f"cannot read the {what} {spec!r}", hint=f"write it as {form!r}")
    return left, right


@dataclass
class ColumnMap:
    """Where each field comes from in one file."""

    header: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    country_aliases: dict[str, str] = field(default_factory=dict)
    strict_countries: bool = False
    date_order: DateOrder | None = None
    parenthesis: Parenthesis = Parenthesis.KEEP
    of_objects: bool = False
    """Whether the columns are the keys of JSON objects rather than of a CSV header."""

    def column_label(self, name: str) -> str:
        index = self.columns[name]
        if self.of_objects:
            return f"key {self.header[index]!r}"
        return f"column {index + 1} {self.header[index]!r}"


def build_column_map(
    header: Sequence[str],
    maps: Sequence[str],
    constants: Sequence[str] = (),
    translations: Sequence[str] = (),
) -> ColumnMap:
    """The map of `--map FIELD=COLUMN`, `--set FIELD=VALUE` and `--translate FIELD:FROM=TO`.

    A column is named by its header, or by its number counted from 1.
    """
    column_map = ColumnMap(header=list(header))
    for spec in maps:
        name, column = _pair(spec, "=", "--map", "FIELD=COLUMN")
        column = column.strip()
        found = [index for index, title in enumerate(header) if title.strip() == column] or [
            index for index, title in enumerate(header) if fold(title) == fold(column)
        ]
        if len(found) > 1:  # "Land" for a town's and for its partner's country
            numbers = " and ".join(str(index + 1) for index in found)
            raise InvalidInput(
                f"the file has {len(found)} columns {column!r} (columns {numbers})",
                hint=f"name the one meant by its number: --map {name.strip()}={found[-1] + 1}",
            )
        index = found[0] if found else None
        if index is None and column.isdigit() and 1 <= int(column) <= len(header):
            index = int(column) - 1
        if index is None:
            known = ", ".join(repr(name) for name in header)
            raise InvalidInput(f"the file has no column {column!r}", hint=f"its columns: {known}")
        column_map.columns[field_name(name)] = index
    for spec in constants:
        name, value = _pair(spec, "=", "--set", "FIELD=VALUE")
        column_map.constants[field_name(name)] = value
    for spec in translations:
        name, rule = _pair(spec, ":", "--translate", "FIELD:FROM=TO")
        coded, equals, meant = rule.partition("=")
        if not equals:
            raise InvalidInput(
                f"cannot read --translate {spec!r}", hint="write it as 'FIELD:FROM=TO'"
            )
        column_map.translations.setdefault(field_name(name), {})[coded.strip()] = meant.strip()
    named = set(column_map.columns) | set(column_map.constants)
    for party in ("party1", "party2"):
        if f"{party}.name" not in named:
            raise InvalidInput(
                f"no column gives {party}.name",
                hint=f"add --map {party}.name=COLUMN; every agreement needs two parties",
            )
    if "type" not in named:
        raise InvalidInput(
            "no column gives the type", hint="add --map type=COLUMN or --set type=sister-city"
        )
    return column_map


@dataclass(frozen=True)
class MappedRow:
    agreement: Agreement
    unresolved_countries: tuple[str, ...] = ()
    countries: tuple[tuple[str, CountryReading], ...] = ()
    """Each country cell of the row that resolved, with what it was read as."""
    qualified: tuple[str, ...] = ()
    """Names with a qualifier in parentheses, as the row gives them."""
    places: tuple[tuple[str, str, str | None], ...] = ()
    """(country cell, place, country today) of each party in a former country that ISO
    names no single successor of: today's country is the one the place's name told, if any."""


class RowReader:
    """Turns rows of one file into agreements under a ColumnMap."""

    def __init__(self, column_map: ColumnMap, vocabulary: Vocabulary) -> None:
        self.map = column_map
        self.vocabulary = vocabulary
        self.named = set(column_map.columns) | set(column_map.constants)
        self.party_numbers = sorted(
            {int(m.group(1)) for name in self.named if (m := _PARTY_FIELD.fullmatch(name))}
        )
        self.countries: dict[str, CountryReading | None] = {}
        # Only the fields this file gives are read: a row's other fields keep their defaults.
        # The title and the type are read on their own, since the row needs them.
        self.optional_fields = [
            (declared.name, self._reader(mapped, declared.kind))
            for mapped, declared in MAPPED.items()
            if mapped in self.named and mapped not in ("title", "type")
        ]

    def read(self, row: Sequence[str]) -> MappedRow:
        unresolved: list[str] = []
        readings: list[tuple[str, CountryReading]] = []
        qualified: list[str] = []
        places: list[tuple[str, str, str | None]] = []
        parties = []
        for number in self.party_numbers:
            read_before = len(readings)
            party = self._party(row, number, unresolved, readings, qualified)
            if party is None:
                continue
            parties.append(party)
            if len(readings) > read_before:
                text, reading = readings[-1]
                if reading.former is not None and reading.country is None:
                    places.append((text, party.name, party.country))
        if len(parties) < 2:
            raise InvalidInput("an agreement needs two parties, and this row names fewer")
        optional = {name: read(row) for name, read in self.optional_fields}
        title = self._value(row, "title")
        agreement = Agreement(
            title=title or default_title(parties),
            type=self._type(row),
            parties=tuple(parties),
            **optional,  # type: ignore[arg-type]
        )
        validate(agreement)
        return MappedRow(
            agreement, tuple(unresolved), tuple(readings), tuple(qualified), tuple(places)
        )

    def _reader(self, name: str, kind: Kind) -> Callable[[Sequence[str]], object]:
        """How a mapped field's value is read from a row, by its kind."""
        if name == "sectors":
            return lambda row: tuple(self._sectors(row))
        if name == "source":
            return lambda row: tuple(self._sources(row))
        choices = MAPPED[name].choices or StrEnum
        readers: dict[Kind, Callable[[Sequence[str]], object]] = {
            Kind.DATE: lambda row: self._date(row, name),
            Kind.STATUS: self._status,
            Kind.TEXTS: lambda row: tuple(self._list(row, name)),
            Kind.TEXT: lambda row: self._value(row, name),
            Kind.CHOICE: lambda row: self._parsed(row, name, partial(parse_member, choices)),
            Kind.PERIOD: lambda row: self._parsed(row, name, parse_period),
        }
        return readers[kind]

    def _parsed(self, row: Sequence[str], name: str, parse: Callable[[str], T]) -> T | None:
        value = self._value(row, name)
        return None if value is None else self._checked(parse, value, name)

    def _value(self, row: Sequence[str], name: str) -> str | None:
        """The cell for a field after translation, or its constant when the cell is empty."""
        if name not in self.named:
            return None
        index = self.map.columns.get(name)
        paragraphs = name == "notes"
        cell = row[index] if index is not None and index < len(row) else None
        value = (
            None
            if cell is None
            else self._checked(lambda text: clean(text, paragraphs=paragraphs), cell, name)
        )
        translations = self.map.translations.get(name)
        if translations is not None and (value or "") in translations:
            value = clean(translations[value or ""], paragraphs=paragraphs)
        if value is None:
            value = clean(self.map.constants.get(name), paragraphs=paragraphs)
        return value

    def _checked(self, parse: Callable[[str], T], value: str, name: str) -> T:
        try:
            return parse(value)
        except InvalidInput as error:
            where = self.map.column_label(name) if name in self.map.columns else f"field {name!r}"
            raise InvalidInput(f"{where}: {error.message}", error.hint) from None

    def _party(
        self,
        row: Sequence[str],
        number: int,
        unresolved: list[str],
        readings: list[tuple[str, CountryReading]],
        qualified: list[str],
    ) -> Party | None:
        prefix = f"party{number}."
        name = self._value(row, prefix + "name")
        if name is None:
            if prefix + "name" in self.map.columns and number <= 2:
                raise InvalidInput(
                    f"{self.map.column_label(prefix + 'name')}: the party name is empty"
                )
            return None
        country_text = self._value(row, prefix + "country")
        country, as_given = None, None
        if country_text is not None:
            if country_text not in self.countries:
                self.countries[country_text] = read_country(country_text, self.map.country_aliases)
            country = self.countries[country_text]
            if country is None:
                if self.map.strict_countries:
                    label = prefix + "country"
                    where = self.map.column_label(label) if label in self.map.columns else label
                    raise InvalidInput(
                        f"{where}: unknown country {country_text!r}",
                        hint=f'add --country-alias "{country_text}=CODE"',
                    )
                as_given = country_text
                unresolved.append(country_text)
            else:
                readings.append((country_text, country))
        level_text = self._value(row, prefix + "level")
        level = (
            self._checked(_level, level_text, prefix + "level")
            if level_text is not None
            else _inferred_level(name)
        )
        parent = self._value(row, prefix + "parent")
        other_names = tuple(self._list(row, prefix + "other_names"))
        qualifier = qualified_name(name)
        if qualifier is not None:
            qualified.append(name)
            if self.map.parenthesis is Parenthesis.PARENT and parent is None:
                name, parent = qualifier
            elif self.map.parenthesis is Parenthesis.ALIAS:
                name, other_names = qualifier[0], (qualifier[1], *other_names)
        return placed_party(
            name,
            level,
            parent,
            country,
            country_as_given=as_given,
            other_names=other_names,
            region=self._value(row, prefix + "region"),
        )

    def _type(self, row: Sequence[str]) -> AgreementType:
        value = self._value(row, "type")
        if value is None:
            where = self.map.column_label("type") if "type" in self.map.columns else "type"
            raise InvalidInput(
                f"{where}: the type is empty", hint="add --set type=TYPE for such rows"
            )
        return self._checked(_agreement_type, value, "type")

    def _date(self, row: Sequence[str], name: str) -> PartialDate | None:
        value = self._value(row, name)
        if value is None:
            return None
        order = self.map.date_order
        return self._checked(lambda text: _date(text, order), value, name)

    def _status(self, row: Sequence[str]) -> Status | None:
        value = self._value(row, "status")
        return None if value is None else self._checked(parse_status, value, "status")

    def _list(self, row: Sequence[str], name: str) -> list[str]:
        value = self._value(row, name)
        if value is None:
            return []
        return [item for item in _LIST_SEPARATOR.split(value) if item]

    def _sectors(self, row: Sequence[str]) -> list[Sector]:
        items = self._list(row, "sectors")
        if not items:
            return []
        return list(
            self._checked(lambda _: parse_sectors(items, [], self.vocabulary), "", "sectors")
        )

    def _sources(self, row: Sequence[str]) -> list[Source]:
        value = self._value(row, "source")
        if value is None:
            return []
        return [self._checked(parse_source, value, "source")]


@lru_cache(maxsize=4096)
def _inferred_level(name: str) -> Level:
    return infer_level(name)


@lru_cache(maxsize=256)
def _level(text: str) -> Level:
    return parse_level(text)


@lru_cache(maxsize=256)
def _agreement_type(text: str) -> AgreementType:
    return parse_type(text)


@lru_cache(maxsize=8192)
def _date(text: str, order: DateOrder | None) -> PartialDate:
    return parse_date(text, order)


def country_aliases(specs: Sequence[str]) -> Mapping[str, str]:
    return dict(parse_country_alias(spec) for spec in specs)
