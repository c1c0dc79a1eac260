"""Whole-record exchange files: the register's own CSV and JSON, written and read back.

CSV keeps one agreement per row. A list field holds its items joined by "; ", with
"\\" and ";" inside an item escaped by a backslash; the parts of parties, signatories,
contacts and sources sit in parallel columns (party_names, party_countries, …) so a
spreadsheet can filter on each.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import orjson

from agreements.countries import is_country_code
from agreements.errors import InvalidInput
from agreements.model import Agreement, from_record, to_record
from agreements.vocabulary import Vocabulary

# (column, list field, key within each item). A key of None means the items are texts.
_LIST_COLUMNS: dict[str, tuple[str, str | None]] = {
    "party_names": ("parties", "name"),
    "party_countries": ("parties", "country"),
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
# The key of each list that decides how many items it has.
_LIST_LEAD = {"parties": "name", "signatories": "name", "contacts": "name", "sources": "url"}

CSV_COLUMNS: tuple[str, ...] = (
    "id", "title", "type", "status", "status_manual", "status_reason", "signed_on", "place",
    "party_names", "party_countries", "party_levels", "party_parents",
    "signatory_names", "signatory_titles", "signatory_parties",
    "sectors", "expires_on", "review_on",
    "contact_names", "contact_roles", "contact_phones", "contact_emails", "contact_parties",
    "source_urls", "source_titles", "source_published",
    "notes", "tags", "created_at", "updated_at",
)  # fmt: skip


def join_items(items: Iterable[str | None]) -> str:
    return "; ".join((item or "").replace("\\", "\\\\").replace(";", "\\;") for item in items)


def split_items(cell: str) -> list[str]:
    """The inverse of `join_items`: "a; b\\; c" gives ["a", "b; c"]."""
    if cell == "":
        return []
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


def _sector_cell(record: dict[str, Any]) -> str:
    return join_items(
        s["name"] + ("?" if s["certainty"] == "possible" else "") for s in record["sectors"]
    )


def csv_row(record: dict[str, Any]) -> list[str]:
    row = []
    for column in CSV_COLUMNS:
        if column == "sectors":
            row.append(_sector_cell(record))
        elif column in _LIST_COLUMNS:
            field, key = _LIST_COLUMNS[column]
            items = record[field] if key is None else [item[key] for item in record[field]]
            row.append(join_items(items))
        elif column == "status_manual":
            row.append("true" if record[column] else "false")
        else:
            value = record[column]
            row.append("" if value is None else str(value))
    return row


def export_csv(agreements: Sequence[Agreement], today: date) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for agreement in agreements:
        writer.writerow(csv_row(to_record(agreement, today)))
    return buffer.getvalue()


def export_json(agreements: Sequence[Agreement], today: date) -> str:
    records = [to_record(agreement, today) for agreement in agreements]
    return orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n"


def _record_from_row(row: dict[str, str], where: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    lists: dict[str, dict[str, list[str]]] = {}
    for column, cell in row.items():
        if column == "sectors":
            record["sectors"] = [
                {"name": item.removesuffix("?"), "certainty": "possible"}
                if item.endswith("?")
                else {"name": item, "certainty": "agreed"}
                for item in split_items(cell)
            ]
        elif column in _LIST_COLUMNS:
            field, key = _LIST_COLUMNS[column]
            if key is None:
                record[field] = split_items(cell)
            else:
                lists.setdefault(field, {})[key] = split_items(cell)
        elif column == "status_manual":
            if cell not in ("true", "false", ""):
                raise InvalidInput(f"{where}, column 'status_manual': expected true or false")
            record[column] = cell == "true"
        elif column == "id":
            if cell and not cell.isdigit():
                raise InvalidInput(f"{where}, column 'id': {cell!r} is not a whole number")
            record[column] = int(cell) if cell else None
        else:
            record[column] = cell or None
    for field, columns in lists.items():
        record[field] = _zip_items(field, columns, where)
    return record


def _zip_items(field: str, columns: dict[str, list[str]], where: str) -> list[dict[str, Any]]:
    count = len(columns.get(_LIST_LEAD[field], []))
    items: list[dict[str, Any]] = [{} for _ in range(count)]
    for key, values in columns.items():
        if count > 0 and values == []:
            values = [""] * count
        if len(values) != count:
            raise InvalidInput(
                f"{where}: {field} has {count} items but their {key} column has {len(values)}"
            )
        for item, value in zip(items, values, strict=True):
            item[key] = value or None
    return items


def parse_csv(text: str) -> list[tuple[str, dict[str, Any]]]:
    """(where, record) for each row of a CSV in the register's own layout."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, None)
    if header is None:
        return []
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if unknown:
        raise InvalidInput(
            f"line 1: unknown column {unknown[0]!r}",
            hint="this reads the CSV that 'agreements export' writes",
        )
    if "party_names" not in header or "type" not in header:
        raise InvalidInput("line 1: the header needs at least party_names and type")
    records = []
    start = reader.line_num + 1
    for row in reader:
        where = f"line {start}"
        if len(row) != len(header):
            raise InvalidInput(f"{where}: {len(row)} cells where the header has {len(header)}")
        records.append((where, _record_from_row(dict(zip(header, row, strict=True)), where)))
        start = reader.line_num + 1
    return records


def parse_json(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Records from a list of agreement objects, or from a whole register file."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("agreements"), dict):
        items = []
        for key, record in data["agreements"].items():
            if not (isinstance(record, dict) and key.isdigit()):
                raise InvalidInput(f"agreement {key!r} is not a record with a numeric id")
            items.append((f"agreement {key}", {**record, "id": int(key)}))
        return items
    if not isinstance(data, list):
        raise InvalidInput(
            "expected a list of agreements", hint="as 'agreements export --format json' writes"
        )
    return [(f"item {number}", record) for number, record in enumerate(data, start=1)]


def read_agreements(
    records: Iterable[tuple[str, dict[str, Any]]], vocabulary: Vocabulary
) -> list[Agreement]:
    """Validate every record; the first problem stops the import before anything is written."""
    agreements = []
    seen_ids: set[int] = set()
    for where, record in records:
        agreement = from_record(record, where)
        for party in agreement.parties:
            if party.country is not None and not is_country_code(party.country):
                raise InvalidInput(f"{where}: {party.country!r} is not an ISO 3166-1 country code")
        sectors = tuple(
            replace(s, name=_known_sector(s.name, vocabulary, where)) for s in agreement.sectors
        )
        if agreement.id is not None:
            if agreement.id in seen_ids:
                raise InvalidInput(f"{where}: the id {agreement.id} appears twice")
            seen_ids.add(agreement.id)
        agreements.append(replace(agreement, sectors=sectors))
    return agreements


def _known_sector(name: str, vocabulary: Vocabulary, where: str) -> str:
    try:
        return vocabulary.resolve(name)
    except InvalidInput as error:
        raise InvalidInput(f"{where}: {error.message}", error.hint) from None


PARSERS: dict[str, Callable[[str], list[tuple[str, dict[str, Any]]]]] = {
    "csv": parse_csv,
    "json": parse_json,
}
