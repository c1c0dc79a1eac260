"""The rich consoles, and user text made safe to print on them.

User text is never read as rich markup and never reaches the terminal with control bytes.
"""

from __future__ import annotations

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

    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


def people_table(**options: object) -> Table:
    """A table in the one style of every table: a rule under the header, no frame."""
    from rich import box
    from rich.table import Table

    return Table(
        box=box.SIMPLE_HEAD,
        header_style="bold",
        show_edge=False,
        collapse_padding=True,
        **options,  # type: ignore[arg-type]
    )
