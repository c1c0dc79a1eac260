"""Durable file operations: a new version of a file appears whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from agreements.errors import StorageFailure
from agreements.store.faults import fault_point

_TEMP_SUFFIX = ".tmp"


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


def write_temp(path: Path, pieces: Sequence[bytes | memoryview]) -> Path:
    """A durable file of `pieces`, one after the other, beside `path` with its permissions."""
    mode = file_mode(path)
    handle, temp = _new_temp(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            fault_point("after-temp-create")
            payload = memoryview(pieces[0]) if len(pieces) == 1 else None
            first, rest = (
                ([payload[: len(payload) // 2]], [payload[len(payload) // 2 :]])
                if payload is not None
                else (pieces[: len(pieces) // 2], pieces[len(pieces) // 2 :])
            )
            stream.writelines(first)
            stream.flush()
            fault_point("mid-write")
            stream.writelines(rest)
            stream.flush()
            fault_point("before-fsync")
            os.fsync(stream.fileno())
            fault_point("after-fsync")
        temp.chmod(mode)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise storage_failure("cannot write", path, error) from None
        raise
    return temp


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
