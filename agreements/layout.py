"""How the register file is laid out: one document per line, sealed by a checksum.

    {"agreements":{
    "1":{…},
    "2":{…}
    },
    "sectors":{
    "1":{"name":"food-security","synonyms":["food safety"]}
    },
    "meta":{"1":{"checksum":"…","next_id":3}}}

This is ordinary strict JSON and a TinyDB database. Documents are compact JSON with
sorted keys, in id order, so `git diff` shows a changed agreement as one changed line.
The checksum is the SHA-256 of every byte before the meta line: when it matches, the
file is exactly what agreements wrote after validating every record, and a command may
read only the lines it needs. Any other file is parsed and validated whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

_HEAD = b'{"agreements":{\n'
_SECTORS = b'\n},\n"sectors":{\n'
_META = b'\n},\n"meta":'
_END = b"}}}\n"


def encode_document(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def encode(
    agreements: Iterable[tuple[int, bytes]], sectors: Iterable[tuple[int, bytes]], next_id: int
) -> bytes:
    """The whole file from already encoded documents, each table in id order."""
    body = b"".join(
        [
            _HEAD,
            b",\n".join(b'"%d":%s' % pair for pair in agreements),
            _SECTORS,
            b",\n".join(b'"%d":%s' % pair for pair in sectors),
            _META,
        ]
    )
    meta = {"1": {"checksum": _checksum(body), "next_id": next_id}}
    return body + orjson.dumps(meta) + b"}\n"


def _checksum(body: bytes | memoryview) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class SealedFile:
    """A register file whose checksum matches: its lines can be trusted as written."""

    content: bytes
    agreements: tuple[int, int]  # the byte span of the agreement lines
    sectors: tuple[int, int]
    next_id: int

    def agreement_lines(self) -> Iterator[tuple[int, bytes]]:
        yield from _lines(self.content, *self.agreements)

    def sector_lines(self) -> Iterator[tuple[int, bytes]]:
        yield from _lines(self.content, *self.sectors)

    def agreement(self, document_id: int) -> bytes | None:
        """One agreement's JSON, found without reading the others."""
        start, end = self.agreements
        key = b'"%d":' % document_id
        position = start if self.content.startswith(key, start) else -1
        if position < 0:
            found = self.content.find(b"\n" + key, start, end)
            position = found + 1 if found >= 0 else -1
        if position < 0:
            return None
        line_end = self.content.find(b"\n", position, end)
        line_end = end if line_end < 0 else line_end
        return _document(self.content[position:line_end])[1]

    def lines_containing(self, needles: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
        """The agreement lines that hold any of `needles`, in id order, each once."""
        start, end = self.agreements
        content = self.content
        starts: set[int] = set()
        for needle in needles:
            position = content.find(needle, start, end)
            while position >= 0:
                line_start = content.rfind(b"\n", start, position) + 1 or start
                starts.add(max(line_start, start))
                line_end = content.find(b"\n", position, end)
                if line_end < 0:
                    break
                position = content.find(needle, line_end, end)
        for line_start in sorted(starts):
            line_end = content.find(b"\n", line_start, end)
            yield _document(content[line_start : end if line_end < 0 else line_end])


def seal(content: bytes) -> SealedFile | None:
    """The file as a SealedFile when it is one, byte for byte as written; else None."""
    if not (content.startswith(_HEAD) and content.endswith(_END)):
        return None
    meta_start = content.rfind(_META)
    if meta_start < 0:
        return None
    body_end = meta_start + len(_META)
    try:
        meta = orjson.loads(content[body_end:-2])["1"]
        checksum, next_id = meta["checksum"], meta["next_id"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None
    if not isinstance(next_id, int) or checksum != _checksum(memoryview(content)[:body_end]):
        return None
    sectors_start = content.rfind(_SECTORS, 0, meta_start)
    if sectors_start < 0:
        return None
    return SealedFile(
        content=content,
        agreements=(len(_HEAD), sectors_start),
        sectors=(sectors_start + len(_SECTORS), meta_start),
        next_id=next_id,
    )


def _lines(content: bytes, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    if start >= end:
        return
    for line in content[start:end].split(b"\n"):
        yield _document(line)


def _document(line: bytes) -> tuple[int, bytes]:
    """(id, JSON) from one line `"ID":{…}` with or without its trailing comma."""
    colon = line.index(b":")
    body = line[colon + 1 : -1] if line.endswith(b",") else line[colon + 1 :]
    return int(line[1 : colon - 1]), body
