"""The register file and the files agreements keeps beside it, and what may be done to them.

The path a user gives is resolved once, symbolic links and all, so that two names of one
register share one lock and one history. The companion files are the lock, the history
and the backup: each is opened without following a link, and must be a regular file of
ours; a foreign file there is refused, never truncated or replaced. The search and
summary indexes are caches of ours too: a foreign file in their place is neither used nor
replaced. No output of a command (an export, an import report) may be written over any
of them.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from agreements.errors import CorruptDatabase, InvalidInput


@dataclass(frozen=True)
class Companions:
    path: Path
    """The register file itself, its links resolved."""
    lock: Path
    history: Path
    backup: Path
    search: Path
    """The search index, a cache of the register's folded text (`derived_index`)."""
    summary: Path
    """What `summary` counts of each agreement, a cache too (`derived_index`)."""
    due: Path
    """What `due` and `calendar` make their items of, a cache as well."""

    @classmethod
    def of(cls, given: Path) -> Companions:
        path = Path(os.path.realpath(given))
        return cls(
            path,
            path.with_name(path.name + ".lock"),
            path.with_name(path.name + ".history"),
            path.with_name(path.name + ".bak"),
            path.with_name(path.name + ".search"),
            path.with_name(path.name + ".summary"),
            path.with_name(path.name + ".due"),
        )

    def all(self) -> tuple[Path, ...]:
        return (
            self.path, self.lock, self.history, self.backup, self.search, self.summary, self.due,
        )  # fmt: skip

    def refuse_as_output(self, output: Path, what: str) -> None:
        """InvalidInput when `output` is the register or one of its files, by any name."""
        resolved = Path(os.path.realpath(output))
        for own in self.all():
            same = resolved == own
            if not same and output.exists() and own.exists():
                same = output.samefile(own)
            if same:
                raise InvalidInput(
                    f"refusing to write the {what} to {output}: it is the register's own "
                    f"file {own.name}",
                    hint="choose another file",
                )

    def check_ours(self) -> None:
        """CorruptDatabase when a companion file is there but is not one agreements wrote.

        The lock is an empty file, the backup a register, the history JSON Lines of ours
        (that one is checked where it is opened, see `history.open_companion`).
        """
        for path, looks_ours in ((self.lock, _empty), (self.backup, _register_like)):
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(info.st_mode):
                raise not_ours(path, "it is a symbolic link")
            if not stat.S_ISREG(info.st_mode):
                raise not_ours(path, "it is not a regular file")
            if not looks_ours(path, info.st_size):
                raise not_ours(path, "its content is not that of a file of agreements")


def _empty(path: Path, size: int) -> bool:
    return size == 0


def _register_like(path: Path, size: int) -> bool:
    """A register begins with a JSON object: anything else is someone else's file."""
    with path.open("rb") as handle:
        return handle.read(64).lstrip().startswith(b"{")


def open_companion(path: Path, flags: int, mode: int) -> tuple[int, bool]:
    """Open one of the register's own files without following a link; (descriptor,
    whether it was created). Anything but a regular file there is refused, untouched."""
    created = False
    try:
        descriptor = os.open(path, flags | os.O_NOFOLLOW)
    except FileNotFoundError:
        if not flags & (os.O_WRONLY | os.O_RDWR):
            raise
        descriptor = os.open(path, flags | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        created = True
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise not_ours(path, "it is a symbolic link") from None
        raise
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise not_ours(path, "it is not a regular file")
    return descriptor, created


def not_ours(path: Path, why: str) -> CorruptDatabase:
    return CorruptDatabase(
        f"{path} is not a file agreements wrote: {why}",
        hint="nothing was changed; move it away, and agreements makes its own",
    )
