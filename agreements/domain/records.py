"""The agreement as JSON: the stored and the exchanged record (see `schema`), both ways.

Every encoder and reader here walks the declaration in `schema`, so a field declared
there is written and read everywhere. Records from a sealed register file were checked
when they were saved and are read by `trusted_agreement` without checks; everything
else goes through `strict_records`, which names the field at fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import fields as dataclass_fields
from datetime import date
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import Any, TypeVar

from agreements.domain.dates import PartialDate, parse_iso
from agreements.domain.model import (
    Activity,
    Agreement,
    Party,
    derived_status,
)
from agreements.domain.periods import Period, parse_period
from agreements.domain.schema import EXCHANGED_FIELDS, STORED_FIELDS, Field, Item, Kind
from agreements.domain.values import VALUES

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


@lru_cache(maxsize=256)
def stored_period(text: str | None) -> Period | None:
    """A period as records store it ("3 months"), read once per distinct text."""
    return None if text is None else parse_period(text)


def country_code_problem(country: str) -> str | None:
    """What is wrong with a stored country, if it is not shaped like an ISO code."""
    if len(country) == 2 and country.isascii() and country.isupper():
        return None
    return f"{country!r} is not an ISO 3166-1 alpha-2 code"


_SUBDIVISION_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
_FORMER_COUNTRY_CODE = re.compile(r"[A-Z]{4}")


def code_problem(kind: Kind, code: str) -> str | None:
    """What is wrong with a stored code of `kind`, if it is not shaped like one."""
    if kind is Kind.COUNTRY:
        return country_code_problem(code)
    if kind is Kind.SUBDIVISION:
        if _SUBDIVISION_CODE.fullmatch(code):
            return None
        return f"{code!r} is not an ISO 3166-2 code"
    if _FORMER_COUNTRY_CODE.fullmatch(code):
        return None
    return f"{code!r} is not an ISO 3166-3 code"


def record_status(record: Mapping[str, Any], today: date) -> str:
    """The current status of a stored record: the one set by hand, else derived."""
    return status_of(
        record["status"], record["signed_on"], record["expires_on"], record["renewal"], today
    )


def status_of(
    status: str | None,
    signed_on: str | None,
    expires_on: str | None,
    renewal: str | None,
    today: date,
) -> str:
    """`record_status` from the stored fields it reads."""
    if status is not None:
        return status
    return VALUES[derived_status(signed_on, expires_on, _iso(today), renewal)]


@lru_cache(maxsize=8)
def _iso(today: date) -> str:
    return today.isoformat()


# --- writing -------------------------------------------------------------------------


def _encoder(kind: Kind, item: Item | None = None) -> Callable[[Any], Any] | None:
    """How a model value of `kind` becomes JSON; None when it already is."""
    if kind in (Kind.CHOICE, Kind.STATUS):
        return lambda value: None if value is None else VALUES[value]
    if kind in (Kind.DATE, Kind.PERIOD):
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


_EXCHANGED_PARTS = [(field.name, _exchanged_part(field)) for field in EXCHANGED_FIELDS]


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
    if kind is Kind.PERIOD:
        return stored_period
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


_TRUSTED_ACTIVITIES = dict(_TRUSTED_DECODERS)["activities"]
_TRUSTED_PARTIES = dict(_TRUSTED_DECODERS)["parties"]


def trusted_party(party: Mapping[str, Any]) -> Party:
    """One party of a record of a sealed register file, without checks."""
    parties: tuple[Party, ...] = _TRUSTED_PARTIES([party])
    return parties[0]


def stored_activities(record: Mapping[str, Any]) -> tuple[Activity, ...]:
    """The activities of a record of a sealed register file, without the rest of it."""
    activities: tuple[Activity, ...] = _TRUSTED_ACTIVITIES(record["activities"])
    return activities


def trusted_agreement(record: Mapping[str, Any], record_id: int) -> Agreement:
    """An agreement from a record of a sealed register file: no checks, fast.

    Anything else goes through `from_stored` or `from_exchanged`.
    """
    return Agreement(
        id=record_id, **{name: decode(record[name]) for name, decode in _TRUSTED_DECODERS}
    )
