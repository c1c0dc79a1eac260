"""Writing data out: standard output as bytes, and JSON as every command writes it."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import IO

import orjson


def write_json(value: object, stream: IO[bytes]) -> None:
    """One JSON value, indented, on a line of its own."""
    stream.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")


@contextlib.contextmanager
def stdout_bytes() -> Iterator[IO[bytes]]:
    """Standard output as bytes, after whatever was printed to it as text."""
    sys.stdout.flush()
    try:
        yield sys.stdout.buffer
    finally:
        sys.stdout.buffer.flush()
