"""Writing data out: standard output as bytes, and JSON as every command writes it.

Machine formats are exact on a pipe or in a file. On a terminal the same bytes go through
`for_terminal`, so that what a register holds is shown, never obeyed.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import sys
from collections.abc import Iterator
from typing import IO, cast

import orjson

from agreements.domain.text import for_terminal


def write_json(value: object, stream: IO[bytes]) -> None:
    """One JSON value, indented, on a line of its own."""
    stream.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")


@contextlib.contextmanager
def stdout_bytes() -> Iterator[IO[bytes]]:
    """Standard output as bytes, after whatever was printed to it as text."""
    sys.stdout.flush()
    target = sys.stdout.buffer
    stream = cast(IO[bytes], _TerminalSafe(target)) if sys.stdout.isatty() else target
    try:
        yield stream
    finally:
        stream.flush()
        target.flush()


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
