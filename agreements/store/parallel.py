"""Work on a long sequence split over two processes, where the machine has two cores.

The second half runs in a forked child, which sees the parent's memory as it is (no
copying of the input) and sends back only its pickled result. Where fork is missing,
the machine has one core, or the child fails, the parent does all the work itself.
"""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Callable, Sequence
from typing import IO, TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORTH_SPLITTING = 20_000


def in_two_halves(
    items: Sequence[T],
    work: Callable[[Sequence[T]], R],
    merge: Callable[[R, R], R],
    *,
    sizes: Sequence[int] | None = None,
    worth: int | None = None,
) -> R:
    """merge(work(first half), work(second half)), the halves run side by side.

    The halves hold as many items each, or, given their `sizes`, as much work each; a
    total below `worth` (WORTH_SPLITTING items by default) is not worth a second process.
    """
    weights = sizes if sizes is not None else [1] * len(items)
    total = sum(weights)
    if total < (WORTH_SPLITTING if worth is None else worth) or len(items) < 2 or not two_cores():
        return work(items)
    import pickle  # only here: most commands never split their work

    middle, done = 0, 0
    while middle < len(items) - 1 and done + weights[middle] <= total // 2:
        done += weights[middle]
        middle += 1
    middle = max(middle, 1)
    first, second = items[:middle], items[middle:]
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        _run_child(reading, writing, lambda: work(second))
    os.close(writing)
    mine = work(first)
    with os.fdopen(reading, "rb") as pipe:
        sent = pipe.read()
    _, status = os.waitpid(child, 0)
    theirs = pickle.loads(sent) if status == 0 and sent else work(second)
    return merge(mine, theirs)


def two_cores() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def write_in_two_halves(
    halves: tuple[T, T], write: Callable[[T, IO[bytes], bool], int], stream: IO[bytes]
) -> int:
    """write(first half, stream) here while a forked child writes the second half into
    memory, then the child's bytes after ours: output as one process writes it, in order.

    `write` is told whether it writes the first half (the one that starts the output, with
    any header); it returns how many items it wrote, and this the sum. Where the child
    fails, the parent writes the second half itself.
    """
    first, second = halves
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        _run_child(reading, writing, lambda: _written(write, second), pickled=False)
    os.close(writing)
    try:
        count = write(first, stream, True)
        with os.fdopen(reading, "rb") as pipe:
            sent = pipe.read()
    except BaseException:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        raise
    _, status = os.waitpid(child, 0)
    if status != 0 or len(sent) < 8:
        return count + write(second, stream, False)
    stream.write(memoryview(sent)[8:])
    return count + int.from_bytes(sent[:8], "big")


def _written(write: Callable[[T, IO[bytes], bool], int], half: T) -> bytes:
    buffer = io.BytesIO()
    buffer.write(bytes(8))
    count = write(half, buffer, False)
    buffer.seek(0)
    buffer.write(count.to_bytes(8, "big"))
    return buffer.getvalue()


def _run_child(
    reading: int, writing: int, job: Callable[[], object], *, pickled: bool = True
) -> None:
    """Send job()'s result down the pipe (pickled, or bytes as they are) and leave without
    running any of the parent's exit handlers or flushing its buffers; any failure just
    leaves the pipe empty."""
    import pickle

    code = 1
    try:
        os.close(reading)
        done = job()
        result = pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL) if pickled else done
        assert isinstance(result, bytes)
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(result)
        code = 0
    finally:
        os._exit(code)
