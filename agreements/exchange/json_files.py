"""JSON and JSON Lines files: records streamed out, and records read in for import."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import IO, Any

import orjson

from agreements.domain.migrations import upgrader, version_problem
from agreements.domain.strict_json import TOO_DEEP, duplicate_keys, duplicate_keys_of
from agreements.domain.text import only_paragraph_text
from agreements.errors import InvalidInput
from agreements.exchange.csv_files import nfc
from agreements.exchange.items import Item


def write_json_list(records: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """The records as one indented JSON list, record by record; how many there were.

    The bytes are those of dumping the whole list at once with two-space indents.
    """
    count = 0
    for record in records:
        indented = orjson.dumps(record, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")
        stream.write((b",\n  " if count else b"[\n  ") + indented)
        count += 1
    stream.write(b"\n]\n" if count else b"[]\n")
    return count


def write_json_lines(records: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """One compact JSON record per line; how many there were."""
    count = 0
    for record in records:
        stream.write(orjson.dumps(record) + b"\n")
        count += 1
    return count


_TOO_DEEP = InvalidInput(f"the file cannot be imported: {TOO_DEEP}")


def json_items(text: str) -> list[Item]:
    """Records from a list of agreement objects, or from a whole register file.

    The records of a register file are in its own stored schema, brought up to date.
    """
    try:
        return _json_items(text)
    except RecursionError:  # orjson reads 1,024 levels; Python's readers fewer
        raise _TOO_DEEP from None


def _json_items(text: str) -> list[Item]:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    _refuse_keys_twice(text, "the file", data)
    if isinstance(data, dict) and isinstance(data.get("agreements"), dict):
        return _register_items(data)
    if not isinstance(data, list):
        raise InvalidInput(
            "expected a list of agreements", hint="as 'agreements export --format json' writes"
        )
    # Every text of the file is as the file spells it, but for its escapes: a control
    # character inside a string is always escaped, so a file without a backslash and
    # with nothing unsafe between its quotes holds no unsafe text; and one that is NFC
    # whole holds only NFC texts, unless a \u escape spells a character (quotes, commas
    # and colons never combine with their neighbours, as in `csv_files`). Values nested
    # deeper than orjson writes still go through nfc_record, which may find them too deep.
    plain = "\\" not in text and only_paragraph_text(text)
    if not (unicodedata.is_normalized("NFC", text) and "\\u" not in text and _shallow(data)):
        data = [nfc_record(record) for record in data]
    return [
        Item(f"item {number}", number, 0, record, plain_text=plain)
        for number, record in enumerate(data, start=1)
    ]


def _shallow(data: Any) -> bool:
    try:
        orjson.dumps(data)
    except orjson.JSONEncodeError:
        return False
    return True


def _register_items(data: dict[str, Any]) -> list[Item]:
    meta = data.get("meta", {})
    meta = meta.get("1", {}) if isinstance(meta, dict) else {}
    version = meta.get("schema_version", 1) if isinstance(meta, dict) else 1
    problem = version_problem(version)
    if problem is not None:
        raise InvalidInput(f"the register file cannot be read: {problem}")
    upgrade = upgrader(version)
    items = []
    for number, (key, record) in enumerate(data["agreements"].items(), start=1):
        if not (isinstance(record, dict) and key.isdigit()):
            raise InvalidInput(f"agreement {key!r} is not a record with a numeric id")
        stored = upgrade(record) if upgrade else record
        record = nfc_record({**stored, "id": int(key)})
        items.append(Item(f"agreement {key}", number, 0, record, stored=True))
    return items


def jsonl_items(text: str) -> list[Item]:
    """Records from JSON Lines: one agreement object per line; blank lines are skipped."""
    try:
        return _jsonl_items(text)
    except RecursionError:
        raise _TOO_DEEP from None


def _jsonl_items(text: str) -> list[Item]:
    items: list[Item] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raise InvalidInput(
                f"line {line_number}: not valid JSON: {error.msg} at column {error.colno}"
            ) from None
        where = f"line {line_number}"
        _refuse_keys_twice(line, where)
        items.append(Item(where, len(items) + 1, line_number, nfc_record(record)))
    return items


def _refuse_keys_twice(text: str, where: str, data: Any = None) -> None:
    """A key named twice would lose one of its values without a word: refused. `data`,
    the text as orjson read it, spares reading it again in the common case."""
    twice = duplicate_keys(text) if data is None else duplicate_keys_of(text, data)
    if twice == [TOO_DEEP]:
        raise _TOO_DEEP
    if twice:
        raise InvalidInput(f"{where}: {twice[0]}", hint="JSON readers keep only the last one")


def nfc_record(value: Any) -> Any:
    """Every text inside a JSON value in NFC."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {key: nfc_record(item) for key, item in value.items()}
    if isinstance(value, list):
        return [nfc_record(item) for item in value]
    return value
