"""The agreement as JSON: the stored and the exchanged record (see `schema`), both ways.

Every encoder and reader here walks the declaration in `schema`, so a field declared
there is written and read everywhere. Records from a sealed register file were checked
when they were saved and are read by `trusted_agreement` without checks; everything
else goes through `from_stored` or `from_exchanged`, which name the field at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields as dataclass_fields
from datetime import date
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import Any, TypeVar

from agreements.domain.dates import PartialDate, parse_iso
from agreements.domain.model import (
    Agreement,
    default_title,
    derived_status,
    validate,
    validation_problems,
)
from agreements.domain.schema import FIELDS, STORED_FIELDS, Field, Item, Kind, Part
from agreements.domain.values import VALUES, Status, member, not_a_member
from agreements.errors import InvalidInput

Record = dict[str, Any]
E = TypeVar("E", bound=StrEnum)

# The problems a stored value can have, worded once for every reader of records.
MISSING = "missing or empty"
NOT_TEXTS = "expected a list of non-empty texts"
LARGEST_ID = 2**53 - 1
"""The largest whole number every JSON reader holds exactly (JavaScript's included)."""
NOT_AN_ID = f"expected a positive whole number up to {LARGEST_ID:,}"


@lru_cache(maxsize=1 << 16)
def stored_date(text: str | None) -> PartialDate | None:
    """A date as records store it (ISO, possibly partial), read once per distinct text."""
    return None if text is None else parse_iso(text)


def country_code_problem(country: str) -> str | None:
    """What is wrong with a stored country, if it is not shaped like an ISO code."""
    if len(country) == 2 and country.isascii() and country.isupper():
        return None
    return f"{country!r} is not an ISO 3166-1 alpha-2 code"


def record_status(record: Mapping[str, Any], today: date) -> str:
    """The current status of a stored record: the one set by hand, else derived."""
    status: str | None = record["status"]
    if status is not None:
        return status
    signed = record["signed_on"] is not None
    return VALUES[derived_status(signed, stored_date(record["expires_on"]), today)]


# --- writing -------------------------------------------------------------------------


def _encoder(kind: Kind, item: Item | None = None) -> Callable[[Any], Any] | None:
    """How a model value of `kind` becomes JSON; None when it already is."""
    if kind in (Kind.CHOICE, Kind.STATUS):
        return lambda value: None if value is None else VALUES[value]
    if kind is Kind.DATE:
        return lambda value: None if value is None else str(value)
    if kind is Kind.TEXTS:
        return list
    if kind is Kind.ITEMS:
        assert item is not None
        return _items_encoder(item)
    return None


def _items_encoder(item: Item) -> Callable[[Any], Any]:
    keys = item.keys
    values_of = attrgetter(*keys)
    encoded = [(part.key, encode) for part in item.parts if (encode := _encoder(part.kind))]

    def encode_items(items: Any) -> list[Record]:
        records = []
        for value in items:
            record = dict(zip(keys, values_of(value), strict=True))
            for key, encode in encoded:
                record[key] = encode(record[key])
            records.append(record)
        return records

    return encode_items


_STORED_NAMES = tuple(field.name for field in STORED_FIELDS)
_STORED_VALUES = attrgetter(*_STORED_NAMES)
_STORED_ENCODED = [
    (field.name, encode)
    for field in STORED_FIELDS
    if (encode := _encoder(field.kind, field.item)) is not None
]


def stored_record(agreement: Agreement) -> Record:
    """The agreement as the register file holds it: every stored field, no id."""
    record = dict(zip(_STORED_NAMES, _STORED_VALUES(agreement), strict=True))
    for name, encode in _STORED_ENCODED:
        record[name] = encode(record[name])
    return record


def _exchanged_part(field: Field) -> Callable[[int, Mapping[str, Any], date], Any]:
    name = field.name
    if field.kind is Kind.ID:
        return lambda record_id, record, today: record_id
    if field.kind is Kind.STATUS:
        return lambda record_id, record, today: record_status(record, today)
    if field.kind is Kind.FLAG:  # status_manual, the only flag
        return lambda record_id, record, today: record["status"] is not None
    if field.item is not None:
        keys = field.item.keys
        return lambda record_id, record, today: [
            {key: value[key] for key in keys} for value in record[name]
        ]
    return lambda record_id, record, today: record[name]


_EXCHANGED_PARTS = [(field.name, _exchanged_part(field)) for field in FIELDS]


def exchanged_from_stored(record_id: int, record: Mapping[str, Any], today: date) -> Record:
    """The exchanged record (`--format json`, exports) of a stored one, in field order."""
    return {name: part(record_id, record, today) for name, part in _EXCHANGED_PARTS}


def exchanged_record(agreement: Agreement, today: date) -> Record:
    assert agreement.id is not None
    return exchanged_from_stored(agreement.id, stored_record(agreement), today)


def differing_fields(old: Agreement, new: Agreement) -> list[tuple[str, Any, Any]]:
    """(field, before, after) of every stored field that differs, timestamps aside."""
    before, after = stored_record(old), stored_record(new)
    return [
        (field.name, before[field.name], after[field.name])
        for field in STORED_FIELDS
        if field.kind is not Kind.TIMESTAMP and before[field.name] != after[field.name]
    ]


# --- reading what we wrote -------------------------------------------------------------


def _trusted_decoder(kind: Kind, choices: type[StrEnum] | None, item: Item | None) -> Any:
    if kind in (Kind.CHOICE, Kind.STATUS):
        assert choices is not None
        members = {value.value: value for value in choices}
        return lambda value: None if value is None else members[value]
    if kind is Kind.DATE:
        return stored_date
    if kind is Kind.TEXTS:
        return tuple
    if kind is Kind.ITEMS:
        assert item is not None
        by_key = {part.key: part for part in item.parts}
        # Positionally, in the order of the model's own fields: the fastest way to build it.
        decoders = [
            (name, _trusted_decoder(by_key[name].kind, by_key[name].choices, None))
            for name in (model_field.name for model_field in dataclass_fields(item.model))
        ]
        model = item.model
        return lambda items: (
            tuple(model(*[decode(value[key]) for key, decode in decoders]) for value in items)
            if items
            else ()
        )
    return lambda value: value


_TRUSTED_DECODERS = [
    (field.name, _trusted_decoder(field.kind, field.choices, field.item)) for field in STORED_FIELDS
]


def trusted_agreement(record: Mapping[str, Any], record_id: int) -> Agreement:
    """An agreement from a record of a sealed register file: no checks, fast.

    Anything else goes through `from_stored` or `from_exchanged`.
    """
    return Agreement(
        id=record_id, **{name: decode(record[name]) for name, decode in _TRUSTED_DECODERS}
    )


# --- reading anything else -------------------------------------------------------------


class RecordReader:
    """Reads one JSON object into model values, naming the field of every problem."""

    def __init__(self, data: object, where: str) -> None:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise InvalidInput(f"{where}: expected an object, found {type(data).__name__}")
        self.data: Mapping[str, object] = data
        self.where = where

    def fail(self, key: str, problem: str) -> InvalidInput:
        return InvalidInput(f"{self.where}, field {key!r}: {problem}")

    def check_keys(self, allowed: frozenset[str]) -> None:
        if self.data.keys() <= allowed:
            return
        unknown = [key for key in self.data if key not in allowed]
        raise self.fail(unknown[0], "unknown field")

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if type(value) is str and value:
            return value
        if value is None or value == "":
            if required:
                raise self.fail(key, MISSING)
            return None
        raise self.fail(key, f"expected text, found {type(value).__name__}")

    def date(self, key: str) -> PartialDate | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return stored_date(value)
        except InvalidInput as error:
            raise self.fail(key, error.message) from None

    def choice(self, key: str, kind: type[E], default: E | None = None) -> E | None:
        value = self.text(key)
        if value is None:
            return default
        found = member(kind, value)
        if found is None:
            raise self.fail(key, not_a_member(kind, value))
        return found

    def country(self, key: str) -> str | None:
        value = self.text(key)
        problem = None if value is None else country_code_problem(value)
        if problem is not None:
            raise self.fail(key, problem)
        return value

    def objects(self, key: str) -> Iterator[RecordReader]:
        value = self.data.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            raise self.fail(key, "expected a list")
        for number, item in enumerate(value):
            yield RecordReader(item, f"{self.where}, {key}[{number}]")

    def strings(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, NOT_TEXTS)
        return list(value)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false")
        return value

    def positive_id(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is not None and (type(value) is not int or not 1 <= value <= LARGEST_ID):
            raise self.fail(key, NOT_AN_ID)
        return value

    def part(self, part: Part) -> Any:
        if part.kind is Kind.DATE:
            return self.date(part.key)
        if part.kind is Kind.CHOICE:
            assert part.choices is not None
            return self.choice(part.key, part.choices, part.default)
        if part.kind is Kind.COUNTRY:
            return self.country(part.key)
        return self.text(part.key, required=part.required)


_STORED_KEYS = frozenset(field.name for field in STORED_FIELDS) | {"id"}
_EXCHANGED_KEYS = frozenset(field.name for field in FIELDS)


FieldRead = Callable[[RecordReader, bool], Any]
"""One field's value from a record, given whether the record is in the exchanged form."""


def _field_reader(field: Field) -> FieldRead | None:
    name, kind = field.name, field.kind
    if kind is Kind.FLAG:
        return None  # status_manual: read with the status
    if kind is Kind.ID:
        return lambda reader, exchanged: reader.positive_id(name)
    if kind is Kind.STATUS:
        # An exchanged record names the current status; it counts only when set by hand.
        return lambda reader, exchanged: (
            reader.choice(name, Status) if not exchanged or reader.flag("status_manual") else None
        )
    if field.item is not None:
        item = field.item
        return lambda reader, exchanged: tuple(_item(each, item) for each in reader.objects(name))
    if kind is Kind.TEXTS:
        return lambda reader, exchanged: tuple(reader.strings(name))
    if kind is Kind.DATE:
        return lambda reader, exchanged: reader.date(name)
    if kind is Kind.CHOICE:
        choices = field.choices
        assert choices is not None
        return lambda reader, exchanged: _required_choice(reader, name, choices)
    if kind is Kind.TIMESTAMP:
        return lambda reader, exchanged: reader.text(name) or ""
    return lambda reader, exchanged: reader.text(name)


def _required_choice(reader: RecordReader, name: str, choices: type[StrEnum]) -> StrEnum:
    found = reader.choice(name, choices)
    if found is None:
        raise reader.fail(name, MISSING)
    return found


_FIELD_READERS = [(field.name, read) for field in FIELDS if (read := _field_reader(field))]


def _read(reader: RecordReader, exchanged: bool, record_id: int | None) -> Agreement:
    reader.check_keys(_EXCHANGED_KEYS if exchanged else _STORED_KEYS)
    values = {name: read(reader, exchanged) for name, read in _FIELD_READERS}
    if record_id is not None:
        values["id"] = record_id
    values["title"] = values["title"] or default_title(values["parties"])
    return Agreement(**values)


def _item(reader: RecordReader, item: Item) -> Any:
    reader.check_keys(item.key_set)
    return item.model(**{part.key: reader.part(part) for part in item.parts})


def _validated(read: Callable[[], Agreement], where: str) -> Agreement:
    agreement = read()
    try:
        validate(agreement)
    except InvalidInput as error:
        raise InvalidInput(f"{where}: {error.message}", error.hint) from None
    return agreement


def from_exchanged(data: object, where: str) -> Agreement:
    """An agreement from an exchanged record (an export, `--format json`); raises
    InvalidInput naming the field at fault.

    `status` counts as set by hand only when `status_manual` is true; otherwise it is
    derived again from the dates, so an exported file reads back to the same record.
    """
    return _validated(lambda: _read(RecordReader(data, where), True, None), where)


def from_stored(data: object, where: str, record_id: int | None = None) -> Agreement:
    """An agreement from a stored record that was not sealed, checked field by field."""
    return _validated(lambda: _read(RecordReader(data, where), False, record_id), where)


def stored_shape_problems(record: object, where: str) -> list[str]:
    """The fields and item parts a stored record lacks: agreements writes every one of them,
    so a sealed file whose records lack one was rewritten by hand and sealed again."""
    if not isinstance(record, Mapping):
        return []  # record_problems says so
    problems = [
        f"{where}: the field {name!r} is missing" for name in _STORED_NAMES if name not in record
    ]
    for field in STORED_FIELDS:
        items = record.get(field.name)
        if field.item is None or not isinstance(items, list):
            continue
        for number, item in enumerate(items):
            if isinstance(item, Mapping):
                problems += [
                    f"{where}, {field.name}[{number}]: the field {key!r} is missing"
                    for key in field.item.keys
                    if key not in item
                ]
    return problems


# Enough for a record to read when only one of its fields is being checked.
_MINIMAL_RECORD = {"type": "other", "parties": [{"name": "A"}, {"name": "B"}]}


def record_problems(data: object, where: str) -> list[str]:
    """Every problem of a stored record, each naming its field; none when it reads back."""
    if not isinstance(data, Mapping):
        return [f"{where}: expected an object, found {type(data).__name__}"]
    try:
        from_stored(data, where)
    except InvalidInput:
        pass  # look at each field on its own to name every problem
    else:
        return []
    problems = [f"{where}, field {key!r}: unknown field" for key in data if key not in _STORED_KEYS]
    for key in ("id", *(field.name for field in STORED_FIELDS)):
        if key in data:
            try:
                _read(RecordReader({**_MINIMAL_RECORD, key: data[key]}, where), False, None)
            except InvalidInput as error:
                problems.append(error.message)
    if "type" not in data:
        problems.append(f"{where}, field 'type': {MISSING}")
    if problems:
        return problems
    try:
        agreement = _read(RecordReader(data, where), False, None)
    except InvalidInput as error:
        return [error.message]
    return [
        f"{where}, field {problem.field!r}: {problem.message}"
        for problem in validation_problems(agreement)
    ]
