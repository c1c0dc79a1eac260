"""A test-only hook that makes a save fail or stop at a named step.

`AGREEMENTS_FAULT=<point>:<kill|enospc|sleep>[:SECONDS]` kills the process with SIGKILL,
raises "no space left on device", or sleeps (default 30 s) when the save reaches
`<point>`. The tests use it to prove that a crash or a full disk at any step leaves
either the old register or the new one. It is not meant for users.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from functools import cache

from agreements.errors import InvalidInput

POINTS = (
    "after-lock",
    "after-temp-create",
    "mid-write",
    "before-fsync",
    "after-fsync",
    "after-history",
    "before-replace",
    "after-replace",
    "before-folder-fsync",
)
# A failed write can only happen before the new file takes the old one's place.
AFTER_REPLACE = ("after-replace", "before-folder-fsync")
ACTIONS = ("kill", "enospc", "sleep")
DEFAULT_SLEEP_SECONDS = 30.0


@cache
def _planned() -> tuple[str, str, float] | None:
    text = os.environ.get("AGREEMENTS_FAULT", "")
    if not text:
        return None
    point, _, rest = text.partition(":")
    action, _, seconds = rest.partition(":")
    if point not in POINTS or action not in ACTIONS:
        raise InvalidInput(f"AGREEMENTS_FAULT={text!r}: expected <point>:<kill|enospc|sleep>")
    if action == "enospc" and point in AFTER_REPLACE:
        raise InvalidInput(f"AGREEMENTS_FAULT={text!r}: enospc needs a point before the replace")
    return point, action, float(seconds) if seconds else DEFAULT_SLEEP_SECONDS


def fault_point(name: str) -> None:
    """Act out the planned fault if the save has reached `name`; otherwise do nothing."""
    assert name in POINTS, name
    planned = _planned()
    if planned is None or planned[0] != name:
        return
    _, action, seconds = planned
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    else:
        time.sleep(seconds)
