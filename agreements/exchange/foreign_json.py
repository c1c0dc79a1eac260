"""Another tool's JSON (a list of objects, or JSON Lines) read as a table, so that
`import --map FIELD=KEY` reads it exactly as it reads another tool's CSV.

Each object becomes a row whose columns are its keys, nested ones joined by dots
(`partner.name`, `parties.0.country`); a list of plain values is one cell, its items
joined by "; ", as a list cell of a CSV is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from agreements.errors import InvalidInput
from agreements.exchange.items import Item


def _flattened(value: Any, prefix: str, cells: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flattened(inner, f"{prefix}.{key}" if prefix else str(key), cells)
    elif isinstance(value, list) and any(isinstance(inner, dict | list) for inner in value):
        for index, inner in enumerate(value):
            _flattened(inner, f"{prefix}.{index}" if prefix else str(index), cells)
    elif isinstance(value, list):
        cells[prefix] = "; ".join(_text(inner) for inner in value if inner is not None)
    else:
        cells[prefix] = _text(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def json_table(items: Sequence[Item]) -> tuple[list[str], list[Item]]:
    """The keys of every object, in the order they first appear, and each object as a
    row of cells under them (empty where an object lacks a key)."""
    rows: list[tuple[Item, dict[str, str]]] = []
    header: dict[str, None] = {}
    for item in items:
        if not isinstance(item.record, dict):
            raise InvalidInput(f"{item.where}: expected an object, with --map reading its keys")
        cells: dict[str, str] = {}
        _flattened(item.record, "", cells)
        header.update(dict.fromkeys(cells))
        rows.append((item, cells))
    columns = list(header)
    return columns, list(_rows(columns, rows))


def _rows(columns: list[str], rows: list[tuple[Item, dict[str, str]]]) -> Iterator[Item]:
    for item, cells in rows:
        yield Item(item.where, item.number, item.line, cells=[cells.get(c, "") for c in columns])
