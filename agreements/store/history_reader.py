"""Reading the history: the latest operations from the end without reading the rest, one
operation's changes, or the whole file in one pass; and which operations count.

Operations are contiguous, so the commit line of each one ends just before the first
line of the next: walking back from the last commit costs one small read per operation,
whatever the size of the documents in between.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agreements.errors import AgreementsError, CorruptDatabase, NotFound
from agreements.store.companions import not_ours, open_companion
from agreements.store.history import (
    CHANGE_START,
    COMMIT_START,
    Commit,
    DocumentChange,
    Operation,
    damaged,
    read_change,
    read_commit,
)

_CHUNK = 1 << 16
_LARGEST_CHUNK = 1 << 24
Keep = Callable[[bytes], bool]
"""Which change lines to keep, judged on the line's bytes."""


def _keep_all(line: bytes) -> bool:
    return True


def only_document(table: str, document_id: int) -> Keep:
    prefix = b'{"table":"%s","id":%d,' % (table.encode(), document_id)
    return lambda line: line.startswith(prefix)


@dataclass(frozen=True)
class Tail:
    last: Commit | None
    committed: int
    """Where the last complete operation ends: what follows was cut off in an append."""
    size: int


class HistoryFile:
    """The history at `path`, opened for reading; a missing file is an empty history."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[int, bytes] = (0, b"")
        """The bytes last read from the end backwards, and where they start."""
        try:
            descriptor, _ = open_companion(path, os.O_RDONLY, 0)
        except FileNotFoundError:
            self._handle = None
            self.size = 0
        else:
            self._handle = os.fdopen(descriptor, "rb")
            self.size = os.fstat(descriptor).st_size
            head = self._handle.read(len(CHANGE_START))
            if self.size and not head.startswith((CHANGE_START, COMMIT_START)):
                self._handle.close()
                raise not_ours(path, "it does not begin like a history")

    def __enter__(self) -> HistoryFile:
        return self

    def __exit__(self, *_: object) -> None:
        if self._handle is not None:
            self._handle.close()

    def _read(self, start: int, end: int) -> bytes:
        assert self._handle is not None
        cached_start, cached = self._cache
        if cached_start <= start and end <= cached_start + len(cached):
            return cached[start - cached_start : end - cached_start]
        self._handle.seek(start)
        return self._handle.read(end - start)

    def _read_ending_at(self, end: int, length: int) -> tuple[int, bytes]:
        """About `length` bytes ending at `end`, kept for the next read: walking back over
        small operations then costs one read for many of them."""
        start = max(0, end - length)
        cached_start, cached = self._cache
        if not (cached_start <= start and end <= cached_start + len(cached)):
            self._cache = (start, self._read(start, end))
        return start, self._read(start, end)

    def tail(self) -> Tail:
        """The last commit and where committed operations end.

        After the last commit only the lines of an append that was cut off may follow:
        complete change lines, and at most one incomplete line. Anything else is damage,
        and CorruptDatabase, so that nothing written by someone else is ever cut away.
        """
        if self._handle is None or self.size == 0:
            return Tail(None, 0, self.size)
        for line, start in self._lines_backwards(self._after_last_newline()):
            end = start + len(line) + 1
            commit = read_commit(line, end)
            if commit is not None:
                return Tail(commit, end, self.size)
            if read_change(line) is None:
                raise damaged(self.path, f"byte {start}")
        return Tail(None, 0, self.size)

    def _after_last_newline(self) -> int:
        """Where the incomplete last line of a cut-off append begins (the size if none)."""
        end, length = self.size, _CHUNK
        while end > 0:
            start = max(0, end - length)
            newline = self._read(start, end).rfind(b"\n")
            if newline >= 0:
                return start + newline + 1
            end, length = start, length * 2
        return 0

    def _lines_backwards(self, end: int) -> Iterator[tuple[bytes, int]]:
        """(line, where it starts) of each complete line before `end`, newest first; `end`
        is just after a newline. Read in chunks that grow, whatever the lines' length."""
        buffer, buffer_start, line_end, length = b"", end, end, _CHUNK
        while line_end > 0:
            newline = buffer.rfind(b"\n", 0, line_end - 1 - buffer_start)
            if newline < 0 and buffer_start > 0:
                start, before = self._read_ending_at(buffer_start, length)
                buffer = before + buffer[: line_end - buffer_start]
                buffer_start, length = start, min(length * 2, _LARGEST_CHUNK)
                continue
            line_start = buffer_start + newline + 1
            yield buffer[line_start - buffer_start : line_end - 1 - buffer_start], line_start
            line_end = line_start

    def commits_backwards(self, last: Commit | None = None) -> Iterator[Commit]:
        """Every commit from the last (or from `last`) back to the first."""
        commit = self.tail().last if last is None else last
        while commit is not None:
            yield commit
            if commit.start == 0:
                return
            line, _ = next(self._lines_backwards(commit.start))
            earlier = read_commit(line, commit.start)
            if earlier is None or earlier.number >= commit.number:
                raise damaged(self.path, f"byte {commit.start}, before operation {commit.number}")
            commit = earlier

    def operation(self, commit: Commit, keep: Keep = _keep_all) -> Operation:
        """The operation of `commit`, with its changes (those `keep` keeps)."""
        lines = self._read(commit.start, commit.end).split(b"\n")[:-2]
        changes = []
        for line in lines:
            if not keep(line):
                continue
            change = read_change(line)
            if change is None:
                raise damaged(self.path, f"operation {commit.number}")
            changes.append(change)
        return _operation(commit, changes)

    def count_changes(self, commit: Commit, table: str) -> int:
        """How many documents of `table` the operation of `commit` changed, counted on
        the lines' bytes without parsing them."""
        prefix = b'{"table":"%s",' % table.encode()
        lines = self._read(commit.start, commit.end)
        return lines.count(b"\n" + prefix) + lines.startswith(prefix)

    def operations(
        self, keep: Keep = _keep_all, *, check_every_line: bool = False
    ) -> Iterator[Operation]:
        """Every committed operation from the first, read line by line, with the changes
        `keep` keeps; with `check_every_line`, every line is read and checked."""
        if self._handle is None:
            return
        self._handle.seek(0)
        position, changes, expected_start = 0, [], 0
        last_number = 0
        for number, line in enumerate(self._handle, start=1):
            end = position + len(line)
            if not line.endswith(b"\n"):
                return  # the incomplete last line of an append that was cut off
            body = line[:-1]
            if body.startswith(CHANGE_START):
                if keep(body):
                    change = read_change(body)
                    if change is None:
                        raise damaged(self.path, f"line {number}")
                    changes.append(change)
                elif check_every_line and read_change(body) is None:
                    raise damaged(self.path, f"line {number}")
            else:
                commit = read_commit(body, end)
                if commit is None or commit.start != expected_start or commit.number <= last_number:
                    raise damaged(self.path, f"line {number}")
                yield _operation(commit, changes)
                changes, expected_start, last_number = [], end, commit.number
            position = end


def check_operations(path: Path, commits: Sequence[Commit]) -> int:
    """Read every line of these operations and check it; how many lines there were.
    CorruptDatabase names the first that is not what its commit says."""
    lines_read = 0
    with HistoryFile(path) as history:
        for commit in commits:
            lines = history._read(commit.start, commit.end).split(b"\n")[:-2]
            if len(lines) != commit.change_count:
                raise damaged(path, f"operation {commit.number}, which lost lines")
            for number, line in enumerate(lines, start=1):
                if read_change(line) is None:
                    raise damaged(path, f"line {number} of operation {commit.number}")
            lines_read += len(lines) + 1
    return lines_read


def _operation(commit: Commit, changes: list[DocumentChange]) -> Operation:
    fields = {name: getattr(commit, name) for name in Commit.__dataclass_fields__}
    return Operation(**fields, changes=tuple(changes))


@dataclass
class Ledger:
    """Which operations count: those undone, and those whose result is not in the file."""

    undone: dict[int, int] = field(default_factory=dict)
    """{number of an undone operation: number of the undo}."""
    not_applied: set[int] = field(default_factory=set)

    def take(self, commit: Commit) -> None:
        """Learn from a commit, taken newest first: what it says of earlier ones."""
        self.not_applied.update(commit.not_applied)
        if commit.undoes is not None and commit.number not in self.not_applied:
            self.undone.setdefault(commit.undoes, commit.number)

    def counts(self, commit: Commit) -> bool:
        """Whether the commit's operation is in the file and not undone."""
        return commit.number not in self.not_applied and commit.number not in self.undone


def missing_from_file(history: HistoryFile, fingerprint: str) -> list[int] | None:
    """The operations, newest first, whose result the register file does not hold, when
    it holds the result of an earlier one (or the state before the first); None when it
    matches no state the history knows: it was changed outside agreements."""
    missing: list[int] = []
    known: set[int] = set()
    for commit in history.commits_backwards():
        if commit.register_after == fingerprint:
            return missing
        known.update(commit.not_applied)
        if commit.number not in known:
            missing.append(commit.number)
        if commit.register_before == fingerprint:
            return missing
    return None if missing else []


def ledger_of(history: HistoryFile, fingerprint: str) -> Ledger:
    """What every operation's standing is, for a register file of this fingerprint."""
    ledger = Ledger()
    ledger.not_applied.update(missing_from_file(history, fingerprint) or ())
    for commit in history.commits_backwards():
        ledger.take(commit)
    return ledger


def undo_target(history: HistoryFile, fingerprint: str) -> Commit | None:
    """The latest operation in the file that is neither an undo nor undone already."""
    ledger = Ledger()
    ledger.not_applied.update(missing_from_file(history, fingerprint) or ())
    for commit in history.commits_backwards():
        counted = ledger.counts(commit)
        ledger.take(commit)
        if counted and commit.undoes is None:
            return commit
    return None


def undo_refusal(commit: Commit, fingerprint: str) -> AgreementsError | None:
    """Why `undo` cannot take back `commit`, its target for a file of this fingerprint;
    None when it can. `undo` raises it and `check` notes it, so both name one operation."""
    if commit.register_after != fingerprint:
        return CorruptDatabase(
            f"the register was changed outside agreements after operation {commit.number}, "
            "so undo cannot restore it exactly",
            hint="see 'agreements history' and 'agreements check'",
        )
    if commit.change_count == 0 and commit.upgrade_to is None:
        # 'check --accept-edit' (or a swap with a backup that differs in no document):
        # the file as found outside agreements was kept, and its earlier bytes are unknown.
        return NotFound(
            f"there is nothing more to undo: operation {commit.number} took the file as it "
            "was changed outside agreements, and the history cannot go back past it",
            hint="the version before it may be the backup; see 'agreements check'",
        )
    return None


def counter_after(history: HistoryFile, commit: Commit) -> int | None:
    """The id counter the register had after `commit`'s operation, as far as the history
    knows it: recorded in the commit from schema 2 on, else in the latest meta change."""
    for earlier in history.commits_backwards(commit):
        if earlier.next_id is not None:
            return earlier.next_id
        for change in history.operation(earlier).changes:
            if change.table == "meta" and isinstance(change.after, dict):
                next_id = change.after.get("next_id")
                return next_id if type(next_id) is int else None
    return None


def check_readable(path: Path) -> None:
    """Raise CorruptDatabase when the history cannot be read to its end."""
    with HistoryFile(path) as history:
        for _ in history.operations(check_every_line=True):
            pass
        history.tail()
