"""Every reader and writer of a record keeps every field the schema declares.

FULL has a value in every declared field and item part; the first test fails when a
field is declared (or added to the model) without FULL getting a value for it, so that
every test after it checks the new field too.
"""

import csv
import dataclasses
import json
from datetime import date

import pytest
from conftest import Cli, csv_export

from agreements.domain.dates import PartialDate
from agreements.domain.model import (
    Activity,
    Agreement,
    Conflict,
    Contact,
    Party,
    Sector,
    Signatory,
    Source,
    default_title,
)
from agreements.domain.periods import Period, Unit
from agreements.domain.records import exchanged_record, stored_record, trusted_agreement
from agreements.domain.schema import (
    CLEARABLE,
    CSV_COLUMNS,
    FIELD_NAMES,
    FIELDS,
    LIST_VIEW_COLUMNS,
    MAPPED,
    MAPPED_PARTY_KEYS,
    STORED_FIELDS,
    Kind,
)
from agreements.domain.strict_records import from_exchanged, from_stored
from agreements.domain.values import ActivityKind, AgreementType, Certainty, Level, Renewal, Status
from agreements.exchange.csv_columns import header_row
from agreements.exchange.csv_files import csv_items, read_table
from agreements.exchange.own_rows import OwnRowReader
from agreements.render.relative import local_moment

TODAY = date(2026, 12, 1)
FULL = Agreement(
    id=7,
    title="Aarhus and Prishtina: harbours",
    type=AgreementType.COOPERATION,
    parties=(
        Party("Aarhus", "DK", Level.MUNICIPALITY, "Region Midtjylland", other_names=("Århus",)),
        Party("Prishtina", None, Level.CITY, "Prishtina District", country_as_given="Dardania"),
        Party(
            "Rostock",
            "DE",
            region="Mecklenburg-Vorpommern",
            region_code="DE-MV",
            country_at_signing="DDDE",
        ),
    ),
    signatories=(Signatory("Anna Berg", "Aarhus", "Mayor"),),
    signed_on=PartialDate(2019, 5),
    place="Kiel",
    sectors=(Sector("cleantech"), Sector("education", Certainty.POSSIBLE)),
    status=Status.SUSPENDED,
    status_reason="elections",
    expires_on=PartialDate(2030),
    review_on=PartialDate(2025, 1, 31),
    effective_on=PartialDate(2019, 6),
    council_resolution_on=PartialDate(2019, 4, 11),
    renewal=Renewal.ON_DECISION,
    notice=Period(6, Unit.MONTH),
    contacts=(Contact("Carla Dahl", "desk", "+45 8940 2195", "c@example.org", "Prishtina"),),
    sources=(Source("https://example.org/minutes", "Minutes", PartialDate(2019, 6, 1)),),
    notes="Ferries first.",
    tags=("port", "baltic"),
    activities=(
        Activity(
            ActivityKind.DELEGATION,
            PartialDate(2021, 9, 14),
            "Harbour delegation to Prishtina",
            "Aarhus",
            PartialDate(2022, 1, 15),
            "Send the ferry study",
        ),
    ),
    conflicts=(Conflict("place", '"Kiel"', '"Lübeck"', "null"),),
    uid="5c234e8b36df5629",
    created_at="2020-01-01T00:00:00Z",
    updated_at="2020-01-02T00:00:00Z",
)


EXCHANGED_FULL = dataclasses.replace(FULL, uid=None)
"""What exports and imports hold of FULL: the uid is its register's own."""
WITHOUT_ACTIVITIES = dataclasses.replace(EXCHANGED_FULL, activities=(), conflicts=())
"""What our CSV of FULL holds: activities have a CSV of their own (`export --activities`),
and merge conflicts stay in the register (`resolve` settles them)."""


def _imported_full(tmp_path):
    """A register holding FULL, imported from its own JSON export."""
    source = tmp_path / "full.json"
    source.write_text(json.dumps([exchanged_record(FULL, TODAY)]), encoding="utf-8")
    cli = Cli(tmp_path / "register.json")
    cli.ok("import", str(source))
    return cli


def _empty(value, default=None):
    return value in (None, (), "", default)


def test_the_model_and_the_schema_name_the_same_fields_and_full_fills_them_all():
    model_fields = {field.name for field in dataclasses.fields(Agreement)}
    assert model_fields == {field.name for field in STORED_FIELDS} | {"id"}
    for field in FIELDS:
        if field.item is not None:
            item_fields = {part.name for part in dataclasses.fields(field.item.model)}
            assert item_fields == set(field.item.keys), field.name
    for field in STORED_FIELDS:
        value = getattr(FULL, field.name)
        assert not _empty(value), f"FULL has no {field.name}"
        for part in field.item.parts if field.item else ():
            values = [getattr(item, part.key) for item in value]
            assert any(not _empty(v, part.default) for v in values), f"FULL has no {part.key}"
    assert FULL.title != default_title(FULL.parties)


def test_stored_and_exchanged_records_have_every_field_in_order():
    stored = stored_record(FULL)
    assert set(stored) == {field.name for field in STORED_FIELDS}
    exchanged = exchanged_record(FULL, TODAY)
    assert list(exchanged) == [name for name in FIELD_NAMES if name != "uid"]
    for field in FIELDS:
        if field.item is not None:
            assert all(list(item) == list(field.item.keys) for item in exchanged[field.name])
    assert (exchanged["status"], exchanged["status_manual"]) == ("suspended", True)


def test_every_json_reader_gives_back_the_whole_agreement():
    stored = json.loads(json.dumps(stored_record(FULL)))
    assert trusted_agreement(stored, 7) == FULL
    assert from_stored(stored, "record 7", 7) == FULL
    exchanged = json.loads(json.dumps(exchanged_record(FULL, TODAY)))
    assert from_exchanged(exchanged, "item 1") == EXCHANGED_FULL


def test_our_csv_has_every_column_and_reads_back_whole():
    text = csv_export([FULL], TODAY)
    table = read_table(text)
    assert table.header == header_row()
    assert [column.split(" ")[0] for column in header_row()] == list(CSV_COLUMNS)
    assert len(CSV_COLUMNS) == len(set(CSV_COLUMNS))
    (item,) = csv_items(table)
    assert OwnRowReader(table.header).read(item.cells) == WITHOUT_ACTIVITIES


def test_every_command_that_reads_or_writes_records_keeps_every_field(tmp_path):
    cli = _imported_full(tmp_path)
    assert cli.records() == {"7": stored_record(EXCHANGED_FULL)}
    exchanged = json.loads(json.dumps(exchanged_record(FULL, date.today())))
    assert cli.ok("show", "7", "--format", "json").json() == exchanged
    assert cli.ok("list", "--format", "json").json() == [exchanged]
    assert cli.ok("export", "--format", "json").json() == [exchanged]
    assert json.loads(cli.ok("export", "--format", "jsonl").stdout) == exchanged
    # (the runner reads CRLF line ends as LF)
    assert cli.ok("export").stdout == csv_export([FULL], date.today()).replace("\r\n", "\n")
    from_csv = Cli(tmp_path / "from-csv.json")
    (tmp_path / "full.csv").write_text(csv_export([FULL], TODAY), encoding="utf-8")
    from_csv.ok("import", str(tmp_path / "full.csv"))
    assert from_csv.records() == {"7": stored_record(WITHOUT_ACTIVITIES)}
    again = Cli(tmp_path / "again.json")
    (tmp_path / "full.json").write_text(cli.ok("export", "--format", "json").stdout)
    again.ok("import", str(tmp_path / "full.json"))
    assert again.records() == cli.records()


def _texts(value):
    """Every text a person typed into a value: not the names of closed sets, not dates."""
    if type(value) is str:
        yield value
    elif isinstance(value, PartialDate):
        return
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name))


def test_show_prints_every_text_of_the_agreement(tmp_path):
    cli = _imported_full(tmp_path)
    shown = cli.ok("show", "7").stdout
    for field in STORED_FIELDS:
        value = getattr(FULL, field.name)
        if field.name == "uid":  # the register's own: imported, it is none
            continue
        if field.name in ("created_at", "updated_at"):  # in local time, written out
            assert local_moment(value) in shown, field.name
            continue
        for text in _texts(value):
            assert text in shown, (field.name, text)
        if isinstance(value, PartialDate):
            assert value.readable() in shown, field.name
        elif isinstance(value, Period):
            assert str(value) in shown, field.name
    for activity in FULL.activities:
        assert activity.on.readable() in shown
        assert activity.follow_up_on is not None and activity.follow_up_on.readable() in shown


def test_list_shows_every_column_it_declares(tmp_path):
    source = tmp_path / "full.csv"
    source.write_text(csv_export([FULL], TODAY), encoding="utf-8")
    cli = Cli(tmp_path / "register.json")
    cli.ok("import", str(source))
    header, row = (line.split("\t") for line in cli.ok("list").stdout.splitlines())
    assert header == list(LIST_VIEW_COLUMNS)
    assert all(row), dict(zip(header, row, strict=True))


def _mapped_cell(name, value):
    """What another tool's CSV would hold for a mapped field of FULL."""
    if name == "sectors":
        return ", ".join(s.name + ("?" if s.certainty is Certainty.POSSIBLE else "") for s in value)
    if name == "source":
        return value[0].url
    if name == "tags":
        return "; ".join(value)
    return "" if value is None else str(value)


def test_import_can_map_every_field_the_schema_marks_as_mapped(tmp_path):
    header, cells, maps = [], [], []
    for number, party in enumerate(FULL.parties, start=1):
        for key in MAPPED_PARTY_KEYS:
            value = getattr(party, key) or (party.country_as_given if key == "country" else None)
            if key == "other_names":
                value = "; ".join(value or ())
            elif key == "country" and party.country_at_signing == "DDDE":
                value = "East Germany"  # read as the former country, and Germany today
            header.append(f"p{number}_{key}")
            cells.append("" if value is None else str(value))
            maps += ["--map", f"party{number}.{key}=p{number}_{key}"]
    for name, field in MAPPED.items():
        header.append(f"col_{name}")
        cells.append(_mapped_cell(name, getattr(FULL, field.name)))
        maps += ["--map", f"{name}=col_{name}"]
    source = tmp_path / "other.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, cells])
    cli = Cli(tmp_path / "register.json")
    cli.ok("import", str(source), *maps)
    (record,) = cli.records().values()
    expected = stored_record(FULL)
    for name, field in MAPPED.items():
        if name == "source":
            assert [s["url"] for s in record["sources"]] == [s["url"] for s in expected["sources"]]
        else:
            assert record[field.name] == expected[field.name], name
    assert record["parties"] == expected["parties"]


@pytest.mark.parametrize("spelling", sorted(CLEARABLE))
def test_every_clearable_field_is_cleared_by_its_name(tmp_path, spelling):
    cli = _imported_full(tmp_path)
    cli.ok("edit", "7", "--clear", spelling)
    name = CLEARABLE[spelling]
    record = cli.records()["7"]
    if name == "title":
        assert record["title"] == default_title(FULL.parties)
    else:
        assert record[name] in (None, []), name
    kind = next(field.kind for field in FIELDS if field.name == name)
    assert kind is not Kind.ID
