"""How a change reaches the register file: under the lock, placed in its history,
written to a temp file, logged, renamed over the old one, the old one kept as backup.

Before anything is written, the file is placed in its history: it must hold the result
of the last operation, or of an earlier one (then the later ones are recorded as not
applied: a save killed before its rename, or a backup put back). A file the history
knows no state of was changed outside agreements, and is not written over until the
user says what to keep (`check --accept-edit`, `check --restore-backup`); only a sealed
file of a register shared over git (`git_merge`) is taken as the version git brought.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agreements.errors import CorruptDatabase, DatabaseBusy, StorageFailure
from agreements.store.atomic import (
    Piece,
    file_mode,
    fsync_folder,
    hold_previous,
    remove_stale_temps,
    storage_failure,
    write_temp,
)
from agreements.store.companions import Companions, not_ours
from agreements.store.faults import fault_point
from agreements.store.locking import LockTimeout, exclusive_lock

if TYPE_CHECKING:  # the history is loaded only by commands that write or show it
    from agreements.store.history import NewOperation

_CANNOT_CREATE = {errno.ENOENT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EOPNOTSUPP}
"""Why creating the lock can fail in a folder that exists: it cannot hold our files."""

SAVED: list[int] = []
"""The numbers of the operations this process saved, for a message when it is interrupted."""

OUTSIDE_HINT = (
    "nothing was changed; 'agreements check' shows the file's problems; keep the edit with "
    "'agreements check --accept-edit', or go back with 'agreements check --restore-backup'"
)


@dataclass(frozen=True)
class Place:
    """Where the register file stands in its history, found before a save."""

    number: int
    """The number of the last operation in the history (0 for none)."""
    size: int
    """The size of the history's committed part: where the next operation starts."""
    not_applied: tuple[int, ...]
    """Operations whose result the file does not hold, newest first."""
    least_next_id: int
    """No id below this may be given: the history gave out those before it."""


class SaveProtocol:
    """The register file at `path` and its companions, and the steps of every save."""

    def __init__(
        self, path: Path, lock_timeout: float = 10.0, *, create_folder: bool = False
    ) -> None:
        self.files = Companions.of(path)
        self.path = self.files.path
        self.lock_path = self.files.lock
        self.history_path = self.files.history
        self.backup_path = self.files.backup
        self.lock_timeout = lock_timeout
        self.create_folder = create_folder

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
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
                if error.errno == errno.ELOOP:
                    raise not_ours(self.lock_path, "it is a symbolic link") from None
                if error.errno in _CANNOT_CREATE and not self.lock_path.exists():
                    raise self._folder_cannot_hold(error) from None
                raise storage_failure("cannot lock", self.lock_path, error) from None
            try:
                fault_point("after-lock")
            except OSError as error:
                raise storage_failure("cannot write", self.path, error) from None
            self.files.check_ours()
            remove_stale_temps(self.path)
            yield

    def place(
        self, register_fingerprint: str, accept_outside_edit: bool, *, broken_seal: bool = False
    ) -> Place:
        """Where the file stands in its history; CorruptDatabase when it stands nowhere.

        Only the incomplete tail of an append that was cut off is cut away: every
        operation that was committed stays, those not in the file recorded as such.
        """
        from agreements.store.history import truncate
        from agreements.store.history_reader import HistoryFile, counter_after, missing_from_file

        try:
            with HistoryFile(self.history_path) as history:
                tail = history.tail()
                if tail.committed < tail.size:
                    truncate(self.history_path, tail.committed)
                last = tail.last
                if broken_seal and not accept_outside_edit:
                    after = "" if last is None else f" after operation {last.number}"
                    raise CorruptDatabase(
                        f"{self.path} was changed outside agreements{after}: its seal no "
                        "longer matches it",
                        hint=OUTSIDE_HINT,
                    )
                if last is None:
                    return Place(0, tail.committed, (), 1)
                if last.register_after == register_fingerprint:
                    return Place(last.number, tail.committed, (), last.next_id or 1)
                missing = missing_from_file(history, register_fingerprint)
                if missing is None and not accept_outside_edit and not self._from_git():
                    raise CorruptDatabase(
                        f"{self.path} was changed outside agreements after operation {last.number}",
                        hint=OUTSIDE_HINT,
                    )
                counters = [counter_after(history, last)]
                counters += [
                    counter_after(history, commit)
                    for commit in history.commits_backwards()
                    if commit.number in (missing or ())
                ]
                least = max([1, *(counter for counter in counters if counter is not None)])
                return Place(last.number, tail.committed, tuple(missing or ()), least)
        except OSError as error:
            raise storage_failure("cannot update", self.history_path, error) from None

    def _from_git(self) -> bool:
        """Whether an unknown, sealed file is a version git brought (a pull, a checkout) of
        a register shared with `git-setup`: agreements wrote it, in another clone."""
        from agreements.store.git_merge import shared_over_git

        return shared_over_git(self.path)

    def commit(
        self,
        pieces: Sequence[Piece],
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
            try:
                history_size = append(self.history_path, operation, file_mode(self.path))
            except OSError as error:
                raise storage_failure("cannot write", self.history_path, error) from None
            logged = True
            fault_point("after-history")
            if content is not None and not keep_backup:
                previous = hold_previous(self.path, content)
            fault_point("before-replace")
            temp.replace(self.path)
            replaced = True
            SAVED.append(operation.number)
        except BaseException as error:
            temp.unlink(missing_ok=True)
            if previous is not None:
                previous.unlink(missing_ok=True)
            if logged and not replaced:  # ours, appended in this very save
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

    def _folder_cannot_hold(self, error: OSError) -> StorageFailure:
        """The folder is there, but no file can be made in it (/proc, /sys, a read-only
        mount): the lock, the first file a change creates, says so."""
        failure = storage_failure("", self.path.parent, error)
        reason = failure.message.split(": ", 1)[-1]
        if error.errno == errno.ENOENT:
            reason = "files cannot be created there"
        return StorageFailure(
            f"the folder {self.path.parent} cannot hold a register: {reason}",
            hint="nothing was changed; choose a file in another folder with --db",
        )

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
