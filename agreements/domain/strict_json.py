"""JSON read the strict way: where exactly it breaks, and no key given twice.

JSON readers differ on an object that names a key twice: most keep the last value and
say nothing, so a record pasted twice into a file, or a field typed twice, would lose
one of them without a word. Everything agreements reads from files someone else may
have written is checked for that here.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def json_problem(content: bytes) -> str | None:
    """Where and why `content` is not strict JSON: "at line 3, column 11 (byte 30): …";
    None when it is."""
    try:
        orjson.loads(content)
    except orjson.JSONDecodeError as error:
        bad_text = _invalid_utf8(content)
        if bad_text is not None:
            return bad_text
        return f"at line {error.lineno}, column {error.colno} (byte {error.pos}): {error.msg}"
    return None


def _invalid_utf8(content: bytes) -> str | None:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        column = error.start - (content.rfind(b"\n", 0, error.start) + 1) + 1
        return f"at line {line}, column {column} (byte {error.start}): not UTF-8 text"
    return None


class _Duplicates(Exception):
    pass


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Duplicates
    return found


def duplicate_keys(text: str) -> list[str]:
    """Where an object of `text` (already known to be JSON) names a key twice.

    The common case, none, costs one pass with a check per object; only when there is
    one is the text read again, keeping every pair, to say where.
    """
    try:
        json.loads(text, object_pairs_hook=_refuse_duplicates)
    except _Duplicates:
        pass
    except RecursionError:  # orjson reads 1,024 levels, Python's reader fewer
        return [TOO_DEEP]
    else:
        return []
    found: list[str] = []
    try:
        _walk(json.loads(text, object_pairs_hook=_Pairs), "the top level", found)
    except RecursionError:
        return [TOO_DEEP]
    return found


def duplicate_keys_of(text: str, data: Any) -> list[str]:
    """`duplicate_keys(text)`, for `data = orjson.loads(text)`, cheaply in the common case.

    Outside strings a colon follows every key, and orjson keeps one value of a key named
    twice, so writing `data` back gives fewer colons than `text` holds exactly when a key
    was named twice; inside strings the colons are the same, unless one hides in a
    \\u escape. Only then, or when `data` nests deeper than orjson writes (so that
    Python's reader may find it too deep), is the text read again the slow way.
    """
    if "\\u" not in text:
        try:
            written = orjson.dumps(data)
        except orjson.JSONEncodeError:
            pass
        else:
            if written.count(b":") == text.count(":"):
                return []
    return duplicate_keys(text)


TOO_DEEP = "its values nest too deeply to be read"


class _Pairs(list[tuple[str, Any]]):
    """An object's pairs in order, duplicates and all."""


def _walk(value: Any, where: str, found: list[str]) -> None:
    if isinstance(value, _Pairs):
        seen: set[str] = set()
        for key, item in value:
            if key in seen:
                found.append(f"{where} names {key!r} twice")
            seen.add(key)
            _walk(item, _inside(where, key), found)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _walk(item, f"{where}[{number}]", found)


_DOCUMENTS = {"table 'agreements'": "record", "table 'sectors'": "sector", "table 'meta'": "meta"}


def _inside(where: str, key: str) -> str:
    if where == "the top level":
        return f"table {key!r}"
    if where in _DOCUMENTS:
        return f"{_DOCUMENTS[where]} {key}"
    return f"{where}, field {key!r}"
