"""The registry of file formats agreements exchanges: which one a file is, and which
reader and writer each format has, for imports and exports alike.

`list --format json` loads this module too, so the modules of workbooks load only in
the functions that read or write one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from agreements.domain.dates import DateOrder
from agreements.domain.parsing import Parenthesis
from agreements.domain.records import exchanged_from_stored
from agreements.errors import InvalidInput
from agreements.exchange.csv_files import csv_items, read_table, write_csv
from agreements.exchange.foreign_json import json_table
from agreements.exchange.items import Item
from agreements.exchange.json_files import (
    json_items,
    jsonl_items,
    write_json_lines,
    write_json_list,
)
from agreements.exchange.mapping import ColumnMap, build_column_map, country_aliases
from agreements.exchange.own_json import own_json_list
from agreements.exchange.own_rows import OwnRowReader
from agreements.exchange.spreadsheet import decode
from agreements.exchange.spreadsheet import delimiter as named_delimiter
from agreements.formats import ZIP_MAGIC, Format, format_named_by

if TYPE_CHECKING:
    from agreements.exchange.activity_rows import ActivityRow

RecordWriter = Callable[[Iterable[dict[str, Any]], IO[bytes]], int]
RECORD_WRITERS: dict[Format, RecordWriter] = {
    Format.JSON: write_json_list,
    Format.JSONL: write_json_lines,
}
"""Writers of exchanged records, one per JSON format: exports and `list` share them."""
FILE_FORMATS = (Format.CSV, Format.JSON, Format.JSONL, Format.XLSX)


def write_export(
    file_format: Format,
    hits: Iterable[tuple[int, Mapping[str, Any]]],
    today: date,
    stream: IO[bytes],
    *,
    delimiter: str = ",",
    bom: bool = True,
) -> int:
    """(id, stored record) pairs as a file of `file_format`; how many were written. A
    workbook needs a stream that can seek: a file."""
    if file_format is Format.CSV:
        return write_csv(hits, today, stream, delimiter=delimiter, bom=bom)
    if file_format is Format.XLSX:
        from agreements.exchange.workbooks import write_workbook

        return write_workbook(hits, today, stream)
    records = (exchanged_from_stored(number, record, today) for number, record in hits)
    return RECORD_WRITERS[file_format](records, stream)


@dataclass
class ReadingOptions:
    """How to read a file to import: its format, encoding and delimiter, and for another
    tool's CSV which column holds which field."""

    file_format: Format | None = None
    delimiter: str | None = None
    encoding: str | None = None
    date_order: DateOrder | None = None
    maps: list[str] = field(default_factory=list)
    constants: list[str] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    strict_countries: bool = False
    parenthesis: Parenthesis = Parenthesis.KEEP
    sheet: str | None = None
    """The sheet of a workbook to read; None reads the first."""

    def reads_another_tool(self) -> bool:
        return bool(
            self.maps or self.constants or self.translations or self.aliases
            or self.strict_countries or self.parenthesis is not Parenthesis.KEEP
        )  # fmt: skip


@dataclass
class FileToImport:
    items: Iterable[Item]
    columns: ColumnMap | OwnRowReader | None
    """How to read the cells of CSV rows; None when the items are JSON records."""
    lines: int
    """About how many rows the file has, for a progress bar."""


def file_to_import(source: str, data: bytes, options: ReadingOptions) -> FileToImport:
    """The items of a file to import and how to read them; nothing is judged yet."""
    if reads_workbook(source, data, options.file_format):
        return _workbook_to_import(source, data, options)
    if options.sheet is not None:
        raise InvalidInput("--sheet names a sheet of an Excel workbook (.xlsx)")
    if data.startswith(ZIP_MAGIC):
        raise InvalidInput(
            f"{source} is a zip archive, not text",
            hint="an Excel workbook? import it with --format xlsx",
        )
    if _may_be_own_json(source, options):
        # Every record of it is UTF-8 and the rest is ASCII: the file needs no decoding.
        own = own_json_list(data)
        if own is not None:
            return FileToImport(own, None, 0)
    text = decode(data, source, options.encoding)
    chosen = options.file_format or guess_format(source, text)
    if chosen is not Format.CSV:
        read = json_items if chosen is Format.JSON else jsonl_items
        records = read(text)
        if not options.maps:
            if options.reads_another_tool():
                raise InvalidInput(
                    "--set, --translate, --parenthesis and country options need --map"
                )
            return FileToImport(records, None, 0)
        if any(item.stored for item in records):
            raise InvalidInput(
                "--map reads other tools' JSON, and this is a register file of agreements",
                hint="import it without --map",
            )
        header, rows = json_table(records)
        column_map = _column_map(header, options, "the file", lambda: False)
        assert column_map is not None  # --map is given
        column_map.of_objects = True
        return FileToImport(rows, column_map, len(rows))
    delimiter = None if options.delimiter is None else named_delimiter(options.delimiter)
    table = read_table(text, delimiter)
    if not table.header:
        return FileToImport([], None, 0)
    lines = text.count("\n")
    column_map = _column_map(table.header, options, "line 1", table.is_own)
    if column_map is not None:
        return FileToImport(csv_items(table), column_map, lines)
    return FileToImport(csv_items(table), OwnRowReader(table.header), lines)


def _may_be_own_json(source: str, options: ReadingOptions) -> bool:
    """Whether a file read as our own JSON list would be read as JSON, without --map: it
    is named so, or else its content (`own_json` sees that it begins with "[") says so."""
    if options.encoding is not None or options.reads_another_tool():
        return False
    named = format_named_by(source)
    chosen = options.file_format or (named if named in FILE_FORMATS else None)
    return chosen in (None, Format.JSON)


def _column_map(
    header: list[str], options: ReadingOptions, where: str, is_own: Callable[[], bool]
) -> ColumnMap | None:
    """The map of another tool's columns, or None for the columns of our own export;
    refuses a header that is neither."""
    if options.maps:
        column_map = build_column_map(header, options.maps, options.constants, options.translations)
        column_map.country_aliases = dict(country_aliases(options.aliases))
        column_map.strict_countries = options.strict_countries
        column_map.date_order = options.date_order
        column_map.parenthesis = options.parenthesis
        return column_map
    if options.reads_another_tool():
        raise InvalidInput("--set, --translate, --parenthesis and country options need --map")
    if not is_own():
        shown = ", ".join(repr(column) for column in header[:6])
        raise InvalidInput(
            f"{where}: the columns ({shown}…) are not those 'agreements export' writes",
            hint="map them onto fields with --map FIELD=COLUMN, e.g. --map party1.name=City",
        )
    return None


def reads_workbook(source: str, data: bytes, given: Format | None) -> bool:
    """Whether to read a file as a workbook: the format given says so, or else its name,
    or else its content (a zip archive is no text)."""
    if given is not None:
        return given is Format.XLSX
    named = format_named_by(source)
    return named is Format.XLSX or (named is None and data.startswith(ZIP_MAGIC))


def refuse_text_options(options: ReadingOptions) -> None:
    given = [
        name
        for name, value in (("--delimiter", options.delimiter), ("--encoding", options.encoding))
        if value is not None
    ]
    if given:
        verb = "is" if len(given) == 1 else "are"
        raise InvalidInput(
            f"{' and '.join(given)} {verb} for CSV files, not workbooks",
            hint="a workbook's cells are text already: leave it out",
        )


def _workbook_to_import(source: str, data: bytes, options: ReadingOptions) -> FileToImport:
    """The rows of a workbook's sheet: the first, or the one --sheet names."""
    from agreements.exchange.workbooks import open_workbook, own_workbook_reader

    refuse_text_options(options)
    book = open_workbook(data, source)
    sheet = book.sheet(options.sheet)
    if not sheet.header:
        return FileToImport([], None, 0)
    column_map = _column_map(sheet.header, options, sheet.header_place(), sheet.is_own)
    if column_map is not None:
        return FileToImport(sheet.items(), column_map, len(sheet.body))
    ours = sheet.named_columns()
    reader = own_workbook_reader(book, ours)
    return FileToImport(ours.items(as_our_csv=True), reader, len(ours.body))


def workbook_activities(source: str, data: bytes, options: ReadingOptions) -> list[ActivityRow]:
    """The rows of a workbook's sheet of activities: the one --sheet names, else the sheet
    "Activities" that our export writes, else the first."""
    from agreements.exchange.activity_rows import activity_rows, refuse_unless_activity_header
    from agreements.exchange.spreadsheet import escape_cells
    from agreements.exchange.workbooks import ACTIVITIES_SHEET, open_workbook

    refuse_text_options(options)
    book = open_workbook(data, source)
    name = options.sheet
    if name is None and book.has_sheet(ACTIVITIES_SHEET):
        name = ACTIVITIES_SHEET
    sheet = book.sheet(name).named_columns()
    if not sheet.header:
        return []
    refuse_unless_activity_header(
        sheet.header, f"{sheet.header_place()}: this is not a sheet of activities"
    )
    rows = (
        (sheet.where(number, line), escape_cells(cells)) for number, line, cells in sheet.rows()
    )
    return activity_rows(sheet.header, rows)


def guess_format(source: str, text: str) -> Format:
    """The format a file's name says, or else its content."""
    named = format_named_by(source)
    if named in FILE_FORMATS:
        return named
    start = text.lstrip()[:1]
    if start == "[":
        return Format.JSON
    if start == "{":
        first_line = text.lstrip().split("\n", 1)[0].rstrip()
        looks_like_lines = first_line.endswith("}") and "\n" in text.strip()
        return Format.JSONL if looks_like_lines else Format.JSON
    return Format.CSV
