"""How the register file is laid out: one document per line, sealed by a checksum.

    {"agreements":{
    "1":{…},
    "2":{…}
    },
    "sectors":{
    "1":{"name":"food-security","synonyms":["food safety"]}
    },
    "meta":{"1":{"checksum":"…","next_id":3,"schema_version":2}}}

This is ordinary strict JSON and a TinyDB database. Documents are compact JSON with
sorted keys, in id order, so `git diff` shows a changed agreement as one changed line.
The checksum is an XXH3-128 digest of every byte before the meta line and of the rest of
the meta document, written as "xxh3-128+meta:<hex>". Files of schema 1 carry
"xxh3-128:<hex>" of the bytes before the meta line only, or, older still, a bare
SHA-256 of them; both are still read. When the checksum matches, the file is exactly
what agreements wrote after validating every record, and a command may read only the
lines it needs. Any other file is parsed and validated whole. The checksum catches
edits and damage; like any checksum kept in the file it is no defence against someone
who rewrites it on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import orjson
import xxhash

from agreements.errors import CorruptDatabase
from agreements.store.atomic import FileStretch, Piece, piece_bytes

_HEAD = b'{"agreements":{\n'
_SECTORS = b'\n},\n"sectors":{\n'
_META = b'\n},\n"meta":'
_END = b"}}}\n"
_COMMA = ord(",")
_SEARCHES_BEFORE_INDEX = 1024
_SEARCH_BELOW = 1 << 16  # bytes: below this a find is quicker than halving further


def encode_document(document: dict[str, Any]) -> bytes:
    # orjson hands back its whole write buffer (4 KiB at least); a copy of the right
    # size keeps a bulk import of 100,000 records from holding 400 MB of slack.
    return bytes(memoryview(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)))


Meta = dict[str, Any]
"""The meta document: `next_id`, and `schema_version` from schema 2 on."""


def encode(
    agreements: Iterable[tuple[int, bytes]], sectors: Iterable[tuple[int, bytes]], meta: Meta
) -> Encoded:
    """The whole file from already encoded documents, each table in id order."""
    joined = b",\n".join(b'"%d":%s' % pair for pair in agreements)
    return encode_joined([joined], sectors, meta)


@dataclass(frozen=True)
class Encoded:
    """A file as the pieces to write one after the other, and its fingerprint."""

    pieces: list[Piece]
    fingerprint: str

    def content(self) -> bytes:
        return b"".join(piece_bytes(piece) for piece in self.pieces)


def encode_joined(
    agreements: Sequence[Piece], sectors: Iterable[tuple[int, bytes]], meta: Meta
) -> Encoded:
    """The whole file around agreement items already joined into pieces, never copied.

    A meta document without `schema_version` is sealed as schema 1 sealed it, so that
    undoing an upgrade gives back the old file byte for byte.
    """
    pieces: list[Piece] = [
        _HEAD,
        *_with_separators(agreements),
        _SECTORS,
        b",\n".join(b'"%d":%s' % pair for pair in sectors),
        _META,
    ]
    digest = xxhash.xxh3_128()
    for piece in pieces:
        digest.update(piece_bytes(piece))
    covers_meta = "schema_version" in meta
    if covers_meta:
        digest.update(encode_document(meta))
    checksum = (_SEALED_META if covers_meta else _SEALED_BODY) + digest.hexdigest()
    meta_line = orjson.dumps({"1": {"checksum": checksum, **meta}}, option=orjson.OPT_SORT_KEYS)
    pieces.append(meta_line + b"}\n")
    return Encoded(pieces, _fingerprint(checksum, meta))


def _with_separators(items: Sequence[Piece]) -> list[Piece]:
    pieces: list[Piece] = []
    for item in items:
        if not item:
            continue
        if pieces:
            pieces.append(b",\n")
        pieces.append(item)
    return pieces


_SEALED_META = "xxh3-128+meta:"
_SEALED_BODY = "xxh3-128:"  # schema 1: the bytes before the meta line only


def _checksum_matches(checksum: str, body: memoryview, meta: Meta) -> bool:
    if checksum.startswith(_SEALED_META):
        digest = xxhash.xxh3_128(body)
        digest.update(encode_document(meta))
        return checksum == _SEALED_META + digest.hexdigest()
    if checksum.startswith(_SEALED_BODY):
        return checksum == _SEALED_BODY + xxhash.xxh3_128_hexdigest(body)
    return checksum == _sha256(body)  # written before XXH3


def _fingerprint(checksum: str, meta: Meta) -> str:
    return f"{checksum}:{meta['next_id']}"


def _sha256(data: bytes | memoryview) -> str:
    import hashlib  # for older files only: loading it costs a read-only command 4 ms

    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class SealedFile:
    """A register file whose checksum matches: its lines can be trusted as written."""

    content: bytes
    agreements: tuple[int, int]  # the byte span of the agreement lines
    sectors: tuple[int, int]
    meta: Meta
    checksum: str
    broken_seal: bool = False
    """Read from a file whose own seal did not match it: changed since agreements wrote it."""
    _lookups: list[int] = field(default_factory=lambda: [0], compare=False, repr=False)

    @property
    def next_id(self) -> int:
        next_id: int = self.meta["next_id"]
        return next_id

    @property
    def schema_version(self) -> int:
        version: int = self.meta.get("schema_version", 1)
        return version

    @property
    def fingerprint(self) -> str:
        """Identifies these exact bytes: with the id counter, the checksum covers them all."""
        return _fingerprint(self.checksum, self.meta)

    def agreement_lines(self, span: tuple[int, int] | None = None) -> Iterator[tuple[int, bytes]]:
        """(id, JSON) of every agreement line, or of those within `span` (see `halves`)."""
        yield from _lines(self.content, *(span or self.agreements))

    def halves(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """The agreement lines as two byte spans of about the same size, split between lines."""
        start, end = self.agreements
        middle = self.content.find(b"\n", (start + end) // 2, end) + 1 or end
        return (start, middle), (middle, end)

    def sector_lines(self) -> Iterator[tuple[int, bytes]]:
        yield from _lines(self.content, *self.sectors)

    def agreement(self, document_id: int) -> bytes | None:
        """One agreement's JSON, found without reading the others."""
        span = self.item_span(document_id)
        if span is None:
            return None
        start, end = span
        return self.content[self.content.index(b":", start) + 1 : end]

    def agreements_among(self, document_ids: Iterable[int]) -> Iterator[tuple[int, bytes]]:
        """The lines of these agreements, given in id order, found in one pass over the
        bytes; ids not in the file are passed over."""
        start, end = self.agreements
        content = self.content
        cursor = start
        for document_id in document_ids:
            key = b'"%d":' % document_id
            if content.startswith(key, cursor):
                position = cursor
            else:
                position = content.find(b"\n" + key, cursor, end)
                if position < 0:
                    continue
                position += 1
            item_end = self._item_end(position)
            yield document_id, content[position + len(key) : item_end]
            cursor = item_end

    def item_span(self, document_id: int) -> tuple[int, int] | None:
        """Where agreement `document_id`'s `"ID":{…}` lies, without its comma; None if absent.

        The first thousand lookups halve the bytes; after that one pass indexes every
        line, which a bulk change of many agreements needs anyway.
        """
        self._lookups[0] += 1
        if self._lookups[0] > _SEARCHES_BEFORE_INDEX:
            return self._spans.get(document_id)
        position = self._line_start(document_id)
        return None if position is None else (position, self._item_end(position))

    def _line_start(self, document_id: int) -> int | None:
        """Where the line of `document_id` begins: the lines are in id order, so halving
        the stretch that can hold it leaves a few lines to search, wherever it is."""
        content = self.content
        low, high = self.agreements  # the line, if there is one, begins in [low, high)
        while high - low > _SEARCH_BELOW:
            middle = content.find(b"\n", (low + high) // 2, high) + 1
            if not low < middle < high:
                break
            found, _ = _key_at(content, middle, high)
            if found == document_id:
                return middle
            low, high = (middle, high) if found < document_id else (low, middle)
        key = b'"%d":' % document_id
        if content.startswith(key, low):
            return low
        position = content.find(b"\n" + key, low, high)
        return None if position < 0 else position + 1

    def _item_end(self, position: int) -> int:
        end = self.agreements[1]
        line_end = self.content.find(b"\n", position, end)
        line_end = end if line_end < 0 else line_end
        return line_end - 1 if self.content[line_end - 1] == _COMMA else line_end

    @cached_property
    def _spans(self) -> dict[int, tuple[int, int]]:
        start, end = self.agreements
        spans = {}
        position = start
        while position < end:
            line_end = self.content.find(b"\n", position, end)
            line_end = end if line_end < 0 else line_end
            colon = self.content.index(b":", position)
            item_end = line_end - 1 if self.content[line_end - 1] == _COMMA else line_end
            spans[int(self.content[position + 1 : colon - 1])] = (position, item_end)
            position = line_end + 1
        return spans

    def highest_id(self) -> int:
        start, end = self.agreements
        if start >= end:
            return 0
        last = self.content.rfind(b"\n", start, end) + 1 or start
        return _document(self.content, max(last, start), end)[0]

    def agreements_with(
        self, replaced: dict[int, bytes | None], appended: list[tuple[int, bytes]]
    ) -> list[Piece]:
        """The agreement lines with some replaced (None removes) and others added at the end.

        Unchanged stretches are copied as they are, so the cost is one pass over the bytes
        whatever the number of agreements.
        """
        start, end = self.agreements
        pieces: list[Piece] = []
        cursor = start
        for document_id in sorted(replaced):
            span = self.item_span(document_id)
            assert span is not None, document_id
            item_start, item_end = span
            if item_start > cursor:
                pieces.append(self._unchanged(cursor, item_start - 2))  # without its ",\n"
            line = replaced[document_id]
            if line is not None:
                pieces.append(b'"%d":%s' % (document_id, line))
            cursor = min(item_end + 2, end)
        if cursor < end:
            pieces.append(self._unchanged(cursor, end))
        if appended:
            pieces.append(b",\n".join(b'"%d":%s' % pair for pair in appended))
        return pieces

    def _unchanged(self, start: int, end: int) -> Piece:
        """These bytes of the file, to be written again as they are, never copied here."""
        view = self._view[start:end]
        descriptor: int | None = getattr(self.content, "descriptor", None)  # when mapped
        return view if descriptor is None else FileStretch(view, descriptor, start)

    @cached_property
    def _view(self) -> memoryview:
        return memoryview(self.content)

    def lines_containing(
        self, needles: Iterable[bytes], span: tuple[int, int] | None = None
    ) -> Iterator[tuple[int, bytes]]:
        """The agreement lines that hold any of `needles`, in id order, each once; only
        those within `span`, when given."""
        start, end = span or self.agreements
        content = self.content
        lines: dict[int, int] = {}  # where each matching line starts and ends
        for needle in needles:
            position = content.find(needle, start, end)
            while position >= 0:
                line_start = max(content.rfind(b"\n", start, position) + 1, start)
                line_end = content.find(b"\n", position, end)
                lines[line_start] = end if line_end < 0 else line_end
                if line_end < 0:
                    break
                position = content.find(needle, line_end, end)
        previous = 0
        for line_start in sorted(lines):
            document_id, body = _document(content, line_start, lines[line_start])
            if document_id <= previous:
                raise damaged_layout(f"the id {document_id} follows the id {previous}")
            previous = document_id
            yield document_id, body


def layout_problems(sealed: SealedFile) -> list[str]:
    """What is wrong with the lines of a sealed file, for `check`: each line one document
    of JSON, ids rising. A file written by agreements has none of these."""
    problems = []
    for name, (start, end) in (("agreements", sealed.agreements), ("sectors", sealed.sectors)):
        position, previous, line = start, 0, 0
        while position < end:
            line_end = sealed.content.find(b"\n", position, end)
            line_end = end if line_end < 0 else line_end
            line += 1
            try:
                document_id, body = _document(sealed.content, position, line_end)
                if document_id <= previous:
                    problems.append(f"{name}: the id {document_id} follows the id {previous}")
                previous = document_id
                if not isinstance(orjson.loads(body), dict):
                    problems.append(f"{name} {document_id}: its line holds no single object")
            except (CorruptDatabase, orjson.JSONDecodeError):
                problems.append(f"{name}: line {line} of the table is not one document")
            position = line_end + 1
    return problems


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
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None
    if not (isinstance(meta, dict) and _meta_is_sound(meta)):
        return None
    checksum = meta.pop("checksum")
    if not _checksum_matches(checksum, memoryview(content)[:body_end], meta):
        return None
    sectors_start = content.rfind(_SECTORS, 0, meta_start)
    if sectors_start < 0:
        return None
    return SealedFile(
        content=content,
        agreements=(len(_HEAD), sectors_start),
        sectors=(sectors_start + len(_SECTORS), meta_start),
        meta=meta,
        checksum=checksum,
    )


def _meta_is_sound(meta: dict[str, Any]) -> bool:
    """Whether the meta document has the keys a sealed file needs, of the right kinds."""
    version = meta.get("schema_version", 1)
    return (
        isinstance(meta.get("checksum"), str)
        and type(meta.get("next_id")) is int
        and type(version) is int
        and meta.keys() <= {"checksum", "next_id", "schema_version"}
    )


def fingerprint(content: bytes | None, sealed: SealedFile | None = None) -> str:
    """What identifies a register file's bytes in the history; cheap for a sealed file.

    Pass `sealed` when `content` was just sealed, to spare checking the checksum again.
    """
    if content is None:
        return "missing"
    if sealed is None or sealed.content is not content:
        sealed = seal(content)
    return sealed.fingerprint if sealed else _sha256(content)


def _lines(content: bytes, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    """(id, JSON) of each line `"ID":{…},` between `start` and `end`, one at a time.

    A seal only says the bytes are those written; the ids must still rise line by line,
    or the file was rewritten by hand and resealed, and is refused.
    """
    position, previous = start, 0
    while position < end:
        line_end = content.find(b"\n", position, end)
        if line_end < 0:
            line_end = end
        document_id, body = _document(content, position, line_end)
        if document_id <= previous:
            raise damaged_layout(f"the id {document_id} follows the id {previous}")
        previous = document_id
        yield document_id, body
        position = line_end + 1


def _key_at(content: bytes, start: int, end: int) -> tuple[int, int]:
    """The id of the line that begins at `start`, and where its JSON begins."""
    quote = content.find(b'":', start, end)
    key = content[start + 1 : quote]
    if quote < 0 or content[start] != _QUOTE or not (key.isdigit() and key.isascii()):
        raise damaged_layout(f"byte {start} does not begin a line of one document")
    return int(key), quote + 2


def _document(content: bytes, start: int, end: int) -> tuple[int, bytes]:
    """(id, JSON) of the line `"ID":{…}` from `start` to `end`, with or without its comma."""
    document_id, body_start = _key_at(content, start, end)
    body_end = end - 1 if content[end - 1] == _COMMA else end
    return document_id, content[body_start:body_end]


_QUOTE = ord('"')


def damaged_layout(problem: str) -> CorruptDatabase:
    return CorruptDatabase(
        f"the register file is damaged although its seal matches: {problem}",
        hint="the file was left untouched; run 'agreements check' to see every problem",
    )
