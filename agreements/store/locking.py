"""An exclusive lock on a file, held through an open descriptor and given up with it.

On POSIX systems this is flock(2): the lock belongs to the open file, so the operating
system lets go when the process ends however it ends, and two opens in one process
exclude each other as two processes do. Windows locks the file's first byte instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

_POLL_SECONDS = 0.05
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # a link there is refused, not followed


class LockTimeout(Exception):
    """Someone else held the lock for the whole time we were willing to wait."""


@contextlib.contextmanager
def exclusive_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock on `path`, creating the file if need be; wait at most `timeout` seconds.

    Raises LockTimeout when the wait runs out, OSError when the file cannot be opened or
    the file system cannot lock.
    """
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | _NO_FOLLOW, 0o644)
    except PermissionError:  # another user's lock file in a shared folder: reading will do
        descriptor = os.open(path, os.O_RDONLY | _NO_FOLLOW)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(descriptor):
            left = deadline - time.monotonic()
            if left <= 0:
                raise LockTimeout(str(path))
            time.sleep(min(_POLL_SECONDS, left))
        try:
            yield
        finally:
            _unlock(descriptor)
    finally:
        os.close(descriptor)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(descriptor: int) -> bool:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
