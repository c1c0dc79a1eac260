"""`list`: agreements as a table for people, or as rows of CSV or TSV for reading.

Every row comes from a stored record (id, record); no agreement is built to show it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from agreements.domain.queries import record_countries
from agreements.domain.records import exchanged_from_stored, record_status
from agreements.domain.schema import LIST_VIEW_COLUMNS
from agreements.domain.text import printable
from agreements.exchange.registry import RECORD_WRITERS
from agreements.exchange.spreadsheet import escape_cell, escape_cells
from agreements.formats import Format
from agreements.render.console import plain

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from agreements.domain.due import Watch

Record = Mapping[str, Any]
Hit = tuple[int, Record]


def sectors_text(record: Record) -> str:
    """The sectors as people write them: a possible one ends in "?"."""
    return ", ".join(
        s["name"] + ("?" if s["certainty"] == "possible" else "") for s in record["sectors"]
    )


_CELLS: dict[str, Callable[[int, Record, date], str]] = {
    "id": lambda number, record, today: str(number),
    "title": lambda number, record, today: record["title"],
    "type": lambda number, record, today: record["type"],
    "status": lambda number, record, today: record_status(record, today),
    "signed_on": lambda number, record, today: record["signed_on"] or "",
    "parties": lambda number, record, today: "; ".join(p["name"] for p in record["parties"]),
    "countries": lambda number, record, today: ", ".join(record_countries(record)),
    "sectors": lambda number, record, today: sectors_text(record),
    "place": lambda number, record, today: record["place"] or "",
}
_ROW = [_CELLS[column] for column in LIST_VIEW_COLUMNS]


def list_row(number: int, record: Record, today: date) -> list[str]:
    """The cells of LIST_VIEW_COLUMNS for one stored record."""
    return [cell(number, record, today) for cell in _ROW]


def write_list(
    hits: Iterable[Hit],
    today: date,
    chosen: Format,
    stream: IO[bytes],
    console: Callable[[], Console],
    *,
    next_due: Watch | None = None,
) -> None:
    """The agreements in the format chosen: a table on the console, all else on `stream`.

    With `next_due` the table has a column of what is due next for each agreement."""
    if chosen in (Format.TABLE, Format.TEXT):
        found = list(hits)
        table = agreements_table(found, today, next_due)
        console().print(table if found else "No agreements match.")
    elif chosen in RECORD_WRITERS:
        RECORD_WRITERS[chosen]((exchanged_from_stored(n, r, today) for n, r in hits), stream)
    else:
        rows = (list_row(number, record, today) for number, record in hits)
        write_rows(rows, LIST_VIEW_COLUMNS, stream, tsv=chosen is Format.TSV)


def write_rows(
    rows: Iterable[Sequence[str]], header: Sequence[str], stream: IO[bytes], *, tsv: bool
) -> None:
    """Rows for reading, not exchange: control bytes are shown escaped, as on a terminal.

    CSV (RFC 4180) or TSV with tabs, newlines and backslashes escaped as \\t, \\n, \\\\.
    Either way a cell that a spreadsheet would run as a formula gets a leading "'"."""
    if tsv:
        stream.write(("\t".join(header) + "\n").encode())
        for row in rows:
            stream.write(("\t".join(_tsv_cell(cell) for cell in row) + "\n").encode())
        return
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(_shown_cells(row) for row in rows)
        text.flush()
    finally:
        text.detach()


def _shown_cells(row: Sequence[str]) -> list[str]:
    if "".join(row).isprintable():  # one look at the row instead of one at every cell
        return escape_cells(row)
    return escape_cells([printable(cell) for cell in row])


def _tsv_cell(cell: str) -> str:
    escaped = escape_cell(cell).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return printable(escaped.replace("\r", "\\r"))


def agreements_table(hits: Sequence[Hit], today: date, next_due: Watch | None = None) -> Table:
    from rich.table import Table

    from agreements.domain.due import next_due as soonest
    from agreements.render.due import next_cell

    table = Table(show_lines=False, header_style="bold", expand=False)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Title", ratio=3)
    if next_due is not None:  # what is due next, in place of the type, dates and sectors
        table.add_column("Status", no_wrap=True)
        table.add_column("Next", ratio=2, min_width=12)
        for number, record in hits:
            upcoming = soonest(record, today, next_due)
            table.add_row(
                str(number),
                plain(record["title"]),
                record_status(record, today),
                next_cell(upcoming, today),
            )
        return table
    table.add_column("Type", no_wrap=True)
    table.add_column("Signed", no_wrap=True)
    table.add_column("Countries")
    table.add_column("Sectors", ratio=2)
    table.add_column("Status", no_wrap=True)
    for number, record in hits:
        table.add_row(
            str(number),
            plain(record["title"]),
            record["type"],
            record["signed_on"] or "—",
            ", ".join(record_countries(record)),
            sectors_text(record),
            record_status(record, today),
        )
    return table
