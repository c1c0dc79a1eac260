"""The register's own exchange files: CSV, JSON and JSON Lines, written and read back.

CSV keeps one agreement per row. A list field holds its items joined by "; ", with
"\\" and ";" inside an item escaped by a backslash; the parts of parties, signatories,
contacts and sources sit in parallel columns (party_names, party_countries, …) so a
spreadsheet can filter on each. The first header cell carries the format's version, and
every cell that a spreadsheet would run as a formula is escaped (see `spreadsheets`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import orjson

from agreements.domain.model import Agreement, to_record
from agreements.domain.queries import record_status
from agreements.errors import InvalidInput
from agreements.exchange.spreadsheet import BOM, detect_delimiter, escape_cells

# (column, list field, key within each item). A key of None means the items are texts.
_LIST_COLUMNS: dict[str, tuple[str, str | None]] = {
    "party_names": ("parties", "name"),
    "party_countries": ("parties", "country"),
    "party_countries_as_given": ("parties", "country_as_given"),
    "party_levels": ("parties", "level"),
    "party_parents": ("parties", "parent"),
    "signatory_names": ("signatories", "name"),
    "signatory_titles": ("signatories", "title"),
    "signatory_parties": ("signatories", "party"),
    "sectors": ("sectors", None),
    "contact_names": ("contacts", "name"),
    "contact_roles": ("contacts", "role"),
    "contact_phones": ("contacts", "phone"),
    "contact_emails": ("contacts", "email"),
    "contact_parties": ("contacts", "party"),
    "source_urls": ("sources", "url"),
    "source_titles": ("sources", "title"),
    "source_published": ("sources", "published_on"),
    "tags": ("tags", None),
}
if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

FORMAT_VERSION = 1
_MARKED_ID = re.compile(r"id \(agreements v(\d+)\)")

CSV_COLUMNS: tuple[str, ...] = (
    "id", "title", "type", "status", "status_manual", "status_reason", "signed_on", "place",
    "party_names", "party_countries", "party_countries_as_given", "party_levels", "party_parents",
    "signatory_names", "signatory_titles", "signatory_parties",
    "sectors", "expires_on", "review_on",
    "contact_names", "contact_roles", "contact_phones", "contact_emails", "contact_parties",
    "source_urls", "source_titles", "source_published",
    "notes", "tags", "created_at", "updated_at",
)  # fmt: skip


def join_items(items: Iterable[str | None]) -> str:
    texts = [item or "" for item in items]
    joined = "; ".join(texts)
    if "\\" not in joined and joined.count(";") == len(texts) - 1:  # nothing to escape
        return joined
    return "; ".join(text.replace("\\", "\\\\").replace(";", "\\;") for text in texts)


def split_items(cell: str) -> list[str]:
    """The inverse of `join_items`: "a; b\\; c" gives ["a", "b; c"]."""
    if cell == "":
        return []
    if "\\" not in cell:
        items = cell.split("; ")
        if len(items) == cell.count(";") + 1:  # every ";" is followed by its space
            return items
        items = cell.split(";")
        return [items[0]] + [item.removeprefix(" ") for item in items[1:]]
    items, current, escaped = [], [], False
    for char in cell:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    # The separator is "; ": drop the one space that follows it, keep any others.
    return [items[0]] + [item.removeprefix(" ") for item in items[1:]]


def csv_row(record: dict[str, Any]) -> list[str]:
    """A record (as `to_record` gives it) as the cells of CSV_COLUMNS, in that order."""
    return [
        _cell(record["id"]), record["title"], record["type"], record["status"],
        "true" if record["status_manual"] else "false", _cell(record["status_reason"]),
        _cell(record["signed_on"]), _cell(record["place"]),
        *_list_cells(record["parties"], _PARTY_KEYS),
        *_list_cells(record["signatories"], ("name", "title", "party")),
        join_items(s["name"] + _CERTAINTY_MARKS[s["certainty"]] for s in record["sectors"]),
        _cell(record["expires_on"]), _cell(record["review_on"]),
        *_list_cells(record["contacts"], ("name", "role", "phone", "email", "party")),
        *_list_cells(record["sources"], ("url", "title", "published_on")),
        _cell(record["notes"]), join_items(record["tags"]),
        record["created_at"], record["updated_at"],
    ]  # fmt: skip


_PARTY_KEYS = ("name", "country", "country_as_given", "level", "parent")
_CERTAINTY_MARKS = {"agreed": "", "possible": "?"}


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _list_cells(items: list[dict[str, Any]], keys: tuple[str, ...]) -> list[str]:
    """One cell per key, each joining that key's value over the items."""
    if not items:
        return [""] * len(keys)
    # .get: records stored before a key was added to their items lack it
    return [join_items([item.get(key) for item in items]) for key in keys]


def header_row() -> list[str]:
    """CSV_COLUMNS, the first marked with the format version: "id (agreements v1)"."""
    return [f"id (agreements v{FORMAT_VERSION})", *CSV_COLUMNS[1:]]


def export_csv(
    agreements: Iterable[Agreement], today: date, *, delimiter: str = ",", bom: bool = True
) -> str:
    return _csv_text((to_record(agreement, today) for agreement in agreements), delimiter, bom)


def export_stored_csv(
    records: Iterable[tuple[int, dict[str, Any]]],
    today: date,
    *,
    delimiter: str = ",",
    bom: bool = True,
) -> tuple[str, int]:
    """`export_csv` of (id, record) as the register stores them, read one at a time
    without building agreements; and how many there were."""
    count = 0

    def exported() -> Iterator[dict[str, Any]]:
        nonlocal count
        for number, record in records:
            count += 1
            yield {**record, "id": number, "status": record_status(record, today)}

    text = _csv_text(exported(), delimiter, bom)
    return text, count


def _csv_text(records: Iterable[dict[str, Any]], delimiter: str, bom: bool) -> str:
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header_row())
    writer.writerows(escape_cells(csv_row(record)) for record in records)
    return buffer.getvalue()


def export_json(agreements: Iterable[Agreement], today: date) -> str:
    records = [to_record(agreement, today) for agreement in agreements]
    return orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n"


def export_jsonl(agreements: Iterable[Agreement], today: date) -> str:
    return "".join(orjson.dumps(to_record(a, today)).decode() + "\n" for a in agreements)


@dataclass(frozen=True)
class Item:
    """One record of an imported file, and where it is, for messages and the report."""

    where: str
    number: int
    line: int
    record: dict[str, Any] = field(default_factory=dict)
    cells: list[str] = field(default_factory=list)
    """The row as read, for CSV files."""


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
        if not self.header:
            return False
        first, rest = self.header[0], self.header[1:]
        marked = _MARKED_ID.fullmatch(first)
        if marked:
            if int(marked.group(1)) > FORMAT_VERSION:
                raise InvalidInput(
                    f"line 1: the file is of a newer agreements (format v{marked.group(1)})",
                    hint="upgrade agreements to import it",
                )
            return True
        return all(column in CSV_COLUMNS for column in self.header) and "party_names" in rest


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


def plain_column(column: str) -> str:
    """A header cell of our CSV without its version mark: "id (agreements v1)" is "id"."""
    return _MARKED_ID.sub("id", column)


def csv_items(table: CsvTable) -> Iterator[Item]:
    """The rows of a CSV with their cells as they are, for a reader of its columns."""
    for number, line, cells in table.rows():
        yield Item(f"row {number} (line {line})", number, line, cells=cells)


def csv_column_of(message: str) -> str:
    """A record error that starts with its field path, with the CSV column named instead."""

    def column(match: re.Match[str]) -> str:
        if match.group("top"):
            return f"column {match.group('top')!r}"
        field, index, key = match.group("field"), match.group("index"), match.group("key")
        for name, (list_field, list_key) in _LIST_COLUMNS.items():
            if list_field == field and list_key in (key, None):
                return f"column {name!r} (item {int(index) + 1})"
        return match.group()

    return _FIELD_PATH.sub(column, message, count=1)


_FIELD_PATH = re.compile(
    r"^(?:(?P<field>\w+)\[(?P<index>\d+)\], field '(?P<key>\w+)'|field '(?P<top>\w+)')"
)


def json_items(text: str) -> list[Item]:
    """Records from a list of agreement objects, or from a whole register file."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("agreements"), dict):
        items = []
        for number, (key, record) in enumerate(data["agreements"].items(), start=1):
            if not (isinstance(record, dict) and key.isdigit()):
                raise InvalidInput(f"agreement {key!r} is not a record with a numeric id")
            items.append(
                Item(f"agreement {key}", number, 0, nfc_record({**record, "id": int(key)}))
            )
        return items
    if not isinstance(data, list):
        raise InvalidInput(
            "expected a list of agreements", hint="as 'agreements export --format json' writes"
        )
    return [
        Item(f"item {number}", number, 0, nfc_record(record))
        for number, record in enumerate(data, start=1)
    ]


def jsonl_items(text: str) -> list[Item]:
    """Records from JSON Lines: one agreement object per line; blank lines are skipped."""
    items: list[Item] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raise InvalidInput(
                f"line {line_number}: not valid JSON: {error.msg} at column {error.colno}"
            ) from None
        where = f"line {line_number}"
        items.append(Item(where, len(items) + 1, line_number, nfc_record(record)))
    return items


def nfc_record(value: Any) -> Any:
    """Every text inside a JSON value in NFC."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {key: nfc_record(item) for key, item in value.items()}
    if isinstance(value, list):
        return [nfc_record(item) for item in value]
    return value
