import csv
import io
import json
import unicodedata
from dataclasses import replace
from datetime import date

from conftest import SAMPLE, Cli, csv_export
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.domain.dates import PartialDate
from agreements.domain.model import Activity, Agreement, Contact, Party, Sector, Signatory, Source
from agreements.domain.periods import Period, Unit
from agreements.domain.records import exchanged_record
from agreements.domain.schema import CSV_COLUMNS
from agreements.domain.strict_records import from_exchanged
from agreements.domain.values import ActivityKind, AgreementType, Certainty, Level, Renewal, Status
from agreements.domain.vocabulary import shipped_vocabulary
from agreements.exchange.csv_columns import header_row, join_items, split_items
from agreements.exchange.csv_files import csv_items, read_table
from agreements.exchange.own_rows import OwnRowReader


def test_export_import_export_gives_the_same_csv(tmp_path):
    sample = Cli(tmp_path / "sample.json")
    sample.db.write_bytes(SAMPLE.read_bytes())
    first = sample.ok("export").stdout
    (tmp_path / "out.csv").write_text(first, encoding="utf-8")
    empty = Cli(tmp_path / "empty.json")
    result = empty.ok("import", str(tmp_path / "out.csv"))
    assert result.stderr.startswith("Imported 17 agreements from ")
    assert empty.ok("export").stdout == first
    assert empty.records() == sample.records()


def test_export_import_export_gives_the_same_json(tmp_path):
    sample = Cli(tmp_path / "sample.json")
    sample.db.write_bytes(SAMPLE.read_bytes())
    first = sample.ok("export", "--format", "json").stdout
    assert len(json.loads(first)) == 17
    (tmp_path / "out.json").write_text(first, encoding="utf-8")
    empty = Cli(tmp_path / "empty.json")
    empty.ok("import", str(tmp_path / "out.json"))
    assert empty.ok("export", "--format", "json").stdout == first


def test_export_to_a_file_with_filters(cli, tmp_path):
    cli.db.write_bytes(SAMPLE.read_bytes())
    target = tmp_path / "cleantech.csv"
    result = cli.ok("export", "--sector", "cleantech", "-o", str(target))
    assert result.stdout == "" and "Exported 1 agreement to" in result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [row["party_names"] for row in rows] == ["Aarhus; Qixia District (栖霞区)"]
    assert list(rows[0]) == header_row()
    assert header_row()[0] == "id (agreements v3)" and header_row()[1:] == list(CSV_COLUMNS[1:])
    assert not list(tmp_path.glob(".*.tmp"))


def test_import_is_all_or_nothing(cli, db, tmp_path):
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning")
    before = db.read_bytes()
    bad = tmp_path / "bad.csv"
    rows = [",".join(CSV_COLUMNS)]
    good_row = dict.fromkeys(CSV_COLUMNS, "")
    good_row |= {"type": "sister-city", "status_manual": "false"}
    rows += [
        ",".join({**good_row, "party_names": f"A{n}; B"}[c] for c in CSV_COLUMNS) for n in range(3)
    ]
    rows.append(
        ",".join(
            {**good_row, "party_names": "C; D", "sectors": "basketweaving"}[c] for c in CSV_COLUMNS
        )
    )
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = cli("import", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: row 4 (line 5): column 'sectors': unknown sector 'basketweaving'"
    )
    assert db.read_bytes() == before


def test_import_gives_new_ids_where_the_old_ones_were_used(cli, tmp_path):
    sample = Cli(tmp_path / "sample.json")
    sample.db.write_bytes(SAMPLE.read_bytes())
    exported = tmp_path / "all.json"
    sample.ok("export", "--format", "json", "-o", str(exported))
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning")
    cli.ok("add", "-p", "Odense, DK", "-p", "Tartu, EE", "-t", "twinning")
    cli.ok("remove", "2", "--yes")
    result = cli.ok("import", str(exported))
    assert "17 rows read, 2 got new ids because theirs were taken" in result.stderr
    assert sorted(map(int, cli.records())) == [1, *range(3, 20)]


def test_importing_the_same_file_twice_adds_nothing_the_second_time(cli, tmp_path):
    cli.db.write_bytes(SAMPLE.read_bytes())
    exported = tmp_path / "all.csv"
    cli.ok("export", "-o", str(exported))
    before = cli.db.read_bytes()
    result = cli.ok("import", str(exported))
    assert "Imported 0 agreements" in result.stderr and "17 skipped" in result.stderr
    assert cli.db.read_bytes() == before


def test_import_of_a_register_file_keeps_its_ids_whatever_their_order(cli):
    # The file's keys are sorted as text: 1, 10, 11, …, 17, 2, 3, …
    result = cli.ok("import", str(SAMPLE))
    assert result.stderr == f"Imported 17 agreements from {SAMPLE}: 17 rows read\n"
    assert cli.records() == json.loads(SAMPLE.read_text(encoding="utf-8"))["agreements"]


def test_import_refuses_what_it_cannot_read(cli, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(CSV_COLUMNS).encode() + b"\n,\xc5rh\xfcs")
    assert "is not UTF-8" in cli("import", str(latin)).stderr
    assert "no such file" in cli("import", str(tmp_path / "none.csv")).stderr
    other = tmp_path / "other.csv"
    other.write_text("gemeindename,land\nAachen,Spanien\n", encoding="utf-8")
    result = cli("import", str(other))
    assert result.exit_code == 2
    assert "are not those 'agreements export' writes" in result.stderr and "--map" in result.stderr


def test_list_items_escape_their_separator():
    items = ["a; b", "back\\slash", " leading", "", "plain"]
    assert split_items(join_items(items)) == items


@given(st.text(alphabet="ab; ", max_size=12))
def test_hand_typed_list_cells_split_at_every_semicolon_and_lose_one_space(cell):
    parts = cell.split(";")
    expected = [parts[0], *(part.removeprefix(" ") for part in parts[1:])] if cell else []
    assert split_items(cell) == expected


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    min_size=1, max_size=12,
).map(lambda text: unicodedata.normalize("NFC", text).strip()).filter(bool)  # fmt: skip
optional_texts = st.none() | texts
partial_dates = st.builds(
    lambda y, m, d, precision: PartialDate(y, *( (m, d) if precision == 2 else (m, None) if precision == 1 else (None, None))),
    st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 28), st.integers(0, 2),
)  # fmt: skip


@st.composite
def agreements(draw):
    names = draw(st.lists(texts, min_size=2, max_size=4, unique_by=lambda n: n.casefold()))
    from agreements.domain.text import fold

    names = list({fold(n): n for n in names}.values())
    if len(names) < 2:
        names = ["Aarhus", "Qixia District"]
    parties = tuple(
        Party(n, draw(st.none() | st.sampled_from(["DK", "CN", "DE"])), draw(st.sampled_from(list(Level))), draw(optional_texts))
        for n in names
    )  # fmt: skip
    vocabulary = shipped_vocabulary().names
    sector_names = draw(st.lists(st.sampled_from(vocabulary), unique=True, max_size=3))
    status = draw(st.none() | st.sampled_from(list(Status)))
    signed, expires = draw(st.none() | partial_dates), draw(st.none() | partial_dates)
    if signed and expires and expires.last_day() < signed.first_day():
        expires = None  # an agreement cannot end before it is signed
    effective = draw(st.none() | partial_dates)
    if effective and expires and expires.last_day() < effective.first_day():
        effective = None  # nor before it takes effect
    notice = draw(st.none() | st.just(Period(1, Unit.MONTH)))
    start = effective or signed
    if expires is None or (
        start and notice and notice.before(expires.last_day()) < start.first_day()
    ):
        notice = None  # a notice needs an expiry, and may not be longer than the term
    return Agreement(
        id=draw(st.integers(1, 10_000)),
        title=draw(texts),
        type=draw(st.sampled_from(list(AgreementType))),
        parties=parties,
        signatories=tuple(Signatory(draw(texts), draw(st.sampled_from(names)), draw(optional_texts)) for _ in range(draw(st.integers(0, 2)))),
        signed_on=signed,
        place=draw(optional_texts),
        sectors=tuple(Sector(n, draw(st.sampled_from(list(Certainty)))) for n in sector_names),
        status=status,
        status_reason=draw(optional_texts) if status else None,
        expires_on=expires,
        effective_on=effective,
        council_resolution_on=draw(st.none() | partial_dates),
        renewal=draw(st.none() | st.sampled_from(list(Renewal))),
        notice=notice,
        contacts=tuple(Contact(draw(texts), draw(optional_texts), draw(st.none() | st.just("+45 8940 2195")), None, draw(st.sampled_from(names))) for _ in range(draw(st.integers(0, 2)))),
        sources=tuple(Source("https://example.org/" + str(n), draw(optional_texts), draw(st.none() | partial_dates)) for n in range(draw(st.integers(0, 2)))),
        notes=draw(optional_texts),
        tags=tuple(draw(st.lists(texts, max_size=3, unique_by=fold))),
        created_at="2026-01-01T00:00:00Z",
        updated_at="2026-01-02T00:00:00Z",
    )  # fmt: skip


@st.composite
def agreements_with_activities(draw):
    """As `agreements`, with activities: JSON carries them, our main CSV does not."""
    agreement = draw(agreements())
    names = [party.name for party in agreement.parties]
    activities = []
    for _ in range(draw(st.integers(0, 3))):
        on = draw(partial_dates)
        follow_up = draw(st.none() | st.just(PartialDate(on.year + 1)))
        activities.append(
            Activity(
                draw(st.sampled_from(list(ActivityKind))), on, draw(texts),
                draw(st.none() | st.sampled_from(names)), follow_up,
                draw(optional_texts) if follow_up else None,
            )
        )  # fmt: skip
    unique = {activity.identity(): activity for activity in activities}  # none recorded twice
    return replace(agreement, activities=tuple(unique.values()))


TODAY = date(2026, 11, 28)


@given(agreements_with_activities())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_records_round_trip_through_json(agreement):
    record = json.loads(json.dumps(exchanged_record(agreement, TODAY)))
    assert from_exchanged(record, "record") == agreement


@given(agreements())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_records_round_trip_through_csv(agreement):
    text = csv_export([agreement], TODAY)
    table = read_table(text)
    (item,) = csv_items(table)
    assert OwnRowReader(table.header).read(item.cells) == agreement
