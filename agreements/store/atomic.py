"""Durable file operations: a new version of a file appears whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from agreements.errors import StorageFailure
from agreements.store.faults import fault_point

_TEMP_SUFFIX = ".tmp"
_GATHERED = 1 << 20  # bytes: small pieces are gathered up to this before one write
_NO_KERNEL_COPY = frozenset(
    (errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EBADF)
)


@dataclass(frozen=True, slots=True)
class FileStretch:
    """Bytes that lie at `offset` of the open file `descriptor`, as its mapping shows them.

    Written by the kernel copying them from file to file (copy_file_range), which takes
    half the time of writing them from the mapping on these machines; where it cannot,
    from the mapping.
    """

    view: memoryview
    descriptor: int
    offset: int

    def __len__(self) -> int:
        return len(self.view)

    def copy_to(self, target: int) -> None:
        """Write the stretch at the current position of `target`."""
        done, size = 0, len(self.view)
        while done < size:
            try:
                copied = os.copy_file_range(
                    self.descriptor, target, size - done, self.offset + done
                )
            except OSError as error:
                if error.errno not in _NO_KERNEL_COPY:
                    raise
                _write_all(target, self.view[done:])
                return
            if copied == 0:  # at its end, or a file system that copies nothing
                if os.fstat(self.descriptor).st_size < self.offset + size:
                    raise OSError(errno.EIO, "the file was cut short while it was copied")
                _write_all(target, self.view[done:])
                return
            done += copied


Piece = bytes | memoryview | FileStretch
"""A stretch of a file to write: new bytes, or the bytes of the file before, as a view of
them or, where that file is mapped, as the stretch of it that the kernel can copy."""


def piece_bytes(piece: Piece) -> bytes | memoryview:
    return piece.view if isinstance(piece, FileStretch) else piece


@contextlib.contextmanager
def output_file(path: Path) -> Iterator[IO[bytes]]:
    """A stream whose bytes replace `path` atomically once the block ends without error.

    Until then `path` stays as it was; a failure or a kill leaves no half-written file.
    """
    refuse_as_output_place(path)
    handle, temp = _new_temp(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            fault_point("mid-write")
            stream.flush()
            os.fsync(stream.fileno())
        temp.chmod(file_mode(path))
        temp.replace(path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise storage_failure("cannot write", path, error) from None
        raise
    fsync_folder(path.parent)


def refuse_as_output_place(path: Path) -> None:
    """StorageFailure when `path` is a folder or in none, before any work is done for it."""
    if path.is_dir():
        raise StorageFailure(f"{path} is a folder")
    if not path.parent.is_dir():
        raise StorageFailure(f"the folder {path.parent} does not exist")


def file_mode(path: Path) -> int:
    """The permissions of `path`, or those a new file gets when there is none yet."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as error:
        raise storage_failure("cannot read", path, error) from None


def write_temp(path: Path, pieces: Sequence[Piece]) -> Path:
    """A durable file of `pieces`, one after the other, beside `path` with its permissions."""
    mode = file_mode(path)
    handle, temp = _new_temp(path)
    try:
        try:
            fault_point("after-temp-create")
            only = pieces[0] if len(pieces) == 1 else None
            first: Sequence[Piece] = pieces[: len(pieces) // 2]
            rest: Sequence[Piece] = pieces[len(pieces) // 2 :]
            if only is not None and not isinstance(only, FileStretch):
                payload = memoryview(only)
                first, rest = [payload[: len(payload) // 2]], [payload[len(payload) // 2 :]]
            _write_pieces(handle, first)
            fault_point("mid-write")
            _write_pieces(handle, rest)
            fault_point("before-fsync")
            os.fsync(handle)
            fault_point("after-fsync")
        finally:
            os.close(handle)
        temp.chmod(mode)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise storage_failure("cannot write", path, error) from None
        raise
    return temp


def _write_pieces(target: int, pieces: Sequence[Piece]) -> None:
    """Write `pieces` at the current position of `target`: stretches of another file by
    the kernel, large pieces as they are, small ones gathered into few writes."""
    gathered = bytearray()
    for piece in pieces:
        if isinstance(piece, FileStretch) or len(piece) >= _GATHERED:
            _write_all(target, gathered)
            gathered.clear()
            if isinstance(piece, FileStretch):
                piece.copy_to(target)
            else:
                _write_all(target, piece)
        else:
            gathered += piece
            if len(gathered) >= _GATHERED:
                _write_all(target, gathered)
                gathered.clear()
    _write_all(target, gathered)


def _write_all(target: int, data: bytes | bytearray | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(target, view) :]


def _new_temp(path: Path) -> tuple[int, Path]:
    """An open descriptor and the name of a new temp file beside `path`."""
    import tempfile  # only writes need it: a command that reads starts without it

    try:
        handle, name = tempfile.mkstemp(
            prefix=temp_prefix(path), suffix=_TEMP_SUFFIX, dir=path.parent
        )
    except OSError as error:
        raise storage_failure("cannot write in", path.parent, error) from None
    return handle, Path(name)


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_stale_temps(path: Path) -> None:
    """Delete the temp files a killed save of `path` left behind. Call only under its lock."""
    prefix = temp_prefix(path)
    with contextlib.suppress(OSError):
        for entry in path.parent.iterdir():
            if entry.name.startswith(prefix) and entry.name.endswith(_TEMP_SUFFIX):
                entry.unlink(missing_ok=True)


def hold_previous(path: Path, content: bytes) -> Path:
    """A hidden second name for the current version of `path`, to become its backup.

    A hard link costs nothing whatever the size, and keeps the old version because
    `path` itself is only ever replaced, never written in place; file systems without
    links get a copy of `content`, the bytes just read from `path`.
    """
    held = path.with_name(temp_prefix(path) + "previous" + _TEMP_SUFFIX)
    try:
        held.unlink(missing_ok=True)
        try:
            os.link(path, held)
        except OSError:
            held.write_bytes(content)
            held.chmod(file_mode(path))
    except OSError as error:
        held.unlink(missing_ok=True)
        raise storage_failure("cannot keep a backup of", path, error) from None
    return held


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable, where the file system can."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def storage_failure(action: str, path: Path, error: OSError) -> StorageFailure:
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EFBIG: "the file is too large for this system",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
    }.get(error.errno or 0, error.strerror or str(error))
    return StorageFailure(f"{action} {path}: {reason}", hint="nothing was changed")
