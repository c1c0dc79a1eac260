"""`list`: agreements as a table for people, or as rows of CSV or TSV for reading.

Every row comes from a stored record (id, record); no agreement is built to show it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from agreements.domain.queries import record_countries
from agreements.domain.records import exchanged_from_stored, record_status, stored_date
from agreements.domain.schema import LIST_VIEW_COLUMNS
from agreements.domain.text import printable
from agreements.exchange.spreadsheet import escape_cell, escape_cells
from agreements.formats import Format
from agreements.render.console import people_table, plain, planned_widths
from agreements.render.output import write_json

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

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
        out = console()
        out.print(
            agreements_table(found, today, out.width, next_due) if found else "No agreements match."
        )
    elif chosen in (Format.JSON, Format.JSONL):
        from agreements.exchange.registry import RECORD_WRITERS

        RECORD_WRITERS[chosen]((exchanged_from_stored(n, r, today) for n, r in hits), stream)
    else:
        write_list_rows(hits, today, stream, True, tsv=chosen is Format.TSV)


def write_list_rows(
    hits: Iterable[Hit], today: date, stream: IO[bytes], first: bool, *, tsv: bool
) -> int:
    """The CSV or TSV of `list`, or without its header when not `first`; how many rows."""
    count = 0

    def rows() -> Iterator[list[str]]:
        nonlocal count
        for number, record in hits:
            count += 1
            yield list_row(number, record, today)

    write_rows(rows(), LIST_VIEW_COLUMNS if first else None, stream, tsv=tsv)
    return count


def write_records(
    records: Sequence[Mapping[str, object]],
    columns: Sequence[str],
    chosen: Format,
    stream: IO[bytes],
) -> bool:
    """Records in JSON, or as rows of CSV or TSV under `columns`; False when `chosen` is
    the format for people, which the caller shows its own way."""
    if chosen is Format.JSON:
        write_json(list(records), stream)
    elif chosen in (Format.CSV, Format.TSV):
        rows = ([record_cell(record[column]) for column in columns] for record in records)
        write_rows(rows, columns, stream, tsv=chosen is Format.TSV)
    else:
        return False
    return True


def record_cell(value: object) -> str:
    """A record's value in a cell of CSV or TSV."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def write_rows(
    rows: Iterable[Sequence[str]],
    header: Sequence[str] | None,
    stream: IO[bytes],
    *,
    tsv: bool,
) -> None:
    """Rows for reading, not exchange: control bytes are shown escaped, as on a terminal.

    CSV (RFC 4180) or TSV with tabs, newlines and backslashes escaped as \\t, \\n, \\\\.
    Either way a cell that a spreadsheet would run as a formula gets a leading "'". With
    no `header`, only the rows: the rest of a table another writer began."""
    if tsv:
        if header is not None:
            stream.write(("\t".join(header) + "\n").encode())
        for row in rows:
            stream.write(("\t".join(_tsv_cell(cell) for cell in row) + "\n").encode())
        return
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text, lineterminator="\n")
        if header is not None:
            writer.writerow(header)
        writer.writerows(_shown_cells(row) for row in rows)
        text.flush()
    finally:
        text.detach()


def cell_encoder(*, tsv: bool) -> Mapping[str, bytes]:
    """Each cell as `write_rows` writes it, as bytes, for rows joined by hand with a comma
    or a tab: for rows made on more than one core. Each distinct text is encoded once."""
    if tsv:
        return _EncodedCells(lambda cell: _tsv_cell(cell).encode())
    written: list[str] = []
    writer = csv.writer(_Appender(written), lineterminator="\n")

    def encode(cell: str) -> bytes:
        writer.writerow([*_shown_cells([cell]), ""])  # alone, an empty cell is quoted
        line = "".join(written)
        written.clear()
        return line[: -len(",\n")].encode()

    return _EncodedCells(encode)


class _EncodedCells(dict[str, bytes]):
    """Cells already encoded, by their text; the others encoded when first asked for."""

    def __init__(self, encode: Callable[[str], bytes]) -> None:
        super().__init__()
        self._encode = encode

    def __missing__(self, cell: str) -> bytes:
        encoded = self[cell] = self._encode(cell)
        return encoded


def header_line(header: Sequence[str], *, tsv: bool) -> bytes:
    """The header `write_rows` writes above its rows."""
    if tsv:
        return ("\t".join(header) + "\n").encode()
    written: list[str] = []
    csv.writer(_Appender(written), lineterminator="\n").writerow(header)
    return "".join(written).encode()


class _Appender:
    """A file to the csv module that keeps what it is given."""

    def __init__(self, written: list[str]) -> None:
        self.write = written.append


def _shown_cells(row: Sequence[str]) -> list[str]:
    if "".join(row).isprintable():  # one look at the row instead of one at every cell
        return escape_cells(row)
    return escape_cells([printable(cell) for cell in row])


def _tsv_cell(cell: str) -> str:
    escaped = escape_cell(cell).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return printable(escaped.replace("\r", "\\r"))


_SHORT_TYPES: dict[str, str] = {"memorandum-of-understanding": "MoU", "letter-of-intent": "LoI"}

# The columns a table leaves out as the terminal narrows, first to go first: the title
# and the status stay whatever the width.
_DROPPED_AS_NARROWER: tuple[tuple[str, int], ...] = (
    ("Place", 120), ("Countries", 96), ("Sectors", 72), ("Type", 64), ("Signed", 52),
)  # fmt: skip


def short_type(name: str) -> str:
    """The type for a narrow column: the two long names as their abbreviations."""
    return _SHORT_TYPES.get(name, name)


def table_columns(width: int) -> list[str]:
    """The columns of the list table on a terminal `width` wide, in their order."""
    columns = ["ID", "Title", "Type", "Signed", "Countries", "Sectors", "Place", "Status"]
    dropped = {name for name, needs in _DROPPED_AS_NARROWER if width < needs}
    return [name for name in columns if name not in dropped]


def agreements_table(
    hits: Sequence[Hit], today: date, width: int, next_due: Watch | None = None
) -> Table:
    """The table for people: titles wrap and stay readable, less important columns go
    first when the terminal is narrow (place, then countries, then sectors)."""
    from agreements.domain.due import next_due as soonest
    from agreements.render.due import next_cell
    from agreements.render.status import status_text

    if next_due is not None:  # what is due next, in place of the type, dates and sectors
        names = ["ID", "Title", "Status", "Next"]
        rows: list[list[str | Text]] = [
            [
                str(number),
                plain(record["title"]),
                status_text(record_status(record, today)),
                next_cell(soonest(record, today, next_due), today),
            ]
            for number, record in hits
        ]
        flexible = {names.index(n): least for n, least in _WRAPPED.items() if n in names}
        widths = planned_widths([names, *rows], width, flexible)
    else:
        names = table_columns(width)
        full: list[dict[str, str | Text]] = [
            {
                "ID": str(number),
                "Title": plain(record["title"]),
                "Type": short_type(record["type"]),
                "Signed": _signed_cell(record["signed_on"]),
                "Countries": ", ".join(record_countries(record)),
                "Sectors": plain(sectors_text(record)),
                "Place": plain(record["place"]),
                "Status": status_text(record_status(record, today)),
            }
            for number, record in hits
        ]
        droppable = [name for name, _ in _DROPPED_AS_NARROWER if name in names]
        while True:  # and while the rest does not fit, the next column in that order goes
            rows = [[cells[name] for name in names] for cells in full]
            flexible = {names.index(n): least for n, least in _WRAPPED.items() if n in names}
            widths = planned_widths([names, *rows], width, flexible)
            if sum(widths) + 2 * (len(names) - 1) <= width or not droppable:
                break
            names.remove(droppable.pop(0))
    table = people_table()
    for column, name in enumerate(names):
        wraps = column in flexible
        table.add_column(
            name,
            width=widths[column],
            no_wrap=not wraps,
            overflow="fold" if wraps else "ellipsis",
            justify="right" if name == "ID" else "left",
        )
    for row in rows:
        table.add_row(*row)
    return table


# The columns that wrap, and the least width each keeps: the others are never squeezed.
_WRAPPED = {"Title": 20, "Countries": 9, "Sectors": 10, "Place": 10, "Next": 12}


def _signed_cell(signed_on: str | None) -> str:
    from agreements.render.relative import short_partial

    signed = stored_date(signed_on)
    return "—" if signed is None else short_partial(signed)
