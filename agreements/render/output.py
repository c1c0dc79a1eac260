"""Writing data out: standard output as bytes, and JSON as every command writes it.

Machine formats are exact on a pipe or in a file. On a terminal the same bytes go through
`for_terminal`, so that what a register holds is shown, never obeyed.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from typing import IO, cast

import orjson

from agreements.domain.text import for_terminal
from agreements.errors import StorageFailure


def write_json(value: object, stream: IO[bytes]) -> None:
    """One JSON value, indented, on a line of its own."""
    stream.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")


@contextlib.contextmanager
def stdout_bytes() -> Iterator[IO[bytes]]:
    """Standard output as bytes, after whatever was printed to it as text.

    Every byte is written or the command fails: a full disk behind `> file` is an error
    (StorageFailure), never a short file and a success.
    """
    sys.stdout.flush()
    whole = cast(IO[bytes], _WholeWrites(sys.stdout.buffer))
    stream = cast(IO[bytes], _TerminalSafe(whole)) if sys.stdout.isatty() else whole
    try:
        yield stream
    finally:
        stream.flush()


class _WholeWrites(io.RawIOBase):
    """Writes each piece whole, however many calls that takes."""

    def __init__(self, target: IO[bytes]) -> None:
        super().__init__()
        self._target = target

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(data).cast("B")
        try:
            while view:
                written = self._target.write(view)
                if not written:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[written:]
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _unwritable(error) from None
        return len(data)

    def flush(self) -> None:
        try:
            self._target.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _unwritable(error) from None


def _unwritable(error: OSError) -> StorageFailure:
    return StorageFailure(f"cannot write to standard output: {error.strerror or error}")


class _TerminalSafe(io.RawIOBase):
    """A byte stream to a terminal that shows control and direction-changing characters
    as escapes; UTF-8 split across writes is put together first."""

    def __init__(self, target: IO[bytes]) -> None:
        super().__init__()
        self._target = target
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        text = self._decoder.decode(bytes(data))
        self._target.write(for_terminal(text).encode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self._target.flush()
