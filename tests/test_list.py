import csv
import io
import json
import unicodedata

import pytest
from conftest import SAMPLE, Cli
from hypothesis import given, settings
from hypothesis import strategies as st

from agreements.domain.text import fold


@pytest.fixture
def sample(tmp_path):
    copy = tmp_path / "sample.json"
    copy.write_bytes(SAMPLE.read_bytes())
    return Cli(copy)


def ids(result):
    return [int(line.split("\t")[0]) for line in result.stdout.splitlines()[1:]]


def test_design_card_question(sample):
    result = sample.ok("list", "--sector", "cleantech")
    assert result.stdout.splitlines()[0].split("\t")[:3] == ["id", "title", "type"]
    assert ids(result) == [1]


def test_sector_filter_takes_synonyms_and_any_of_several(sample):
    assert ids(sample.ok("list", "--sector", "green technology")) == [1]
    both = ids(sample.ok("list", "-s", "cleantech", "-s", "logistics"))
    assert both == [1, 8, 11]


def test_possible_sectors_count_unless_agreed_only(sample):
    assert 1 in ids(sample.ok("list", "--sector", "education"))
    assert 1 not in ids(sample.ok("list", "--sector", "education", "--agreed-only"))


def test_party_matches_name_or_parent_without_case_or_accents(sample):
    assert ids(sample.ok("list", "--party", "NANJING")) == [1, 10]
    assert ids(sample.ok("list", "--party", "dresden")) == [7]
    assert ids(sample.ok("list", "--party", "Dréśden")) == [7]


def test_country_type_status_filters(sample):
    assert ids(sample.ok("list", "--country", "Denmark")) == [1]
    assert ids(sample.ok("list", "--country", "jp", "--type", "friendship")) == [6, 9]
    assert ids(sample.ok("list", "--type", "mou")) == [12, 15]
    assert ids(sample.ok("list", "--status", "proposed")) == []


def test_signed_after_and_before_compare_whole_periods(sample):
    assert ids(sample.ok("list", "--signed-before", "1950")) == [2, 3]
    assert ids(sample.ok("list", "--signed-after", "2018")) == [16, 17]
    # Signed "2018" is not known to be after 2018-01; signed 2018-02-02 is.
    assert ids(sample.ok("list", "--signed-after", "2018-01", "--signed-before", "2019")) == [14]


def test_search_covers_every_text_field(sample):
    assert ids(sample.ok("list", "--search", "sindberg")) == [1]
    assert ids(sample.ok("list", "--search", "World Administrative")) == [13]
    assert ids(sample.ok("list", "--search", "bundsgaard")) == [1]


def test_search_ignores_case_and_accents_and_knows_country_names(sample):
    assert ids(sample.ok("list", "--search", "QIXIA DISTRICT")) == [1]
    assert ids(sample.ok("list", "--search", "ÅRHUS city hall")) == [1]
    assert ids(sample.ok("list", "--search", "denmark")) == [1]


def test_search_reads_the_fields_as_one_text_with_empty_ones_left_out(cli):
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Kiel, DE", "-t", "twinning", "--note", "Harbour")
    assert ids(cli.ok("list", "--search", "aarhus – kiel harbour")) == [1]


def folded_the_long_way(text):
    """fold as first written: the whole text decomposed at once, then the accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    extra = str.maketrans(
        {"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "ı": "i", "’": "'", "‘": "'"}
    )
    return " ".join(kept.translate(extra).split())


TRICKY = ["Århus", "A\u030arhus", "Ærøskøbing", "Łódź", "İstanbul", "Straße", "ǅemal", "ﬁle",
          "Ｔｏｋｙｏ", "한국", "栖霞区", "x\u0301\u0323y", "a\u00a0b\u2003c", "\u0301start",
          "Côte d’Ivoire"]  # fmt: skip


@given(st.lists(st.sampled_from(TRICKY) | st.text(), max_size=4).map(" ".join))
@settings(max_examples=300, deadline=None)
def test_fold_character_by_character_equals_folding_the_whole_text(text):
    assert fold(text) == folded_the_long_way(text)


def test_sort_and_limit(sample):
    newest = ids(sample.ok("list", "--sort=-signed", "--limit", "3"))
    assert newest == [17, 16, 14]  # within 2018, a year-only date sorts first
    oldest = ids(sample.ok("list", "--sort", "signed", "--limit", "2"))
    assert oldest == [2, 3]


def test_formats_are_complete_and_parseable(sample):
    records = sample.ok("list", "--format", "json", "--country", "ZA").json()
    assert [r["id"] for r in records] == [12, 14, 16, 17]
    assert records[0]["parties"][1]["name"] == "Buenos Aires"
    rows = list(csv.reader(io.StringIO(sample.ok("list", "--format", "csv").stdout)))
    assert len(rows) == 18 and rows[13][0] == "13"
    assert "Sejong, at the 2017 World Administrative Cities Forum" in rows[13]


def test_table_format_for_people(sample):
    result = sample.ok("list", "--format", "table", "--sector", "cleantech")
    assert "Aarhus" in result.stdout and "cleantech" in result.stdout
    assert "No agreements match." in sample.ok("list", "-f", "table", "--party", "Atlantis").stdout


def test_tsv_escapes_tabs_and_newlines(cli, db):
    cli.ok("add", "-p", "A B, DK", "-p", "C, SE", "-t", "mou", "--place", "line one")
    edited = json.loads(db.read_text(encoding="utf-8"))  # as a hand edit could leave it
    record = edited["agreements"]["1"]
    record.update(title="A\tB – C", place="line one\nline two")
    db.write_text(json.dumps({"agreements": edited["agreements"]}), encoding="utf-8")
    (db.parent / (db.name + ".history")).unlink()
    row = cli.ok("list").stdout.splitlines()[1].split("\t")
    assert row[1] == "A\\tB – C" and row[-1] == "line one\\nline two"


def test_missing_register_is_empty_and_is_not_created(cli, db):
    assert cli.ok("list").stdout.splitlines() == [
        "id\ttitle\ttype\tstatus\tsigned_on\tparties\tcountries\tsectors\tplace"
    ]
    assert cli.ok("list", "--format", "json").json() == []
    assert not db.exists()


def test_summary_by_one_field_and_with_filters(sample):
    counts = sample.ok("summary", "--by", "type", "--format", "json").json()
    assert counts["total"] == 17 and set(counts) == {"total", "type"}
    assert counts["type"][0] == {"value": "sister-city", "count": 9}
    cape_town = sample.ok(
        "summary", "--by", "country", "--party", "cape town", "--format", "json"
    ).json()
    assert cape_town["country"][0] == {"value": "ZA", "count": 4}
    table = sample.ok("summary", "--by", "sector").stdout
    assert "By sector" in table and "culture" in table and "█" in table
