"""Colours that mean something: each status its own, overdue items in red.

rich leaves colour out where it is not wanted: off a terminal and under NO_COLOR.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

STATUS_STYLES = {
    "active": "green",
    "proposed": "cyan",
    "suspended": "yellow",
    "expired": "magenta",
    "terminated": "red",
}
OVERDUE_STYLE = "bold red"


def status_text(status: str) -> Text:
    from rich.text import Text

    return Text(status, style=STATUS_STYLES.get(status, ""))
