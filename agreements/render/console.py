"""The rich consoles, and user text made safe to print on them.

User text is never read as rich markup and never reaches the terminal with control bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from agreements.domain.text import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text


def plain(text: str | None) -> Text:
    from rich.text import Text

    return Text(printable(text or ""))


def make_console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, markup=False, emoji=False)
    console.on_broken_pipe = _end_on_closed_pipe  # type: ignore[method-assign]
    return console


def _end_on_closed_pipe() -> None:
    """The reader stopped reading (`| head`): end quietly, as every command does then."""
    raise BrokenPipeError


def people_table(**options: object) -> Table:
    """A table in the one style of every table: a rule under the header, no frame."""
    from rich import box
    from rich.table import Table

    return Table(
        box=box.SIMPLE_HEAD,
        header_style="bold",
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        **options,  # type: ignore[arg-type]
    )


def planned_widths(
    rows: Sequence[Sequence[Text | str]],
    terminal: int,
    flexible: Mapping[int, int],
) -> list[int]:
    """The width of each column so that the table fits `terminal`: every other column as
    wide as its widest cell, never squeezed; the `flexible` ones (column: least width)
    share the rest, each at least its least width, wrapping their text.

    A table in `people_table`'s style puts two cells between columns."""
    from rich.cells import cell_len

    count = len(rows[0]) if rows else 0
    natural = [0] * count
    for row in rows:
        for column, cell in enumerate(row):
            text = cell.plain if not isinstance(cell, str) else cell
            longest = max((cell_len(line) for line in text.split("\n")), default=0)
            natural[column] = max(natural[column], longest)
    room = terminal - 2 * (count - 1) - sum(w for c, w in enumerate(natural) if c not in flexible)
    wanted = {column: natural[column] for column in flexible}
    if sum(wanted.values()) <= room:
        return natural
    least = {column: min(flexible[column], wanted[column]) for column in flexible}
    spare = max(room - sum(least.values()), 0)
    extra = sum(wanted[column] - least[column] for column in flexible) or 1
    widths = list(natural)
    for column in flexible:
        widths[column] = least[column] + (wanted[column] - least[column]) * spare // extra
    return widths
