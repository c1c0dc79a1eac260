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
