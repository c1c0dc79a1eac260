"""Excel workbooks (.xlsx) in both directions.

A sheet is read into what a CSV file is read into, a header and rows of text cells, so
that one reader of rows serves both: our own export's columns go to the own-row reader,
another program's columns to `--map`. Cells stored as dates read as ISO dates, whole
numbers without a decimal point, booleans as true and false.

`export` writes the sheet "Agreements" with exactly the columns of our CSV, and the
sheet "Activities" with those of `export --activities`. Every text is written as a
string, so no cell is ever run as a formula, and full dates as real dates. python-calamine
reads and xlsxwriter writes; each is loaded only by the function that needs it.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import IO, TYPE_CHECKING, Any

from agreements.domain.model import Activity, Agreement, validate
from agreements.domain.records import record_status, stored_activities
from agreements.domain.schema import ACTIVITY, FIELDS, Kind
from agreements.domain.text import fold, only_paragraph_text, unsafe_character
from agreements.errors import InvalidInput
from agreements.exchange.activity_rows import (
    ACTIVITY_CSV_COLUMNS,
    activity_cells,
    refuse_unless_activity_header,
)
from agreements.exchange.csv_columns import csv_row, header_row, plain_column
from agreements.exchange.csv_files import is_own_header, nfc
from agreements.exchange.items import Item
from agreements.exchange.own_rows import OwnRowReader, item_reader
from agreements.exchange.spreadsheet import escape_cells
from agreements.formats import ZIP_MAGIC

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

AGREEMENTS_SHEET = "Agreements"
ACTIVITIES_SHEET = "Activities"
"""How every .xlsx file begins: it is a zip archive."""

_LONGEST_TEXT = 32_767
"""The most characters an Excel cell holds."""
_MOST_ROWS = 1_048_576
_WIDEST_COLUMN = 50
_FIRST_REAL_DATE = date(1900, 3, 1)
"""Excel counts a 29 February 1900 that never was, and nothing before 1900: earlier
dates are written as text."""

Cell = int | float | str | bool | time | date | datetime | timedelta


# Reading ----------------------------------------------------------------------------


@dataclass
class Sheet:
    """One sheet of a workbook, read into its header and rows of text cells."""

    name: str
    header: list[str]
    header_row: int
    """The sheet's number of the header row, from 1: the first row that holds anything."""
    body: list[tuple[int, list[str]]]
    """(the sheet's row number, its cells) of every row below the header that holds
    anything; every row has a cell for each header cell."""

    def rows(self) -> Iterator[tuple[int, int, list[str]]]:
        """(row number, sheet row number, cells) of every row after the header, as a
        CsvTable gives (row number, line number, cells)."""
        for line, cells in self.body:
            yield line - self.header_row, line, cells

    def where(self, number: int, line: int) -> str:
        return f"row {number} (sheet row {line})"

    def header_place(self) -> str:
        return f"sheet {self.name!r}, row {self.header_row}"

    def is_own(self) -> bool:
        """Whether its columns are those 'agreements export' writes."""
        return is_own_header(self.named_columns().header, self.header_place())

    def named_columns(self) -> Sheet:
        """The sheet without its columns that have no header (they hold nothing either)."""
        kept = [index for index, column in enumerate(self.header) if column]
        if len(kept) == len(self.header):
            return self
        body = [(line, [cells[index] for index in kept]) for line, cells in self.body]
        return replace(self, header=[self.header[index] for index in kept], body=body)

    def only_paragraph_text(self) -> bool:
        """Whether no cell holds a character that only notes may hold, or none at all."""
        return all(only_paragraph_text("".join(cells)) for _, cells in self.body)

    def items(self, *, as_our_csv: bool = False) -> Iterator[Item]:
        """Its rows as items to import. `as_our_csv` escapes the cells as our CSV does,
        for the readers of our own files, which take exactly one "'" off again."""
        plain = self.only_paragraph_text()
        for number, line, cells in self.rows():
            given = escape_cells(cells) if as_our_csv else cells
            yield Item(self.where(number, line), number, line, cells=given, plain_text=plain)


class Workbook:
    """A workbook opened to be read, and the names of its sheets."""

    def __init__(self, source: str, book: CalamineWorkbook) -> None:
        self.source = source
        self._book = book
        self.names: list[str] = list(book.sheet_names)

    def sheet(self, name: str | None = None) -> Sheet:
        """The sheet of this name (case does not matter when only one has it), or the
        first sheet."""
        chosen = self.sheet_name(name)
        from python_calamine import CalamineError

        try:
            raw = self._book.get_sheet_by_name(chosen)
            grid = raw.to_python(skip_empty_area=False)
            merged = raw.merged_cell_ranges or []
        except CalamineError as error:
            raise InvalidInput(f"{self.source}: sheet {chosen!r} cannot be read: {error}") from None
        return _sheet(chosen, grid, merged)

    def sheet_name(self, name: str | None) -> str:
        if not self.names:
            raise InvalidInput(f"{self.source} has no sheets")
        if name is None:
            return self.names[0]
        if name in self.names:
            return name
        alike = [known for known in self.names if known.casefold() == name.casefold()]
        if len(alike) == 1:
            return alike[0]
        listed = ", ".join(repr(known) for known in self.names)
        raise InvalidInput(f"{self.source} has no sheet {name!r}; its sheets: {listed}")

    def has_sheet(self, name: str) -> bool:
        return name in self.names


def open_workbook(data: bytes, source: str) -> Workbook:
    """The workbook these bytes hold; refuses, in one line, bytes that are none."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise InvalidInput(
            f"{source} is protected by a password", hint="save a copy without one in Excel"
        ) from None
    except CalamineError as error:
        hint = None
        if data.startswith(ZIP_MAGIC):
            hint = "a zip archive that holds no workbook, or one cut short"
        elif _reads_as_text(data):
            hint = "it holds text: if it is CSV, import it with --format csv"
        raise InvalidInput(
            f"{source} is not an Excel workbook (.xlsx): {_reason(error)}", hint=hint
        ) from None
    return Workbook(source, book)


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text[:1].lower() + text[1:]


def _reads_as_text(data: bytes) -> bool:
    try:
        data[:4096].decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


Ranges = list[tuple[tuple[int, int], tuple[int, int]]]


def _sheet(name: str, grid: list[list[Cell]], merged: Ranges) -> Sheet:
    """A sheet's cells as text, its header found and checked: a column whose header cell
    is empty or merged into its neighbour's must hold nothing at all."""
    width = max((len(row) for row in grid), default=0)
    rows = [_texts(row) + [""] * (width - len(row)) for row in grid]
    start = next((index for index, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if start is None:
        return Sheet(name, [], 0, [])
    header = [cell.strip() for cell in rows[start]]
    body_rows = rows[start + 1 :]
    for column, text in enumerate(header):
        if text:
            continue
        filled = next((index for index, row in enumerate(body_rows) if row[column].strip()), None)
        if filled is None:
            continue
        row_number = start + 2 + filled
        cell = _cell_name(start, column)
        letter = _column_letter(column)
        over = _merged_into(merged, start, column)
        if over is not None:
            first = _cell_name(*over)
            title = rows[over[0]][over[1]].strip()
            named = f" ({title!r})" if title else ""
            message = (
                f"sheet {name!r}: the header cell {cell} is merged with {first}{named}, "
                f"but column {letter} holds data of its own (from row {row_number})"
            )
            hint = "unmerge the header cells and give each column a name"
        else:
            message = (
                f"sheet {name!r}: the header cell {cell} (column {column + 1}) is empty, "
                f"but column {letter} holds data (from row {row_number})"
            )
            hint = f"name the column in row {start + 1}, or delete it"
        raise InvalidInput(message, hint=hint)
    while header and not header[-1]:  # trailing columns with nothing in them
        header.pop()
    columns = len(header)
    body = [
        (start + 2 + index, row[:columns])
        for index, row in enumerate(body_rows)
        if any(row[:columns])
    ]
    return Sheet(name, header, start + 1, body)


def _merged_into(merged: Ranges, row: int, column: int) -> tuple[int, int] | None:
    """The first cell of the merged range that covers this cell and starts before it."""
    for (first_row, first_column), (last_row, last_column) in merged:
        covered = first_row <= row <= last_row and first_column <= column <= last_column
        if covered and (first_row, first_column) != (row, column):
            return first_row, first_column
    return None


def _column_letter(column: int) -> str:
    """The letters Excel names a column (from 0) by: A, …, Z, AA, …"""
    letters = ""
    number = column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_name(row: int, column: int) -> str:
    return f"{_column_letter(column)}{row + 1}"


def _texts(row: Sequence[Cell]) -> list[str]:
    cells = [value if type(value) is str else _text(value) for value in row]
    if not unicodedata.is_normalized("NFC", "".join(cells)):
        cells = [nfc(cell) for cell in cells]
    return cells


def _text(value: Cell) -> str:
    """A cell's value as the text a CSV of it would hold."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")  # the digits Excel shows, without float noise
    if isinstance(value, datetime):  # before date: every datetime is a date
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta) and value == timedelta(days=value.days):
        return f"{value.days} days"
    return str(value)


# Our own workbook's activities -------------------------------------------------------

_ACTIVITY_PARTS = tuple(part.column for part in ACTIVITY.parts)
_ACTIVITY_TEXTS = tuple(part.key for part in ACTIVITY.parts if part.kind is Kind.TEXT)


@dataclass(frozen=True)
class _ActivityRow:
    where: str
    title: str | None
    """The agreement's title as the sheet gives it, to check the id against."""
    texts: tuple[str, ...]
    """The texts of the activity's parts, in the declared order."""


class OwnWorkbookReader(OwnRowReader):
    """Reads the rows of our own workbook's sheet of agreements, and gives each agreement
    the activities that the sheet of activities holds for its id."""

    def __init__(self, header: Sequence[str], activities: Mapping[int, list[_ActivityRow]]):
        super().__init__(header)
        self._activities = activities
        self._read_activity = item_reader(ACTIVITY)

    def read(self, cells: list[str]) -> Agreement:
        agreement = super().read(cells)
        rows = self._activities.get(agreement.id) if agreement.id is not None else None
        if not rows:
            return agreement
        activities: list[Activity] = []
        for row in rows:
            if row.title is not None and fold(row.title) != fold(agreement.title):
                raise InvalidInput(
                    f"{row.where}: its agreement is {row.title!r}, but agreement "
                    f"{agreement.id} is {agreement.title!r}",
                    hint="correct the agreement_id of the activity",
                )
            try:
                activity = self._read_activity(row.texts, None)
            except InvalidInput as error:
                raise InvalidInput(f"{row.where}: {error.message}", error.hint) from None
            for column in _ACTIVITY_TEXTS:
                text = getattr(activity, column)
                found = None if text is None else unsafe_character(text)
                if found is not None:
                    raise InvalidInput(
                        f"{row.where}: column {column!r}: {found}: control and "
                        "direction-changing characters are not allowed"
                    )
            activities.append(activity)
        with_them = replace(agreement, activities=tuple(activities))
        validate(with_them)
        return with_them


def own_workbook_reader(book: Workbook, agreements: Sheet) -> OwnWorkbookReader:
    """The reader of our own workbook's agreements, with the activities of its sheet
    "Activities", if it has one."""
    activities: dict[int, list[_ActivityRow]] = {}
    if book.has_sheet(ACTIVITIES_SHEET) and agreements.name != ACTIVITIES_SHEET:
        sheet = book.sheet(ACTIVITIES_SHEET).named_columns()
        activities = _activities_by_id(sheet, _ids_of(agreements))
    return OwnWorkbookReader(agreements.header, activities)


def _ids_of(agreements: Sheet) -> set[int]:
    columns = [plain_column(column) for column in agreements.header]
    if "id" not in columns:
        return set()
    at = columns.index("id")
    return {int(cells[at]) for _, cells in agreements.body if cells[at].isdecimal()}


def _activities_by_id(sheet: Sheet, ids: set[int]) -> dict[int, list[_ActivityRow]]:
    """The activities of a sheet of them, by the id of their agreement; a row that names
    no agreement of the workbook refuses the whole file, since it belongs to none."""
    if not sheet.header:
        return {}
    refuse_unless_activity_header(
        sheet.header,
        f"{sheet.header_place()}: these are not the columns of activities 'export' writes",
    )
    at = {column: sheet.header.index(column) for column in sheet.header}
    by_id: dict[int, list[_ActivityRow]] = {}
    for number, line, cells in sheet.rows():
        where = f"sheet {sheet.name!r}, {sheet.where(number, line)}"
        identifier = cells[at["agreement_id"]].strip()
        if not (identifier.isascii() and identifier.isdigit()):
            raise InvalidInput(f"{where}: agreement_id {identifier!r} is not an id")
        if int(identifier) not in ids:
            raise InvalidInput(
                f"{where}: agreement {identifier} is not on the sheet of agreements",
                hint="correct its agreement_id, or delete the row",
            )
        title = cells[at["agreement"]] if "agreement" in at else None
        texts = tuple(cells[at[column]] if column in at else "" for column in _ACTIVITY_PARTS)
        by_id.setdefault(int(identifier), []).append(_ActivityRow(where, title, texts))
    return by_id


# Writing ----------------------------------------------------------------------------

_DATE_COLUMNS = frozenset(
    field.name for field in FIELDS if field.kind is Kind.DATE and field.item is None
)
_NUMBER_COLUMNS = frozenset(field.name for field in FIELDS if field.kind is Kind.ID)
_ACTIVITY_DATE_COLUMNS = frozenset(part.column for part in ACTIVITY.parts if part.kind is Kind.DATE)


def write_workbook(
    hits: Iterable[tuple[int, Mapping[str, Any]]], today: date, stream: IO[bytes]
) -> int:
    """(id, stored record) pairs as our workbook on a seekable binary stream; how many
    agreements were written."""
    import tempfile

    import xlsxwriter

    # Rows go to temp files as they are written (constant memory), in a folder of our
    # own that goes with everything in it, even when a too long text stops the export.
    with tempfile.TemporaryDirectory(prefix="agreements-xlsx-") as folder:
        book = xlsxwriter.Workbook(
            stream,
            {
                "constant_memory": True, "tmpdir": folder, "strings_to_numbers": False,
                "strings_to_formulas": False, "strings_to_urls": False,
            },
        )  # fmt: skip
        header = header_row()
        plain = [plain_column(column) for column in header]
        agreements = _SheetWriter(
            book, AGREEMENTS_SHEET, header,
            dates={i for i, column in enumerate(plain) if column in _DATE_COLUMNS},
            numbers={i for i, column in enumerate(plain) if column in _NUMBER_COLUMNS},
        )  # fmt: skip
        activities = _SheetWriter(
            book, ACTIVITIES_SHEET, list(ACTIVITY_CSV_COLUMNS),
            dates={
                i for i, column in enumerate(ACTIVITY_CSV_COLUMNS)
                if column in _ACTIVITY_DATE_COLUMNS
            },
            numbers={ACTIVITY_CSV_COLUMNS.index("agreement_id")},
        )  # fmt: skip
        try:
            for number, record in hits:
                agreements.write(number, csv_row(number, record, record_status(record, today)))
                for activity in stored_activities(record) if record["activities"] else ():
                    activities.write(number, activity_cells(number, record["title"], activity))
        except BaseException:
            _close_row_files(book)
            raise
        agreements.finish()
        activities.finish()
        book.close()
    return agreements.rows


def _close_row_files(book: Any) -> None:
    """Close the temp files of rows of a workbook that will not be closed: only closing
    it would, and that writes the whole workbook."""
    for sheet in book.worksheets():
        handle = getattr(sheet, "row_data_fh", None)
        if handle is not None:
            handle.close()


class _SheetWriter:
    """One sheet being written row by row: texts as strings, dates as dates."""

    def __init__(
        self, book: Any, name: str, header: list[str], *, dates: set[int], numbers: set[int]
    ) -> None:
        self.sheet = book.add_worksheet(name)
        self.name = name
        self.header = header
        self.dates, self.numbers = dates, numbers
        self.date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        bold = book.add_format({"bold": True})
        for column, text in enumerate(header):
            self.sheet.write_string(0, column, text, bold)
        self.widths = [_width(text) for text in header]
        for column in dates:
            self.widths[column] = max(self.widths[column], 10)
        self.sheet.freeze_panes(1, 0)
        self.rows = 0

    def write(self, agreement_id: int, cells: list[str]) -> None:
        self.rows += 1
        if self.rows >= _MOST_ROWS:
            raise InvalidInput(
                f"the sheet {self.name!r} would need more rows than Excel's {_MOST_ROWS:,}",
                hint="export fewer agreements with the filters, or export CSV",
            )
        row, sheet, widths = self.rows, self.sheet, self.widths
        for column, cell in enumerate(cells):
            if not cell:
                continue
            if column in self.numbers:
                sheet.write_number(row, column, int(cell))
                widths[column] = max(widths[column], len(cell))
                continue
            if column in self.dates and len(cell) == 10:
                day = date.fromisoformat(cell)
                if day >= _FIRST_REAL_DATE:
                    sheet.write_datetime(row, column, day, self.date_format)
                    continue
            if len(cell) > _LONGEST_TEXT:
                raise InvalidInput(
                    f"agreement {agreement_id}: the column {self.header[column]!r} of sheet "
                    f"{self.name!r} holds {len(cell):,} characters, more than an Excel "
                    f"cell's {_LONGEST_TEXT:,}",
                    hint="export CSV or JSON, which hold any length",
                )
            sheet.write_string(row, column, cell)
            if widths[column] < _WIDEST_COLUMN and 2 * len(cell) > widths[column]:
                widths[column] = max(widths[column], _width(cell))

    def finish(self) -> None:
        self.sheet.autofilter(0, 0, self.rows, len(self.header) - 1)
        for column, width in enumerate(self.widths):
            self.sheet.set_column(column, column, min(width, _WIDEST_COLUMN) + 2)


def _width(text: str) -> int:
    """About how many characters wide a text is shown: its longest line, with the wide
    letters of East Asian scripts counted twice."""
    line = max(text.split("\n"), key=len) if "\n" in text else text
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
