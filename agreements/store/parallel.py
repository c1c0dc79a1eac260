"""Work on a long sequence split over two processes, where the machine has two cores.

The second half runs in a forked child, which sees the parent's memory as it is (no
copying of the input) and sends back only its pickled result. Where fork is missing,
the machine has one core, or the child fails, the parent does all the work itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

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
    if (
        total < (WORTH_SPLITTING if worth is None else worth)
        or len(items) < 2
        or not hasattr(os, "fork")
        or (os.cpu_count() or 1) < 2
    ):
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


def _run_child(reading: int, writing: int, job: Callable[[], object]) -> None:
    """Send job()'s result down the pipe and leave without running any of the parent's
    exit handlers or flushing its buffers; any failure just leaves the pipe empty."""
    import pickle

    code = 1
    try:
        os.close(reading)
        result = pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(result)
        code = 0
    finally:
        os._exit(code)
