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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from agreements.domain.migrations import SCHEMA_VERSION
from agreements.domain.model import utc_now
from agreements.errors import DatabaseBusy, StorageFailure
from agreements.store.atomic import (
    file_mode,
    fsync_folder,
    hold_previous,
    remove_stale_temps,
    storage_failure,
    write_temp,
)
from agreements.store.faults import fault_point
from agreements.store.foreign import AGREEMENTS, load, read_bytes
from agreements.store.layout import Encoded, SealedFile, fingerprint, seal
from agreements.store.locking import LockTimeout, exclusive_lock
from agreements.store.snapshot import Snapshot
from agreements.store.transaction import Transaction

if TYPE_CHECKING:  # the history is loaded only by commands that write or show it
    from agreements.store.history import Commit, NewOperation, Operation


class Register:
    """The register file at `path`. Reads need no lock; every change holds it."""

    def __init__(
        self, path: Path, lock_timeout: float = 10.0, *, create_folder: bool = False
    ) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.history_path = path.with_name(path.name + ".history")
        self.backup_path = path.with_name(path.name + ".bak")
        self.lock_timeout = lock_timeout
        self.create_folder = create_folder

    def read(self) -> Snapshot:
        """The register as it is now; a file of an older schema is read, never rewritten."""
        content = read_bytes(self.path)
        sealed = load(self.path, content)
        return Snapshot(sealed, fingerprint(content, sealed))

    def history(
        self, agreement_id: int | None = None, register_fingerprint: str | None = None
    ) -> list[Operation]:
        """The operations that reached the register, oldest first, or those touching one record.

        Give the fingerprint of a snapshot just read to spare reading the register again;
        without it the register is not parsed, so the history of a damaged file still shows.
        """
        from agreements.store.history import applied, read_log

        only = None if agreement_id is None else (AGREEMENTS, agreement_id)
        current = register_fingerprint or fingerprint(read_bytes(self.path))
        operations = applied(read_log(self.history_path, only).operations, current)
        if agreement_id is not None:
            operations = [op for op in operations if op.changes]
        return operations

    @contextlib.contextmanager
    def change(self, command: str, *, upgrade: bool = True) -> Iterator[Transaction]:
        """Lock, read, let the caller change the data, and save it with its history entry.

        A file of an older schema is upgraded first, when the caller changes something:
        the upgrade is saved as an operation of its own, with the file as it was kept as
        the backup, and then the caller's transaction is saved on top of it.
        """
        from agreements.store.history import NewOperation

        with self._locked():
            content = read_bytes(self.path)
            sealed = load(self.path, content)
            fingerprint_before = fingerprint(content, sealed)
            last, history_size = self._settle_history(fingerprint_before)
            upgraded = None
            current = fingerprint_before
            if upgrade and sealed.schema_version < SCHEMA_VERSION:
                upgraded = Transaction(sealed, fingerprint_before, self.history_path)
                upgraded.upgrade_schema()
                sealed = _resealed(upgraded.encode())
                current = sealed.fingerprint
            transaction = Transaction(sealed, current, self.history_path)
            yield transaction
            changes = transaction.document_changes()
            if not changes or transaction.discarded:
                return
            number = (last.number if last else 0) + 1
            if upgraded is not None:
                operation = NewOperation(
                    number=number,
                    time=utc_now(),
                    command=command,
                    undoes=None,
                    register_before=fingerprint_before,
                    register_after=current,
                    changes=tuple(upgraded.document_changes()),
                    start=history_size,
                    upgrade_to=SCHEMA_VERSION,
                )
                history_size = self._commit([sealed.content], content, operation)
                content, number = sealed.content, number + 1
            payload = transaction.encode()
            operation = NewOperation(
                number=number,
                time=utc_now(),
                command=command,
                undoes=transaction.undoes,
                register_before=current,
                register_after=payload.fingerprint,
                changes=tuple(changes),
                start=history_size,
            )
            self._commit(payload.pieces, content, operation, keep_backup=upgraded is not None)

    def undo(self, command: str) -> Operation:
        """Revert the latest operation not yet undone, exactly, as an operation of its own.

        An undo never upgrades the file: what it puts back belongs to the schema the
        file had when that operation was saved.
        """
        with self.change(command, upgrade=False) as transaction:
            return transaction.undo_latest()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self.create_folder:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._check_writable_folder()
        with contextlib.ExitStack() as held:
            try:
                held.enter_context(exclusive_lock(self.lock_path, self.lock_timeout))
            except LockTimeout:
                raise DatabaseBusy(
                    "the database is in use by another process",
                    hint=f"try again in a moment; the lock file is {self.lock_path}",
                ) from None
            except OSError as error:
                raise storage_failure("cannot lock", self.lock_path, error) from None
            try:
                fault_point("after-lock")
            except OSError as error:
                raise storage_failure("cannot write", self.path, error) from None
            remove_stale_temps(self.path)
            yield

    def _settle_history(self, register_fingerprint: str) -> tuple[Commit | None, int]:
        """Cut off what a killed save left in the history: a partial or never-applied operation."""
        from agreements.store.history import last_commit, truncate

        try:
            last, size = last_commit(self.history_path)
            valid = last.end if last else 0
            if (
                last is not None
                and last.register_after != register_fingerprint
                and last.register_before == register_fingerprint
            ):
                valid = last.start
                last = _commit_before(self.history_path, last.start)
            if valid < size:
                truncate(self.history_path, valid)
        except OSError as error:
            raise storage_failure("cannot update", self.history_path, error) from None
        return last, valid

    def _commit(
        self,
        pieces: Sequence[bytes],
        content: bytes | None,
        operation: NewOperation,
        *,
        keep_backup: bool = False,
    ) -> int:
        """Write the new file, log the operation, swap the files, keep the old one as backup
        (unless `keep_backup` leaves the backup as it is); the history's new size."""
        from agreements.store.history import append, truncate

        temp = write_temp(self.path, pieces)
        previous = None
        logged = replaced = False
        try:
            history_size = append(self.history_path, operation, file_mode(self.path))
            logged = True
            fault_point("after-history")
            if content is not None and not keep_backup:
                previous = hold_previous(self.path, content)
            fault_point("before-replace")
            temp.replace(self.path)
            replaced = True
        except BaseException as error:
            temp.unlink(missing_ok=True)
            if previous is not None:
                previous.unlink(missing_ok=True)
            if logged and not replaced:
                with contextlib.suppress(OSError):
                    truncate(self.history_path, operation.start)
            if isinstance(error, OSError):
                raise storage_failure("cannot write", self.path, error) from None
            raise
        fault_point("after-replace")
        if previous is not None:
            with contextlib.suppress(OSError):  # the change is saved; only the backup is stale
                previous.replace(self.backup_path)
        fault_point("before-folder-fsync")
        fsync_folder(self.path.parent)
        return history_size

    def _check_writable_folder(self) -> None:
        folder = self.path.parent
        if self.path.is_dir():
            raise StorageFailure(f"{self.path} is a folder, not a register file")
        if not folder.is_dir():
            raise StorageFailure(
                f"the folder {folder} does not exist",
                hint="create it first, or choose another file with --db",
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StorageFailure(f"cannot write in the folder {folder}: permission denied")
        if self.path.exists() and not os.access(self.path, os.W_OK):
            raise StorageFailure(f"cannot write {self.path}: the file is read-only")


def _commit_before(path: Path, offset: int) -> Commit | None:
    """The last commit that ends at or before `offset` in the history file."""
    from agreements.store.history import Commit, read_log

    if offset == 0:
        return None
    operations = read_log(path).operations
    earlier = [op for op in operations if op.start < offset]
    if not earlier:
        return None
    last = earlier[-1]
    return Commit(last.number, last.register_before, last.register_after, last.start, offset)


def _resealed(encoded: Encoded) -> SealedFile:
    sealed = seal(encoded.content())
    assert sealed is not None
    return sealed
