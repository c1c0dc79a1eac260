"""The columns of the register's own CSV, derived from `schema`, and a record as a row.

A list field holds its items joined by "; ", with "\\" and ";" inside an item escaped by
a backslash; the parts of parties, signatories, contacts and sources sit in parallel
columns (party_names, party_countries, …) so that a spreadsheet can filter on each; a
party's other names are joined by "|" within its item. In
`sectors` a trailing "?" marks a possible sector. The first header cell carries the
layout's version.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from agreements.domain.schema import CSV_COLUMNS, FIELDS, Field, Kind

FORMAT_VERSION = 3
"""Version 2 added the lifecycle columns, version 3 the parties' other names, regions
and countries at signing; files of earlier versions read as ever."""
_MARKED_ID = re.compile(r"id \(agreements v(\d+)\)")

# Each list column: (its field, the key within each item; None when the items are texts).
LIST_FIELD_COLUMNS: dict[str, tuple[str, str | None]] = {
    column: (field.name, None if field.name == "sectors" else part.key)
    for field in FIELDS
    if field.item is not None and field.in_csv
    for part in field.item.parts
    for column in (part.column,)
} | {field.name: (field.name, None) for field in FIELDS if field.kind is Kind.TEXTS}

_POSSIBLE_MARKS = {"agreed": "", "possible": "?"}


def header_row() -> list[str]:
    """CSV_COLUMNS, the first marked with the layout version: "id (agreements v1)"."""
    return [f"id (agreements v{FORMAT_VERSION})", *CSV_COLUMNS[1:]]


def marked_version(column: str) -> int | None:
    """The layout version a first header cell names, if it is marked."""
    marked = _MARKED_ID.fullmatch(column)
    return int(marked.group(1)) if marked else None


def plain_column(column: str) -> str:
    """A header cell of our CSV without its version mark: "id (agreements v1)" is "id"."""
    return _MARKED_ID.sub("id", column)


def join_items(items: Iterable[str | None]) -> str:
    texts = [item or "" for item in items]
    if len(texts) < 2:  # most cells: nothing, or one item with nothing to escape
        text = texts[0] if texts else ""
        if "\\" not in text and ";" not in text:
            return text
    joined = "; ".join(texts)
    if "\\" not in joined and joined.count(";") == len(texts) - 1:  # nothing to escape
        return joined
    return "; ".join(text.replace("\\", "\\\\").replace(";", "\\;") for text in texts)


def split_items(cell: str) -> list[str]:
    """The inverse of `join_items`: "a; b\\; c" gives ["a", "b; c"]."""
    if cell == "":
        return []
    if "\\" not in cell:
        items = cell.split("; ")
        if len(items) == cell.count(";") + 1:  # every ";" is followed by its space
            return items
        items = cell.split(";")
        return [items[0]] + [item.removeprefix(" ") for item in items[1:]]
    items = _split_escaped(cell, ";")
    # The separator is "; ": drop the one space that follows it, keep any others.
    return [items[0]] + [item.removeprefix(" ") for item in items[1:]]


def _split_escaped(text: str, separator: str) -> list[str]:
    """`text` split at each `separator` that no backslash escapes, the escapes undone."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def join_names(names: Iterable[str]) -> str:
    """The texts of a list within one item (a party's other names), joined by "|", with
    "\\" and "|" inside a text escaped by a backslash."""
    return "|".join(name.replace("\\", "\\\\").replace("|", "\\|") for name in names)


def split_names(text: str) -> list[str]:
    """The inverse of `join_names`."""
    if text == "":
        return []
    if "\\" not in text:
        return text.split("|")
    return _split_escaped(text, "|")


Cells = Callable[[int, Mapping[str, Any], str], list[str]]


def _cells_of(field: Field) -> Cells:
    """What one field gives the row: (id, stored record, current status) -> its cells."""
    name = field.name
    if field.kind is Kind.ID:
        return lambda record_id, record, status: [str(record_id)]
    if field.kind is Kind.STATUS:
        return lambda record_id, record, status: [status]
    if field.kind is Kind.FLAG:  # status_manual, the only flag
        return lambda record_id, record, status: ["false" if record["status"] is None else "true"]
    if field.kind is Kind.TEXTS:
        return lambda record_id, record, status: [join_items(record[name])]
    if name == "sectors":
        return lambda record_id, record, status: [
            join_items(s["name"] + _POSSIBLE_MARKS[s["certainty"]] for s in record[name])
        ]
    if field.item is not None:
        keys = field.item.keys
        empty = [""] * len(keys)
        lists = {part.key for part in field.item.parts if part.kind is Kind.TEXTS}

        def part_cell(items: list[Mapping[str, Any]], key: str) -> str:
            if key in lists:
                return join_items([join_names(item[key]) for item in items])
            return join_items([item[key] for item in items])

        return lambda record_id, record, status: (
            [part_cell(record[name], key) for key in keys] if record[name] else empty
        )
    return lambda record_id, record, status: ["" if record[name] is None else record[name]]


_ROW_CELLS = [_cells_of(field) for field in FIELDS if field.columns]


def csv_row(record_id: int, record: Mapping[str, Any], status: str) -> list[str]:
    """A stored record as the cells of CSV_COLUMNS, in that order, before any escape."""
    row: list[str] = []
    for cells in _ROW_CELLS:
        row += cells(record_id, record, status)
    return row


def csv_column_of(message: str) -> str:
    """A record error that starts with its field path, with the CSV column named instead."""

    def column(match: re.Match[str]) -> str:
        if match.group("top"):
            return f"column {match.group('top')!r}"
        field, index, key = match.group("field"), match.group("index"), match.group("key")
        for name, (list_field, list_key) in LIST_FIELD_COLUMNS.items():
            if list_field == field and list_key in (key, None):
                return f"column {name!r} (item {int(index) + 1})"
        return match.group()

    return _FIELD_PATH.sub(column, message, count=1)


_FIELD_PATH = re.compile(
    r"^(?:(?P<field>\w+)\[(?P<index>\d+)\], field '(?P<key>\w+)'|field '(?P<top>\w+)')"
)
