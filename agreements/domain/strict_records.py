"""Reading records someone else may have written: every field checked, every problem
named by its record, field and item.

`from_exchanged` reads what an export holds, `from_stored` what a register file holds;
both walk the fields of `schema` in its order, as our own CSV reader does, so all three
stop at the same problem first. `record_problems` and `stored_shape_problems` collect
every problem of a stored record for `check`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from agreements.domain.dates import PartialDate
from agreements.domain.model import Agreement, default_title, validate, validation_problems
from agreements.domain.periods import Period
from agreements.domain.records import (
    LARGEST_ID,
    MISSING,
    NOT_AN_ID,
    NOT_TEXTS,
    code_problem,
    stored_date,
    stored_period,
)
from agreements.domain.schema import (
    EXCHANGED_FIELDS,
    FIELDS,
    STORED_FIELDS,
    Field,
    Item,
    Kind,
    Part,
)
from agreements.domain.values import Status, member, not_a_member
from agreements.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)
_STORED_NAMES = tuple(field.name for field in STORED_FIELDS)


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

    def period(self, key: str) -> Period | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return stored_period(value)
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

    def code(self, key: str, kind: Kind) -> str | None:
        value = self.text(key)
        problem = None if value is None else code_problem(kind, value)
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


_STORED_KEYS = frozenset(field.name for field in STORED_FIELDS) | {"id"}
_EXCHANGED_KEYS = frozenset(field.name for field in FIELDS)
"""The keys an exchanged record may have: a register's own uid among them, not read."""
_EXCHANGED_NAMES = frozenset(field.name for field in EXCHANGED_FIELDS)


PartRead = Callable[[RecordReader], Any]


def _item(reader: RecordReader, item: Item, parts: list[tuple[str, PartRead]]) -> Any:
    reader.check_keys(item.key_set)
    return item.model(**{key: read(reader) for key, read in parts})


def _part_reader(part: Part) -> PartRead:
    """How one key of a list's objects is read, its kind looked at once, not per object."""
    key, kind = part.key, part.kind
    if kind is Kind.TEXT:
        required = part.required
        return lambda reader: reader.text(key, required=required)
    if kind is Kind.TEXTS:
        return lambda reader: tuple(reader.strings(key))
    read: PartRead
    if kind is Kind.DATE:
        read = lambda reader: reader.date(key)  # noqa: E731
    elif kind is Kind.CHOICE:
        choices, default = part.choices, part.default
        assert choices is not None
        read = lambda reader: reader.choice(key, choices, default)  # noqa: E731
    else:
        read = lambda reader: reader.code(key, kind)  # noqa: E731
    if not part.required:
        return read

    def required_read(reader: RecordReader) -> Any:
        value = read(reader)
        if value is None:
            raise reader.fail(key, MISSING)
        return value

    return required_read


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
        parts = [(part.key, _part_reader(part)) for part in item.parts]
        return lambda reader, exchanged: tuple(
            _item(each, item, parts) for each in reader.objects(name)
        )
    if kind is Kind.TEXTS:
        return lambda reader, exchanged: tuple(reader.strings(name))
    if kind is Kind.DATE:
        return lambda reader, exchanged: reader.date(name)
    if kind is Kind.PERIOD:
        return lambda reader, exchanged: reader.period(name)
    if kind is Kind.CHOICE:
        choices = field.choices
        assert choices is not None
        if not field.required:
            return lambda reader, exchanged: reader.choice(name, choices)
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
_EXCHANGED_READERS = [
    (name, read) for name, read in _FIELD_READERS if name in _EXCHANGED_NAMES or name == "id"
]


def _read(reader: RecordReader, exchanged: bool, record_id: int | None) -> Agreement:
    reader.check_keys(_EXCHANGED_KEYS if exchanged else _STORED_KEYS)
    readers = _EXCHANGED_READERS if exchanged else _FIELD_READERS
    values = {name: read(reader, exchanged) for name, read in readers}
    if record_id is not None:
        values["id"] = record_id
    values["title"] = values["title"] or default_title(values["parties"])
    return Agreement(**values)


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
