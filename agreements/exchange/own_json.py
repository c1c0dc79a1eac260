"""A JSON list laid out as 'agreements export --format json' writes it, read record by record.

The export puts each record between a line "  {" and a line "  }", so the records can
be told apart by those lines alone and each parsed on its own, half of them in a second
process (`store.parallel`), and none of them held longer than it is read. When every
piece is a JSON object naming no key twice, the file is exactly the list of those
objects (JSON reads one way only), and reads as the whole file would. A file laid out
otherwise, or a piece that is not such an object, is read whole by `json_files`, which
says what is wrong with it exactly as before.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from agreements.domain.strict_json import duplicate_keys
from agreements.domain.text import only_paragraph_text
from agreements.exchange.items import Item
from agreements.exchange.json_files import nfc_record
from agreements.store.parallel import in_two_halves

_START = b"[\n  {\n"
_BETWEEN = b"\n  },\n  {\n"
_END = b"\n  }\n]\n"
WORTH_SPLITTING = 2_000
"""Records a second process pays for: forking costs a few milliseconds."""

# What each record's text needs before it is read: NFC, and a check of its texts.
_NEEDS_NFC = 1
_NEEDS_CHECK = 2


@dataclass(frozen=True)
class OwnJsonList:
    """The records of such a file: where each lies in its bytes, and what it needs."""

    data: bytes
    spans: list[tuple[int, int]]
    needs: bytes
    """For each record, _NEEDS_NFC and _NEEDS_CHECK as they apply."""

    def __len__(self) -> int:
        return len(self.spans)

    def item(self, index: int) -> Item:
        """Record `index` (from 0) as `json_files.json_items` gives it."""
        start, end = self.spans[index]
        record = orjson.loads(self.data[start:end])
        needs = self.needs[index]
        if needs & _NEEDS_NFC:
            record = nfc_record(record)
        number = index + 1
        return Item(f"item {number}", number, 0, record, plain_text=not needs & _NEEDS_CHECK)

    def where(self, index: int) -> Item:
        """Where record `index` is, for the report, without reading it."""
        return Item(f"item {index + 1}", index + 1, 0)

    def __iter__(self) -> Iterator[Item]:
        return (self.item(index) for index in range(len(self.spans)))


def own_json_list(data: bytes) -> OwnJsonList | None:
    """The records of `data`, the UTF-8 bytes of a JSON file, when it is laid out as our
    export and every record is an object naming no key twice; else None."""
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if not (data.startswith(_START, offset) and data.endswith(_END)):
        return None
    spans = []
    start = offset + len(_START) - 2  # at the "{"
    last = len(data) - len(_END) + 4  # after the "}"
    while True:
        between = data.find(_BETWEEN, start, last)
        if between < 0:
            spans.append((start, last))
            break
        spans.append((start, between + 4))
        start = between + len(_BETWEEN) - 2
    needs = in_two_halves(
        range(len(spans)),
        lambda indexes: _needs(data, spans, indexes),
        _joined,
        worth=WORTH_SPLITTING,
    )
    return None if needs is None else OwnJsonList(data, spans, needs)


def _joined(first: bytes | None, second: bytes | None) -> bytes | None:
    return None if first is None or second is None else first + second


def _needs(data: bytes, spans: Sequence[tuple[int, int]], indexes: Sequence[int]) -> bytes | None:
    """What each record of `indexes` needs; None when one is no object or names a key twice."""
    found = bytearray()
    for index in indexes:
        start, end = spans[index]
        piece = data[start:end]
        try:
            record = orjson.loads(piece)
            text = piece.decode()
        except (orjson.JSONDecodeError, UnicodeDecodeError):
            return None
        if not (isinstance(record, dict) and _no_key_twice(text, record)):
            return None
        needs = 0
        # A \u escape may spell any character; other escapes spell a quote, a slash, a
        # backslash or a control character, which never combine with their neighbours.
        if "\\u" in text or not unicodedata.is_normalized("NFC", text):
            needs |= _NEEDS_NFC
        # A control character inside a string is always escaped: without a backslash,
        # only a character left as it is could be unsafe, and the text shows it.
        if "\\" in text or not only_paragraph_text(text):
            needs |= _NEEDS_CHECK
        found.append(needs)
    return bytes(found)


def _no_key_twice(text: str, record: Any) -> bool:
    """As `strict_json.duplicate_keys_of`, for one record: a colon follows every key, so
    writing the record back gives fewer of them when orjson kept one of a key twice."""
    if "\\u" not in text:
        try:
            written = orjson.dumps(record)
        except orjson.JSONEncodeError:
            return False  # deeper than orjson writes: left to the whole file's reading
        if written.count(b":") == text.count(":"):
            return True
    return not duplicate_keys(text)  # too deep counts as a key twice: read whole
