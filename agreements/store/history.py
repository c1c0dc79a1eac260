"""The history file beside a register: every change as one operation, so it can be undone.

`<db>.history` is JSON Lines and only ever appended to. An operation is one line per
changed document (table, id, the document before and after; null when absent) followed
by one commit line that numbers it, says when and by which command, and carries the
fingerprint of the register file before and after (see `layout.fingerprint`) and the id
counter after it. Because the history is appended before the register file is replaced,
a kill in between leaves a commit whose result never reached the file. Nothing that was
committed is ever cut away: the next operation finds such commits, and those whose
result a restored backup took away, and lists them as not applied; their ids are never
given out again. Only the incomplete last line of a cut-off append is dropped.

This module is the format and the writing; `history_reader` reads it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from agreements.errors import CorruptDatabase
from agreements.store.atomic import fsync_folder
from agreements.store.companions import not_ours, open_companion

Document = dict[str, Any]

COMMIT_START = b'{"op":'
CHANGE_START = b'{"table":'
_COMMIT_KEYS = ("op", "time", "command", "changes", "register_before", "register_after", "start")
_NULL = b"null"


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
class Commit:
    """An operation's commit line, and where the operation lies in the file."""

    number: int
    time: str
    command: str
    undoes: int | None
    register_before: str
    register_after: str
    start: int
    """The byte offset of the operation's first line."""
    end: int = 0
    """The byte offset just after its commit line."""
    change_count: int = 0
    upgrade_to: int | None = None
    """The schema the register was upgraded to, when this operation is that upgrade."""
    next_id: int | None = None
    """The id counter after the operation (not recorded before schema 2)."""
    not_applied: tuple[int, ...] = ()
    """Earlier operations this one found missing from the file: never applied, or taken
    away by a restored backup."""


@dataclass(frozen=True, kw_only=True)
class Operation(Commit):
    """An operation as read back from the history."""

    changes: tuple[DocumentChange, ...] = ()


@dataclass(frozen=True, kw_only=True)
class NewOperation(Commit):
    """An operation about to be appended to the history."""

    changes: tuple[StoredChange, ...] = field(default=())


def reverted(changes: tuple[DocumentChange, ...]) -> list[DocumentChange]:
    """The changes that undo `changes`, in the order they are applied."""
    return [
        DocumentChange(change.table, change.id, change.after, change.before)
        for change in reversed(changes)
    ]


def encode_operation(operation: NewOperation) -> bytearray:
    # Grown in place and handed back as it is: one copy of each document, not three.
    encoded = bytearray()
    for change in operation.changes:
        encoded += b'{"table":%s,"id":%d,"op":%d,"before":%s,"after":%s}\n' % (
            orjson.dumps(change.table),
            change.id,
            operation.number,
            _NULL if change.before is None else change.before,
            _NULL if change.after is None else change.after,
        )
    commit: dict[str, Any] = {
        "op": operation.number,
        "time": operation.time,
        "command": operation.command,
        "undoes": operation.undoes,
        "changes": len(operation.changes),
        "register_before": operation.register_before,
        "register_after": operation.register_after,
        "start": operation.start,
    }
    if operation.next_id is not None:
        commit["next_id"] = operation.next_id
    if operation.upgrade_to is not None:
        commit["upgrade_to"] = operation.upgrade_to
    if operation.not_applied:
        commit["not_applied"] = list(operation.not_applied)
    encoded += orjson.dumps(commit)
    encoded += b"\n"
    return encoded


def read_commit(line: bytes, end: int) -> Commit | None:
    """The commit a line holds, ending at byte `end` of the file; None if it is none."""
    if not line.startswith(COMMIT_START):
        return None
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or any(key not in data for key in _COMMIT_KEYS):
        return None
    try:
        return Commit(
            number=_whole(data["op"]),
            time=str(data["time"]),
            command=str(data["command"]),
            undoes=None if data.get("undoes") is None else _whole(data["undoes"]),
            register_before=str(data["register_before"]),
            register_after=str(data["register_after"]),
            start=_whole(data["start"]),
            end=end,
            change_count=_whole(data["changes"]),
            upgrade_to=data.get("upgrade_to"),
            next_id=None if data.get("next_id") is None else _whole(data["next_id"]),
            not_applied=tuple(_whole(number) for number in data.get("not_applied", ())),
        )
    except (TypeError, ValueError):
        return None


def _whole(value: object) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(value)
    return value


def read_change(line: bytes) -> DocumentChange | None:
    """The document change a line holds; None if it is none."""
    if not line.startswith(CHANGE_START):
        return None
    try:
        data = orjson.loads(line)
        change = DocumentChange(data["table"], data["id"], data["before"], data["after"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None
    if type(change.id) is not int or not isinstance(change.table, str):
        return None
    return change


def damaged(path: Path, where: str) -> CorruptDatabase:
    return CorruptDatabase(
        f"{path} is damaged at {where}: not a history entry",
        hint="nothing was changed; run 'agreements check' (the register itself may be fine)",
    )


def append(path: Path, operation: NewOperation, mode: int) -> int:
    """Add an operation durably, and return the file's new size; on failure the file is
    cut back to what it was.

    The history gets `mode`, the register's own permissions: it holds the same data.
    """
    payload = memoryview(encode_operation(operation))
    descriptor, created = open_companion(path, os.O_RDWR | os.O_APPEND, mode)
    try:
        size = os.fstat(descriptor).st_size
        head = os.pread(descriptor, len(CHANGE_START), 0)
        if size and not (head.startswith(CHANGE_START) or head.startswith(COMMIT_START)):
            raise not_ours(path, "it does not begin like a history")
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
    """Drop everything after `size` bytes: what this process itself appended, or the
    incomplete last line of an append that was cut off."""
    descriptor, _ = open_companion(path, os.O_WRONLY, 0o600)
    try:
        os.ftruncate(descriptor, size)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
