"""Rows of the register's own CSV, read straight into agreements.

The rules are those of `records.from_exchanged`, applied to the cells of a row rather
than to a JSON object, so that a large import builds no record on the way; both walk
the fields of `schema` in its order, so both stop at the same problem first. Each error
names the column, and the item within a list column. tests/test_own_csv.py holds this
reader and `from_exchanged` to the same agreements and the same errors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from typing import Any

from agreements.domain.model import Agreement, Sector, default_title, validate
from agreements.domain.records import (
    LARGEST_ID,
    MISSING,
    NOT_AN_ID,
    NOT_TEXTS,
    code_problem,
    stored_date,
    stored_period,
)
from agreements.domain.schema import CSV_COLUMNS, FIELDS, Field, Item, Kind, Part
from agreements.domain.text import counted
from agreements.domain.values import Certainty, Status, member, not_a_member
from agreements.errors import InvalidInput
from agreements.exchange.csv_columns import plain_column, split_items, split_names
from agreements.exchange.spreadsheet import unescape_cell

Cells = list[str]
Items = list[tuple[str, ...]]
Read = Callable[[Cells, bool, dict[str, Items]], Any]
"""One field's value from a row: its cells, whether its status was set by hand, and the
items of each list kept in parallel columns, checked whole before any is read."""
ReadPart = Callable[[str, int | None], Any]


class OwnRowReader:
    """Reads the rows of a CSV that 'agreements export' wrote, given its header."""

    def __init__(self, header: Sequence[str]) -> None:
        columns = [plain_column(column) for column in header]
        unknown = [column for column in columns if column not in CSV_COLUMNS]
        if unknown:
            raise InvalidInput(
                f"line 1: the column {unknown[0]!r} is not one 'agreements export' writes",
                hint="remove it, or read the file with --map FIELD=COLUMN",
            )
        if "type" not in columns:
            raise InvalidInput("line 1: the header needs at least party_names and type")
        self.width = len(columns)
        # A column the file leaves out reads as an empty cell, found one past the last.
        where = {column: index for index, column in enumerate(columns)}
        self._at = {column: where.get(column, self.width) for column in CSV_COLUMNS}
        self._id, self._manual = self._at["id"], self._at["status_manual"]
        self._groups = [
            (field.name, field.columns, [self._at[column] for column in field.columns])
            for field in FIELDS
            if field.item is not None and len(field.columns) > 1
        ]
        self._fields = [
            (field.name, read) for field in FIELDS if (read := self._reader(field)) is not None
        ]

    def read(self, cells: list[str]) -> Agreement:
        """The agreement of one row; raises InvalidInput naming the column at fault."""
        if len(cells) != self.width:
            raise InvalidInput(f"{counted(len(cells), 'cell')} where the header has {self.width}")
        cells = [*cells, ""]
        if "'" in "".join(cells):
            cells = [cell if cell[:1] != "'" else unescape_cell(cell) for cell in cells]
        id_cell, manual_cell = cells[self._id], cells[self._manual]
        if id_cell and not (id_cell.isascii() and id_cell.isdigit()):
            raise _fail("id", f"{id_cell!r} is not a whole number")
        if manual_cell not in ("true", "false", ""):
            raise _fail("status_manual", "expected true or false")
        items = {name: _items(columns, cells, at) for name, columns, at in self._groups}
        manual = manual_cell == "true"
        values = {name: read(cells, manual, items) for name, read in self._fields}
        values["title"] = values["title"] or default_title(values["parties"])
        agreement = Agreement(**values)
        validate(agreement)
        return agreement

    def _reader(self, field: Field) -> Read | None:
        kind, name = field.kind, field.name
        if kind is Kind.FLAG:
            return None
        if field.item is not None:
            return self._list_reader(field)
        if not field.columns:  # not in CSV (the uid): a new agreement's own
            return None
        at = self._at[name]
        if kind is Kind.ID:
            return lambda cells, manual, items: _positive_id(cells[at])
        if kind is Kind.STATUS:
            return lambda cells, manual, items: _choice(Status, cells[at], name) if manual else None
        if kind is Kind.CHOICE:
            choices = field.choices
            assert choices is not None
            if not field.required:
                return lambda cells, manual, items: _choice(choices, cells[at], name)
            return lambda cells, manual, items: _required_choice(choices, cells[at], name)
        if kind is Kind.DATE:
            return lambda cells, manual, items: _date(cells[at], name)
        if kind is Kind.PERIOD:
            return lambda cells, manual, items: _period(cells[at], name)
        if kind is Kind.TEXTS:
            return lambda cells, manual, items: _texts(cells[at], name)
        if kind is Kind.TIMESTAMP:
            return lambda cells, manual, items: cells[at]
        return lambda cells, manual, items: cells[at] or None

    def _list_reader(self, field: Field) -> Read:
        item = field.item
        assert item is not None
        if not field.columns:  # kept in a CSV of its own (activities)
            return lambda cells, manual, items: ()
        if len(field.columns) == 1:  # sectors: "name" or "name?" in one column
            at, column = self._at[field.columns[0]], field.columns[0]
            return lambda cells, manual, items: tuple(
                _sector(text, column, n) for n, text in enumerate(split_items(cells[at]))
            )
        read_item, name = item_reader(item), field.name

        def read(cells: Cells, manual: bool, items: dict[str, Items]) -> tuple[Any, ...]:
            return tuple(read_item(texts, n) for n, texts in enumerate(items[name]))

        return read


def item_reader(item: Item) -> Callable[[Sequence[str], int | None], Any]:
    """How one object of a list field is read from the texts of its parts, in the declared
    order, and which item it is (from 0) for the errors; None names no item."""
    # Each part is read in the declared order, then handed to the model positionally.
    readers = [_part_reader(part) for part in item.parts]
    order = [item.keys.index(model_field.name) for model_field in dataclass_fields(item.model)]
    model = item.model

    def read(texts: Sequence[str], n: int | None) -> Any:
        parts = [read_part(text, n) for read_part, text in zip(readers, texts, strict=True)]
        return model(*[parts[index] for index in order])

    return read


def _items(columns: tuple[str, ...], cells: Cells, at: list[int]) -> Items:
    """The items of parallel list cells, one tuple each; the first cell counts them.

    An empty cell gives every item an empty part; any other cell needs one part per item.
    """
    texts = [cells[index] for index in at]
    if not any(texts):
        return []
    parts = [split_items(text) for text in texts]
    count = len(parts[0])
    for column, values in zip(columns, parts, strict=True):
        if values and len(values) != count:
            raise _fail(column, f"{counted(len(values), 'item')} where {columns[0]!r} has {count}")
    return list(zip(*[values or [""] * count for values in parts], strict=True))


def _part_reader(part: Part) -> ReadPart:
    column = part.column
    if part.required and part.kind is not Kind.TEXT:
        read = _part_reader(replace(part, required=False))
        return lambda text, item: _required(text, column, item) and read(text, item)
    if part.kind is Kind.DATE:
        return lambda text, item: _date(text, column, item)
    if part.kind is Kind.CHOICE:
        choices, default = part.choices, part.default
        assert choices is not None
        return lambda text, item: _choice(choices, text, column, item) or default
    if part.kind in (Kind.COUNTRY, Kind.SUBDIVISION, Kind.FORMER_COUNTRY):
        kind = part.kind
        return lambda text, item: _code(kind, text, column, item)
    if part.kind is Kind.TEXTS:
        return lambda text, item: _names(text, column, item)
    if part.required:
        return lambda text, item: _required(text, column, item)
    return lambda text, item: text or None


def _fail(column: str, problem: str, item: int | None = None) -> InvalidInput:
    where = f"column {column!r}" if item is None else f"column {column!r} (item {item + 1})"
    return InvalidInput(f"{where}: {problem}")


def _positive_id(cell: str) -> int | None:
    if not cell:
        return None
    number = int(cell)
    if not 1 <= number <= LARGEST_ID:
        raise _fail("id", NOT_AN_ID)
    return number


def _required_choice(kind: type[Any], text: str, column: str) -> Any:
    if not text:
        raise _fail(column, MISSING)
    return _choice(kind, text, column)


def _choice(kind: type[Any], text: str, column: str, item: int | None = None) -> Any:
    if not text:
        return None
    found = member(kind, text)
    if found is None:
        raise _fail(column, not_a_member(kind, text), item)
    return found


def _date(text: str, column: str, item: int | None = None) -> Any:
    if not text:
        return None
    try:
        return stored_date(text)
    except InvalidInput as error:
        raise _fail(column, error.message, item) from None


def _period(text: str, column: str) -> Any:
    if not text:
        return None
    try:
        return stored_period(text)
    except InvalidInput as error:
        raise _fail(column, error.message) from None


def _texts(cell: str, column: str) -> tuple[str, ...]:
    texts = split_items(cell)
    if not all(texts):
        raise _fail(column, NOT_TEXTS)
    return tuple(texts)


def _code(kind: Kind, text: str, column: str, item: int | None) -> str | None:
    problem = code_problem(kind, text) if text else None
    if problem is not None:
        raise _fail(column, problem, item)
    return text or None


def _names(text: str, column: str, item: int | None) -> tuple[str, ...]:
    names = split_names(text)
    if not all(names):
        raise _fail(column, NOT_TEXTS, item)
    return tuple(names)


def _sector(text: str, column: str, item: int) -> Sector:
    if text[-1:] == "?":
        return Sector(_required(text[:-1], column, item), Certainty.POSSIBLE)
    return Sector(_required(text, column, item), Certainty.AGREED)


def _required(text: str, column: str, item: int | None) -> str:
    if not text:
        raise _fail(column, MISSING, item)
    return text
