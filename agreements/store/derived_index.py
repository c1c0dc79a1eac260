"""What commands derive from every agreement, kept beside the register: `<db>.search`, the
folded text `--search` looks in, `<db>.summary`, the few fields `summary` counts, and
`<db>.due`, the dates and texts `due` and `calendar` make their items of.

    agreements-search 1 <agreements version> <register fingerprint> <xxh3-128 of the rest>
    <id> <xxh3-64 of the agreement's stored line> <what is derived from it>
    …

Folding every text field of 100,000 records, or parsing them whole, takes seconds;
reading what was derived from them, already written down, takes milliseconds. An index is
a cache and never has the last word: it names the register it was made from and carries
a checksum of its own lines, and when either does not match (the register changed, the
file is damaged or was made by another release) it is made again, the lines of
agreements whose stored line did not change taken over as they are. The search index
only narrows a search down: every agreement it points to is read from the register and
tested in full. A foreign file in an index's place (a link, a folder, something not
starting as ours) is left alone and not used; a folder that cannot take it just means
working without it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import xxhash

from agreements import __version__
from agreements.domain.queries import searchable_text
from agreements.store.layout import SealedFile
from agreements.store.parallel import in_two_halves

_LARGEST = 1 << 31
"""An index larger than this is not ours (the register itself stays far below)."""


@dataclass(frozen=True)
class Derivation:
    """One kind of index: its file beside the register, and what it keeps of a record."""

    name: str
    """The index's file is `<db>.<name>`; its header starts `agreements-<name> 1`."""
    derive: Callable[[dict[str, Any]], bytes]
    """What the index keeps of a stored record, on one line (no newline in it)."""

    @property
    def magic(self) -> bytes:
        return b"agreements-%s 1 " % self.name.encode()


def _folded_text(record: dict[str, Any]) -> bytes:
    return searchable_text(record).encode()


def _counted_part(record: dict[str, Any]) -> bytes:
    from agreements.domain.counting import counted_part

    return orjson.dumps(counted_part(record))


def _due_facts(record: dict[str, Any]) -> bytes:
    from agreements.domain.due_facts import due_facts

    return orjson.dumps(due_facts(record))


SEARCH = Derivation("search", _folded_text)
SUMMARY = Derivation("summary", _counted_part)
DUE = Derivation("due", _due_facts)


def search_candidates(
    register: Path, sealed: SealedFile, register_fingerprint: str, wanted: str
) -> list[int] | None:
    """The ids of the agreements whose folded text may hold `wanted` (already folded), in
    id order; None when there is nothing to narrow by."""
    if not wanted:
        return None
    return _ids_holding(
        index_lines(SEARCH, register, sealed, register_fingerprint), wanted.encode()
    )


def counted_parts(register: Path, sealed: SealedFile, register_fingerprint: str) -> list[Any]:
    """What `summary` counts of every agreement (`counting.counted_part`), in id order."""
    body = index_lines(SUMMARY, register, sealed, register_fingerprint)
    parts = [line[line.index(b" ", line.index(b" ") + 1) + 1 :] for line in body.splitlines()]
    counted: list[Any] = orjson.loads(b"[%s]" % b",".join(parts))
    return counted


def due_fact_lines(register: Path, sealed: SealedFile, register_fingerprint: str) -> list[bytes]:
    """The lines of the `due` index, one per agreement in id order: `numbered_facts` reads them."""
    return index_lines(DUE, register, sealed, register_fingerprint).splitlines()


def numbered_facts(lines: Sequence[bytes]) -> list[tuple[int, Any]]:
    """The id and `due_facts.due_facts` of the agreement of each line of the `due` index."""
    parts = [line.split(b" ", 2) for line in lines]
    facts = orjson.loads(b"[%s]" % b",".join([part[2] for part in parts]))
    return [(int(part[0]), found) for part, found in zip(parts, facts, strict=True)]


def index_lines(
    kind: Derivation, register: Path, sealed: SealedFile, register_fingerprint: str
) -> bytes:
    """The lines of the index of `kind` for this register, read, or made and saved."""
    path = _path(register, kind)
    header = b"%s%s %s " % (kind.magic, __version__.encode(), register_fingerprint.encode())
    present = _read_ours(path, kind)
    if present and present.startswith(header):
        body = _checked_body(present, len(header))
        if body is not None:
            return body
    body = _made_again(kind, sealed, _reusable(present) if present else None)
    if present is not None or not os.path.lexists(path):
        _write(path, header, body, register, kind)
    return body


def forget(kind: Derivation, register: Path) -> None:
    """Remove the index of `kind` beside the register, if it is ours, to be made again."""
    path = _path(register, kind)
    if _read_ours(path, kind) is not None:
        with contextlib.suppress(OSError):
            path.unlink()


def _path(register: Path, kind: Derivation) -> Path:
    return register.with_name(f"{register.name}.{kind.name}")


def _read_ours(path: Path, kind: Derivation) -> bytes | None:
    """The index file's bytes, or None where there is none or one that is not ours."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > _LARGEST:
        os.close(descriptor)
        return None
    with os.fdopen(descriptor, "rb") as handle:
        try:
            content = handle.read()
        except OSError:
            return None
    # Empty is what a crash can leave of a file renamed into place before it reached the disk.
    return content if content.startswith(kind.magic) or not content else None


def _checked_body(content: bytes, header_length: int) -> bytes | None:
    """The index lines after a header whose checksum they match; None if they do not."""
    line_end = content.find(b"\n", header_length)
    if line_end < 0:
        return None
    body = content[line_end + 1 :]
    checksum = content[header_length:line_end]
    if checksum != xxhash.xxh3_128_hexdigest(body).encode():
        return None
    return body


def _reusable(content: bytes) -> dict[bytes, bytes] | None:
    """The lines of an older index whose checksum holds, by the digest of the stored line
    each was folded from; None for a damaged index or one of another release."""
    header_end = content.find(b"\n")
    fields = content[:header_end].split(b" ")
    if header_end < 0 or len(fields) != 5 or fields[2] != __version__.encode():
        return None
    body = _checked_body(content, header_end - len(fields[4]))
    if body is None:
        return None
    lines = {}
    for line in body.splitlines(keepends=True):
        first = line.find(b" ")
        second = line.find(b" ", first + 1)
        lines[line[first + 1 : second]] = line[second + 1 :]
    return lines


def _made_again(kind: Derivation, sealed: SealedFile, reusable: dict[bytes, bytes] | None) -> bytes:
    """The index lines of every agreement, folding only those no older line answers for."""
    known = reusable or {}
    items = list(sealed.agreement_lines())

    def index_lines(part: Sequence[tuple[int, bytes]]) -> list[bytes]:
        lines = []
        for number, line in part:
            digest = xxhash.xxh3_64_hexdigest(line).encode()
            text = known.get(digest)
            if text is None:
                text = kind.derive(orjson.loads(line)) + b"\n"
            lines.append(b"%d %s %s" % (number, digest, text))
        return lines

    folds = len(items) - len(known)  # about how many lines need folding
    worth = 2_000 if folds > 2_000 else len(items) + 1  # a few are not worth a second process
    lines = in_two_halves(items, index_lines, list.__add__, worth=worth)
    return b"".join(lines)


def _write(path: Path, header: bytes, body: bytes, register: Path, kind: Derivation) -> None:
    """Replace the index with these lines, where the folder lets us; never durable on
    purpose (a torn index fails its checksum and is made again), never over a foreign file.
    """
    import tempfile

    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(register.stat().st_mode)  # it holds the register's text
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temp = Path(name)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(header)
                stream.write(xxhash.xxh3_128_hexdigest(body).encode() + b"\n")
                stream.write(body)
            temp.chmod(mode)
            if _read_ours(path, kind) is None and os.path.lexists(path):
                return  # something not ours appeared there meanwhile
            temp.replace(path)
        finally:
            temp.unlink(missing_ok=True)


def _ids_holding(body: bytes, wanted: bytes) -> list[int]:
    """The ids of the index lines that hold `wanted`, each once, in the order of the lines.

    A match in a line's id or digest is a false lead; the full test of the record drops it.
    """
    ids: list[int] = []
    position = body.find(wanted)
    while position >= 0:
        line_start = body.rfind(b"\n", 0, position) + 1
        line_end = body.find(b"\n", position)
        ids.append(int(body[line_start : body.index(b" ", line_start)]))
        if line_end < 0:
            break
        position = body.find(wanted, line_end)
    return ids
