"""The register file: read without a lock, changed under one, saved atomically with its history.

Stock TinyDB rewrites its file in place without a lock. Here a change holds an exclusive
lock on `<db>.lock` from before its read until after its save, and is saved as one new
file that replaces the old one (temp file, fsync, rename, fsync of the folder), so a
reader or a crash sees either the old register or the new one, never a mix. Before the
rename the operation is appended to `<db>.history`, and the old file becomes `<db>.bak`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from agreements.domain.migrations import SCHEMA_VERSION
from agreements.domain.model import utc_now
from agreements.errors import NotFound
from agreements.store.foreign import load, read_bytes, read_mapped
from agreements.store.layout import Encoded, SealedFile, fingerprint, seal
from agreements.store.saving import SaveProtocol
from agreements.store.snapshot import Snapshot
from agreements.store.transaction import Transaction

if TYPE_CHECKING:  # the history is loaded only by commands that write or show it
    from agreements.store.history import Commit, Operation
    from agreements.store.history_reader import Ledger


class Register(SaveProtocol):
    """The register file at `path`. Reads need no lock; every change holds it."""

    def read(self) -> Snapshot:
        """The register as it is now; a file of an older schema is read, never rewritten."""
        content = read_mapped(self.path)
        sealed = load(self.path, content)
        return Snapshot(sealed, fingerprint(content, sealed), self.path)

    def history(
        self, agreement_id: int | None = None, register_fingerprint: str | None = None
    ) -> tuple[list[Operation], Ledger]:
        """The operations, oldest first, or those touching one record, and their standing.

        Give the fingerprint of a snapshot just read to spare reading the register again;
        without it the register is not parsed, so the history of a damaged file still shows.
        """
        from agreements.store.history_reader import HistoryFile, ledger_of, only_document

        current = register_fingerprint or fingerprint(read_mapped(self.path))
        with HistoryFile(self.history_path) as history:
            ledger = ledger_of(history, current)
            if agreement_id is None:
                return list(history.operations()), ledger
            keep = only_document("agreements", agreement_id)
            return [op for op in history.operations(keep) if op.changes], ledger

    def latest(self, count: int) -> tuple[list[Operation], Ledger, int]:
        """The latest `count` operations, oldest first, their standing, and how many there
        are in all; only their own lines are read, however long the history."""
        from agreements.store.history_reader import HistoryFile, ledger_of

        current = fingerprint(read_mapped(self.path))
        with HistoryFile(self.history_path) as history:
            ledger = ledger_of(history, current)
            commits = []
            for commit in history.commits_backwards():
                commits.append(commit)
                if len(commits) == count:
                    break
            total = commits[0].number if commits else 0
            return [history.operation(commit) for commit in reversed(commits)], ledger, total

    @contextlib.contextmanager
    def change(
        self, command: str, *, upgrade: bool = True, accept_outside_edit: bool = False
    ) -> Iterator[Transaction]:
        """Lock, read, let the caller change the data, and save it with its history entry.

        A file of an older schema is upgraded first, when the caller changes something:
        the upgrade is saved as an operation of its own, with the file as it was kept as
        the backup, and then the caller's transaction is saved on top of it.
        """
        from agreements.store.history import NewOperation

        with self.locked():
            content = read_mapped(self.path)  # its unchanged stretches are written from it
            sealed = load(self.path, content)
            fingerprint_before = fingerprint(content, sealed)
            place = self.place(
                fingerprint_before, accept_outside_edit, broken_seal=sealed.broken_seal
            )
            upgraded = None
            current = fingerprint_before
            least_next_id = max(place.least_next_id, sealed.highest_id() + 1)
            if upgrade and sealed.schema_version < SCHEMA_VERSION:
                upgraded = Transaction(sealed, fingerprint_before, self.history_path)
                upgraded.upgrade_schema()
                sealed = _resealed(upgraded.encode())
                current = sealed.fingerprint
            transaction = Transaction(sealed, current, self.history_path, least_next_id)
            yield transaction
            transaction.keep_counter_up()
            changes = transaction.document_changes()
            if transaction.discarded or not (changes or transaction.forced):
                return
            number, start, not_applied = place.number + 1, place.size, place.not_applied
            if upgraded is not None:
                operation = NewOperation(
                    number=number,
                    time=utc_now(),
                    command=command,
                    undoes=None,
                    register_before=fingerprint_before,
                    register_after=current,
                    changes=tuple(upgraded.document_changes()),
                    start=start,
                    upgrade_to=SCHEMA_VERSION,
                    next_id=sealed.next_id,
                    not_applied=not_applied,
                )
                start = self.commit([sealed.content], content, operation)
                content, number, not_applied = sealed.content, number + 1, ()
            payload = transaction.encode()
            operation = NewOperation(
                number=number,
                time=utc_now(),
                command=command,
                undoes=transaction.undoes,
                register_before=current,
                register_after=payload.fingerprint,
                changes=tuple(changes),
                start=start,
                next_id=transaction.next_id(),
                not_applied=not_applied,
            )
            self.commit(payload.pieces, content, operation, keep_backup=upgraded is not None)

    def next_undo(self) -> tuple[Commit, int] | None:
        """The operation `undo` would take back now, and how many agreements it changed;
        None when there is none. Read without the lock, so that a person can be asked
        first: `undo(expected=...)` then refuses if another change came in between."""
        from agreements.store.history_reader import HistoryFile, undo_target

        content = read_bytes(self.path)
        if content is None:
            return None
        with HistoryFile(self.history_path) as history:
            commit = undo_target(history, fingerprint(content))
            if commit is None:
                return None
            return commit, history.count_changes(commit, "agreements")

    def undo(self, command: str, expected: int | None = None) -> Operation:
        """Revert the latest operation not yet undone, exactly, as an operation of its own.

        An undo never upgrades the file: what it puts back belongs to the schema the
        file had when that operation was saved. Where there is no register, nothing is
        created, not even the lock: NotFound. With `expected`, DatabaseBusy unless the
        operation to undo is still that one.
        """
        if not os.path.lexists(self.path):
            raise NotFound(
                f"there is no register at {self.path}, so nothing to undo",
                hint="check --db or $AGREEMENTS_DB",
            )
        with self.change(command, upgrade=False) as transaction:
            return transaction.undo_latest(expected)


def _resealed(encoded: Encoded) -> SealedFile:
    sealed = seal(encoded.content())
    assert sealed is not None
    return sealed
