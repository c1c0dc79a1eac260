"""Long output for people goes through a pager, as git and gh do.

On a terminal, what a reading command prints is held until it has finished; when it
is taller than the terminal it goes to $AGREEMENTS_PAGER, else $PAGER, else `less`
(with LESS=FRX unless LESS is set: it quits when the text fits, keeps colours and
leaves the text on the screen). `cat`, a pager that cannot be started or one that
fails means none: the text is printed as it is.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import signal
import subprocess
import sys
from typing import TextIO


class HeldOutput(io.TextIOBase):
    """Standard output for a terminal, kept back: text and bytes, in the order written."""

    def __init__(self, terminal: TextIO) -> None:
        super().__init__()
        self.terminal = terminal
        self.held = bytearray()
        self.buffer = _HeldBytes(self.held)

    def write(self, text: str) -> int:
        self.held += text.encode("utf-8", errors="surrogateescape")
        return len(text)

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.terminal.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True


class _HeldBytes(io.RawIOBase):
    def __init__(self, held: bytearray) -> None:
        super().__init__()
        self._held = held

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._held += data
        return len(data)


def hold_output() -> HeldOutput:
    """From now on stdout is held; `release` shows it, paged when it is too tall."""
    held = HeldOutput(sys.stdout)
    sys.stdout = held
    return held


def release(held: HeldOutput) -> None:
    sys.stdout = held.terminal
    text = bytes(held.held)
    if not text:
        return
    try:
        height = os.get_terminal_size(held.terminal.fileno()).lines
    except OSError:
        height = 0
    if height and text.count(b"\n") >= height and _page(text):
        return
    held.terminal.buffer.write(text)
    held.terminal.flush()


def _page(text: bytes) -> bool:
    """Shows `text` in the pager; False when there is none to show it in."""
    command = (os.environ.get("AGREEMENTS_PAGER") or os.environ.get("PAGER") or "less").strip()
    try:
        words = shlex.split(command)
    except ValueError:  # unbalanced quotes: no pager can be started from it
        return False
    if not words or words == ["cat"]:
        return False
    environment = {**os.environ}
    environment.setdefault("LESS", "FRX")
    try:
        pager = subprocess.Popen(words, stdin=subprocess.PIPE, env=environment)
    except OSError:
        return False
    assert pager.stdin is not None
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's to handle
    try:
        with contextlib.suppress(BrokenPipeError):  # the reader quit before the end
            pager.stdin.write(text)
            pager.stdin.close()
        failed = pager.wait() not in (0, -signal.SIGINT, 128 + signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, previous)
    return not failed  # a pager that failed has shown nothing: the text is printed instead
