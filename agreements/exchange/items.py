"""One record or row of a file being imported, and where it is, for messages and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Item:
    where: str
    number: int
    line: int
    record: dict[str, Any] = field(default_factory=dict)
    cells: list[str] = field(default_factory=list)
    """The row as read, for CSV files."""
    stored: bool = False
    """Whether `record` is in the stored form of a register file, not the exchanged one."""
    plain_text: bool = False
    """Whether the file holds no control or direction-changing character but line breaks
    and tabs, so that only a row holding one of those needs its texts checked."""

    def may_hold_unsafe_text(self) -> bool:
        if not self.plain_text:
            return True
        joined = "".join(self.cells)
        return "\n" in joined or "\t" in joined
