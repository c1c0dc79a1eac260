"""The fast reader of our own CSV rows agrees with `from_exchanged` on every row, good or bad.

The reference below turns a row into a JSON record the plain way and lets the model read
it; `OwnRowReader` must give the same agreement, or an error with the same message.
"""

import csv
import io
import re

import pytest
from conftest import csv_export
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_exchange import TODAY, agreements

from agreements.domain.schema import CSV_COLUMNS
from agreements.domain.strict_records import from_exchanged
from agreements.errors import InvalidInput
from agreements.exchange.csv_columns import csv_column_of, header_row, split_items
from agreements.exchange.own_rows import OwnRowReader
from agreements.exchange.spreadsheet import unescape_cell

# (column, list field, key within each item), written out here on purpose.
LIST_PARTS = {
    "party_names": ("parties", "name"),
    "party_countries": ("parties", "country"),
    "party_countries_as_given": ("parties", "country_as_given"),
    "party_levels": ("parties", "level"),
    "party_parents": ("parties", "parent"),
    "party_other_names": ("parties", "other_names"),
    "party_regions": ("parties", "region"),
    "party_region_codes": ("parties", "region_code"),
    "party_countries_at_signing": ("parties", "country_at_signing"),
    "signatory_names": ("signatories", "name"),
    "signatory_titles": ("signatories", "title"),
    "signatory_parties": ("signatories", "party"),
    "contact_names": ("contacts", "name"),
    "contact_roles": ("contacts", "role"),
    "contact_phones": ("contacts", "phone"),
    "contact_emails": ("contacts", "email"),
    "contact_parties": ("contacts", "party"),
    "source_urls": ("sources", "url"),
    "source_titles": ("sources", "title"),
    "source_published": ("sources", "published_on"),
}


def reference(header, cells):
    """What the row means, read the slow way: a JSON record, then `from_record`."""
    if len(cells) != len(header):
        return f"{len(cells)} cells where the header has {len(header)}"
    row = {column: unescape_cell(cell) for column, cell in zip(header, cells, strict=True)}
    if row["id"] and not (row["id"].isascii() and row["id"].isdigit()):
        return f"column 'id': {row['id']!r} is not a whole number"
    if row["status_manual"] not in ("true", "false", ""):
        return "column 'status_manual': expected true or false"
    record = {
        column: row[column] or None
        for column in header
        if column not in LIST_PARTS and column not in ("sectors", "tags")
    }
    record["id"] = int(row["id"]) if row["id"] else None
    record["status_manual"] = row["status_manual"] == "true"
    record["tags"] = split_items(row["tags"])
    record["sectors"] = [
        {"name": item[:-1], "certainty": "possible"}
        if item.endswith("?")
        else {"name": item, "certainty": "agreed"}
        for item in split_items(row["sectors"])
    ]
    for field in ("parties", "signatories", "contacts", "sources"):
        columns = [column for column, (f, _) in LIST_PARTS.items() if f == field]
        parts = {column: split_items(row[column]) for column in columns}
        count = len(parts[columns[0]])
        for column in columns:
            if parts[column] and len(parts[column]) != count:
                items = "item" if len(parts[column]) == 1 else "items"
                return f"column {column!r}: {len(parts[column])} {items} where {columns[0]!r} has {count}"
        record[field] = [
            {
                LIST_PARTS[column][1]: _part((parts[column] or [""] * count)[n], column)
                for column in columns
            }
            for n in range(count)
        ]
    try:
        return from_exchanged(record, "")
    except InvalidInput as error:
        return csv_column_of(error.message.removeprefix(": ").removeprefix(", "))


def _part(text, column):
    """One item's part of a list column; a party's other names are joined by "|"."""
    if column == "party_other_names":
        return [name.replace("\\|", "|") for name in re.split(r"(?<!\\)\|", text)] if text else []
    return text or None


def fast(header, cells):
    try:
        return OwnRowReader(header).read(cells)
    except InvalidInput as error:
        return error.message


ODD_CELLS = [
        "", "x", "?", "a?", "; ", "a; b", "a; ; b", "a\\; b", "0", "7", "-1", "1.5", "²", "١٢",
        "2020", "2020-02", "2020-02-29", "2021-02-29", "2020-13", "20", "1 May 2020",
        "true", "false", "yes", "agreed", "possible", "city", "region", "Town",
        "DE", "de", "DEU", "DE; CN", "DE; CN; FR", "Aarhus; Kiel", "Kiel; Kiel",
        "sister-city", "Sister City", "active", "expired", "cleantech", "cleantech; cleantech",
        "'=1+1", "''", "'", "https://example.org", "Mayor", "a|b", "|", "a||b", "DE-BY", "SUHH",
        "3 months", "3m", "1 year", "0 days", "forever", "automatic", "on-decision", "sometimes",
]  # fmt: skip


def row_cells(text):
    """The cells of the only row of an exported CSV."""
    (header, cells) = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    return header, cells


FULL_ROW = {
    "id": "12", "title": "", "type": "cooperation", "status": "suspended",
    "status_manual": "true", "status_reason": "elections", "signed_on": "2019-05",
    "place": "Kiel", "party_names": "Aarhus; Kiel", "party_countries": "DK; DE",
    "party_countries_as_given": "; ", "party_levels": "municipality; city",
    "party_parents": "Region Midtjylland; ", "party_other_names": "Århus|Aarhus C; ",
    "party_regions": "; Schleswig-Holstein", "party_region_codes": "; DE-SH",
    "party_countries_at_signing": "; ", "signatory_names": "Anna; Ben",
    "signatory_titles": "Mayor; ", "signatory_parties": "Aarhus; Kiel",
    "sectors": "cleantech; education?", "expires_on": "2030", "review_on": "2025-01-31",
    "effective_on": "2019-06", "council_resolution_on": "2019-04-11", "renewal": "automatic",
    "notice": "3 months",
    "contact_names": "Carla", "contact_roles": "desk", "contact_phones": "+45 1",
    "contact_emails": "c@example.org", "contact_parties": "Kiel",
    "source_urls": "https://example.org", "source_titles": "Minutes",
    "source_published": "2019-06-01", "notes": "n", "tags": "port; baltic",
    "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-02T00:00:00Z",
}  # fmt: skip


@pytest.mark.parametrize("column", CSV_COLUMNS)
def test_each_odd_cell_in_each_column_reads_as_from_record_reads_it(column):
    assert not isinstance(reference(list(FULL_ROW), list(FULL_ROW.values())), str)
    for cell in ODD_CELLS:
        cells = list((FULL_ROW | {column: cell}).values())
        assert fast(header_row(), cells) == reference(list(FULL_ROW), cells), (column, cell)


@given(
    agreements(),
    st.lists(st.tuples(st.sampled_from(CSV_COLUMNS), st.sampled_from(ODD_CELLS)), max_size=3),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_row_reads_as_from_record_reads_its_record(agreement, changes):
    _, cells = row_cells(csv_export([agreement], TODAY))
    for column, cell in changes:
        cells[CSV_COLUMNS.index(column)] = cell
    expected = reference(list(CSV_COLUMNS), cells)
    assert fast(header_row(), cells) == expected


def test_the_reference_itself_tells_a_good_row_from_a_bad_one():
    header = list(CSV_COLUMNS)
    good = dict.fromkeys(header, "") | {"party_names": "Aarhus; Kiel", "type": "friendship"}
    assert reference(header, list(good.values())).title == "Aarhus – Kiel"
    bad_level = good | {"party_levels": "city; galaxy"}
    assert reference(header, list(bad_level.values())).startswith(
        "column 'party_levels' (item 2): 'galaxy' is not one of"
    )
    assert fast(header, list(bad_level.values())) == reference(header, list(bad_level.values()))


def test_columns_left_out_read_as_empty_cells():
    header = ["party_names", "type", "signed_on"]
    agreement = fast(header, ["Aarhus; Kiel", "friendship", "1999"])
    assert (agreement.title, str(agreement.signed_on), agreement.sectors) == (
        "Aarhus – Kiel",
        "1999",
        (),
    )


def test_a_column_we_do_not_write_is_refused_once_for_the_whole_file():
    try:
        OwnRowReader([*header_row(), "colour"])
    except InvalidInput as error:
        assert error.message.startswith("line 1: the column 'colour' is not one")
    else:
        raise AssertionError("an unknown column was accepted")
