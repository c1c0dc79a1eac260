"""CSV files in both directions: the register's own export, and any CSV being imported.

Every cell that a spreadsheet would run as a formula is escaped on the way out (see
`spreadsheet`); the file is UTF-8 with a byte-order mark unless asked otherwise, with
RFC 4180 quoting and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from agreements.domain.records import record_status
from agreements.domain.schema import CSV_COLUMNS
from agreements.domain.text import only_paragraph_text
from agreements.errors import InvalidInput
from agreements.exchange.csv_columns import (
    FORMAT_VERSION,
    csv_row,
    header_row,
    marked_version,
)
from agreements.exchange.items import Item
from agreements.exchange.spreadsheet import BOM, detect_delimiter, escape_cells

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader


def write_csv(
    hits: Iterable[tuple[int, Mapping[str, Any]]],
    today: date,
    stream: IO[bytes],
    *,
    delimiter: str = ",",
    bom: bool = True,
    header: bool = True,
) -> int:
    """(id, stored record) pairs as our CSV on a binary stream; how many rows were written.
    Without `header`, only the rows: the rest of a file another writer began."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
    try:
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        if header:
            if bom:
                text.write(BOM)
            writer.writerow(header_row())
        count = 0
        for number, record in hits:
            writer.writerow(escape_cells(csv_row(number, record, record_status(record, today))))
            count += 1
        text.flush()
    finally:
        text.detach()  # the stream stays open for its owner
    return count


@dataclass
class CsvTable:
    """A CSV file read into its header and rows, with the delimiter it uses."""

    header: list[str]
    delimiter: str
    text: str

    def rows(self) -> Iterator[tuple[int, int, list[str]]]:
        """(row number, line number, cells) of every row after the header; NFC text."""
        reader = _reader(self.text, self.delimiter)
        # No delimiter, quote or line end ever combines with its neighbours, so every
        # cell is NFC when the whole text is: one check instead of one per row.
        all_nfc = unicodedata.is_normalized("NFC", self.text)
        line = 1
        try:
            next(reader, None)
            line = reader.line_num + 1
            for number, cells in enumerate(reader, start=1):
                if cells:
                    if not (all_nfc or unicodedata.is_normalized("NFC", "\n".join(cells))):
                        cells = [nfc(cell) for cell in cells]
                    yield number, line, cells
                line = reader.line_num + 1
        except csv.Error as error:
            raise InvalidInput(
                f"line {line}: the CSV cannot be read: {error}",
                hint="a quote that is never closed, or a cell of more than 16 MB?",
            ) from None

    def is_own(self) -> bool:
        """Whether this is the CSV 'agreements export' writes, of this or an earlier version."""
        return is_own_header(self.header)


def is_own_header(header: list[str], where: str = "line 1") -> bool:
    """Whether a header row is the one 'agreements export' writes, of this or an earlier
    version; `where` names the header row in the error about a newer version."""
    if not header:
        return False
    first, rest = header[0], header[1:]
    version = marked_version(first)
    if version is not None:
        if version > FORMAT_VERSION:
            raise InvalidInput(
                f"{where}: the file is of a newer agreements (format v{version})",
                hint="upgrade agreements to import it",
            )
        return True
    return all(column in CSV_COLUMNS for column in header) and "party_names" in rest


def read_table(text: str, delimiter: str | None = None) -> CsvTable:
    text = text.removeprefix(BOM)
    first_line = text.split("\n", 1)[0]
    chosen = delimiter or detect_delimiter(first_line)
    try:
        header: list[str] = next(_reader(text, chosen), [])
    except csv.Error as error:
        raise InvalidInput(f"line 1: the CSV cannot be read: {error}") from None
    return CsvTable([nfc(cell).strip() for cell in header], chosen, text)


_LARGEST_CELL = 1 << 24


def _reader(text: str, delimiter: str) -> _CsvReader:
    csv.field_size_limit(max(csv.field_size_limit(), _LARGEST_CELL))
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)


def nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def csv_items(table: CsvTable) -> Iterator[Item]:
    """The rows of a CSV with their cells as they are, for a reader of its columns."""
    plain = only_paragraph_text(table.text)
    for number, line, cells in table.rows():
        yield Item(f"row {number} (line {line})", number, line, cells=cells, plain_text=plain)
