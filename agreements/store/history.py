"""The history file beside a register: every change as one operation, so it can be undone.

`<db>.history` is JSON Lines and only ever appended to. An operation is one line per
changed document (table, id, the document before and after; null when absent) followed
by one commit line that numbers it, says when and by which command, and carries the
fingerprint of the register file before and after (see `layout.fingerprint`). Lines
after the last commit belong to an operation that was cut off and never counts. Because
the history is appended before the register file is replaced, a crash in between leaves
a commit whose "after" fingerprint does not match the register: that operation never
happened, and it is dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from agreements.errors import CorruptDatabase
from agreements.store.atomic import fsync_folder

Document = dict[str, Any]

_COMMIT_START = b'{"op":'
_CHANGE_START = b'{"table":'
_TAIL_CHUNK = 1 << 16


@dataclass(frozen=True)
class DocumentChange:
    table: str
    id: int
    before: Document | None
    after: Document | None


@dataclass(frozen=True)
class StoredChange:
    """A change as the register holds it: the document's stored JSON before and after
    (None where it is absent), so that logging it parses and encodes nothing again."""

    table: str
    id: int
    before: bytes | None
    after: bytes | None


@dataclass(frozen=True, kw_only=True)
class _Header:
    number: int
    time: str
    command: str
    undoes: int | None
    register_before: str
    register_after: str
    start: int  # the byte offset of its first line in the history file
    upgrade_to: int | None = None
    """The schema the register was upgraded to, when this operation is that upgrade."""


@dataclass(frozen=True, kw_only=True)
class Operation(_Header):
    """An operation as read back from the history."""

    changes: tuple[DocumentChange, ...]


@dataclass(frozen=True, kw_only=True)
class NewOperation(_Header):
    """An operation about to be appended to the history."""

    changes: tuple[StoredChange, ...]


@dataclass(frozen=True)
class Commit:
    """An operation's commit line, and where in the file the operation begins and ends."""

    number: int
    register_before: str
    register_after: str
    start: int
    end: int


def encode_operation(operation: NewOperation) -> bytes:
    encoded = bytearray()  # grown in place: one copy of each document, not three
    for change in operation.changes:
        encoded += b'{"table":%s,"id":%d,"op":%d,"before":%s,"after":%s}\n' % (
            orjson.dumps(change.table),
            change.id,
            operation.number,
            _NULL if change.before is None else change.before,
            _NULL if change.after is None else change.after,
        )
    commit = {
        "op": operation.number,
        "time": operation.time,
        "command": operation.command,
        "undoes": operation.undoes,
        "changes": len(operation.changes),
        "register_before": operation.register_before,
        "register_after": operation.register_after,
        "start": operation.start,
    }
    if operation.upgrade_to is not None:
        commit["upgrade_to"] = operation.upgrade_to
    encoded += orjson.dumps(commit)
    encoded += b"\n"
    return bytes(encoded)


_NULL = b"null"


def append(path: Path, operation: NewOperation, mode: int) -> int:
    """Add an operation durably, and return the file's new size; on failure the file is
    cut back to what it was.

    The history gets `mode`, the register's own permissions: it holds the same data.
    """
    payload = memoryview(encode_operation(operation))
    created = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, mode)
    try:
        size = os.fstat(descriptor).st_size
        try:
            os.fchmod(descriptor, mode)
            written = 0
            while written < len(payload):
                written += os.write(descriptor, payload[written:])
            os.fsync(descriptor)
        except BaseException:
            os.ftruncate(descriptor, size)
            raise
    finally:
        os.close(descriptor)
    if created:
        fsync_folder(path.parent)
    return size + len(payload)


def truncate(path: Path, size: int) -> None:
    """Drop everything after `size` bytes: a cut-off or never-applied operation."""
    descriptor = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(descriptor, size)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def last_commit(path: Path) -> tuple[Commit | None, int]:
    """The last complete commit and the file's size, reading as little of the end as it can."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None, 0
    with handle:
        size = handle.seek(0, os.SEEK_END)
        length = _TAIL_CHUNK
        while True:
            offset = max(0, size - length)
            handle.seek(offset)
            found = _last_commit_in(handle.read(), offset)
            if found is not None or offset == 0:
                return found, size
            length *= 8


def _last_commit_in(tail: bytes, offset: int) -> Commit | None:
    """The last commit line wholly inside `tail`, which begins at byte `offset` of the file."""
    end = tail.rfind(b"\n")
    while end >= 0:
        start = tail.rfind(b"\n", 0, end) + 1
        if start == 0 and offset > 0:
            return None  # this line may begin before the tail
        line = tail[start:end]
        commit = _read_commit(line) if line.startswith(_COMMIT_START) else None
        if commit is not None:
            return Commit(
                number=int(commit["op"]),
                register_before=str(commit["register_before"]),
                register_after=str(commit["register_after"]),
                start=int(commit["start"]),
                end=offset + end + 1,
            )
        end = start - 1
    return None


def _read_commit(line: bytes) -> dict[str, Any] | None:
    try:
        commit = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    expected = ("op", "time", "command", "changes", "register_before", "register_after", "start")
    if not isinstance(commit, dict) or any(key not in commit for key in expected):
        return None
    return commit


@dataclass(frozen=True)
class Log:
    operations: list[Operation]
    valid_size: int  # bytes up to the end of the last complete operation


def read_log(path: Path, only: tuple[str, int] | None = None) -> Log:
    """Every complete operation; with `only`, just the changes of that (table, id)."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return Log([], 0)
    operations: list[Operation] = []
    pending: list[DocumentChange] = []
    prefix = None if only is None else b'{"table":%s,"id":%d,' % (orjson.dumps(only[0]), only[1])
    position = 0
    valid_size = 0
    for number, line in enumerate(content.split(b"\n"), start=1):
        position += len(line) + 1
        if not line:
            continue
        if position > len(content):
            break  # the last line has no newline: it was cut off
        if line.startswith(_CHANGE_START):
            if prefix is None or line.startswith(prefix):
                pending.append(_read_change(line, path, number))
            continue
        commit = _read_commit(line)
        if commit is None:
            raise CorruptDatabase(
                f"{path} line {number} is not a history entry",
                hint="run 'agreements check'; the register itself may be fine",
            )
        operations.append(_operation(commit, pending))
        pending = []
        valid_size = position
    return Log(operations, valid_size)


def _read_change(line: bytes, path: Path, number: int) -> DocumentChange:
    try:
        data = orjson.loads(line)
        return DocumentChange(data["table"], int(data["id"]), data["before"], data["after"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise CorruptDatabase(
            f"{path} line {number} is not a history entry",
            hint="run 'agreements check'; the register itself may be fine",
        ) from None


def _operation(commit: dict[str, Any], changes: list[DocumentChange]) -> Operation:
    return Operation(
        number=int(commit["op"]),
        time=str(commit["time"]),
        command=str(commit["command"]),
        undoes=commit.get("undoes"),
        register_before=str(commit["register_before"]),
        register_after=str(commit["register_after"]),
        changes=tuple(changes),
        start=int(commit["start"]),
        upgrade_to=commit.get("upgrade_to"),
    )


def applied(operations: Sequence[Operation], register_fingerprint: str) -> list[Operation]:
    """The operations without a last one that was logged but never reached the register."""
    if operations:
        last = operations[-1]
        if (
            last.register_after != register_fingerprint
            and last.register_before == register_fingerprint
        ):
            return list(operations[:-1])
    return list(operations)


def reverted(changes: Sequence[DocumentChange]) -> list[DocumentChange]:
    """The changes that undo `changes`, in the order they are applied."""
    return [
        DocumentChange(change.table, change.id, change.after, change.before)
        for change in reversed(changes)
    ]


def undone_numbers(operations: Iterable[Operation]) -> dict[int, int]:
    """Which operation undid which: {undone number: number of the undo}."""
    return {op.undoes: op.number for op in operations if op.undoes is not None}


def undo_target(operations: Sequence[Operation]) -> Operation | None:
    """The latest operation that is neither an undo nor undone already."""
    undone = undone_numbers(operations)
    for operation in reversed(operations):
        if operation.undoes is None and operation.number not in undone:
            return operation
    return None
