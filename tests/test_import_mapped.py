"""Importing other tools' CSV: --map, --set, --translate, countries and duplicates."""

import json

import pytest
from conftest import GERMAN_LIST_MAP, PARTNERSHIPS_DE


def imported(cli, *extra):
    return cli.ok("import", str(PARTNERSHIPS_DE), *GERMAN_LIST_MAP, *extra)


def by_title(cli):
    return {record["title"]: record for record in cli.records().values()}


def test_a_german_list_is_read_onto_our_fields(cli, tmp_path):
    report_file = tmp_path / "report.json"
    result = imported(cli, "--report", str(report_file))
    assert result.stderr.splitlines()[0].endswith(": 16 rows read, 2 merged")
    assert len(cli.records()) == 14
    records = by_title(cli)
    kiel = records["Kiel – Vaasa"]
    assert kiel["type"] == "sister-city" and kiel["signed_on"] == "1967"
    assert kiel["parties"][0] | {} == {
        "name": "Kiel", "country": "DE", "country_as_given": None, "level": "city",
        "parent": "Schleswig-Holstein", "other_names": [], "region": None, "region_code": None, "country_at_signing": None,
    }  # fmt: skip
    assert kiel["parties"][1]["country"] == "FI"
    assert records["Itzehoe – Pardubice"]["parties"][1]["country"] == "CZ"
    assert records["Wedel – Caldervale"]["parties"][1]["country"] == "US"
    assert records["Rendsburg – Lancaster"]["parties"][1]["country"] == "GB"
    assert records["Husum – Nordfriesland Amt"]["type"] == "other"
    assert records["Schleswig – Mantes-la-Ville"]["type"] == "other"  # empty form: --set
    assert records["Rendsburg – Haderslev"]["signed_on"] is None
    assert records["Plön – Plau"]["parties"][1]["country"] is None
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert (report["rows"], report["imported"], report["merged"], report["rejected"]) == (
        16,
        14,
        2,
        0,
    )
    assert report["unresolved_countries"] == {"Kosovo": 1}


def test_a_pair_listed_from_both_sides_is_one_agreement(cli):
    imported(cli)
    (pair,) = [r for r in cli.records().values() if "Flensburg" in r["title"]]
    assert [(p["name"], p["parent"]) for p in pair["parties"]] == [
        ("Flensburg", "Schleswig-Holstein"),
        ("Neubrandenburg", "Mecklenburg-Vorpommern"),
    ]


def test_pairs_with_conflicting_years_are_kept_and_reported(cli, tmp_path):
    report_file = tmp_path / "report.json"
    result = imported(cli, "--report", str(report_file))
    assert "1 pair appears more than once with a different type or date" in result.stderr
    (conflict,) = json.loads(report_file.read_text(encoding="utf-8"))["conflicts"]
    assert conflict["parties"] == ["Lübeck", "Kotka"]
    assert [(r["row"], r["type"], r["signed_on"]) for r in conflict["rows"]] == [
        (7, "sister-city", "1993"),
        (8, "friendship", "1997"),
    ]
    assert len([r for r in cli.records().values() if r["title"] == "Lübeck – Kotka"]) == 2


def test_an_unknown_country_is_kept_as_given_and_shown(cli):
    result = imported(cli)
    assert "Countries not recognised, left empty with the name kept: 'Kosovo' ×1" in result.stderr
    (record_id,) = [i for i, r in cli.records().items() if r["title"] == "Eckernförde – Prizren"]
    party = cli.records()[record_id]["parties"][1]
    assert party["country"] is None and party["country_as_given"] == "Kosovo"
    shown = cli.ok("show", record_id).stdout
    assert "country given as 'Kosovo', not recognised" in shown
    assert cli.ok("list", "--search", "kosovo", "--format", "csv").stdout.count("\n") == 2


def test_strict_countries_rejects_such_rows(cli):
    result = cli("import", str(PARTNERSHIPS_DE), *GERMAN_LIST_MAP, "--strict-countries")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: row 12 (line 13): column 7 'land': unknown country 'Kosovo'"
    )
    assert not cli.db.exists()
    skipped = imported(cli, "--strict-countries", "--skip-invalid")
    assert "1 rejected" in skipped.stderr and len(cli.records()) == 13


def test_a_country_alias_gives_a_code(cli, tmp_path):
    source = tmp_path / "nordic.csv"
    source.write_text("town;partner;country\nTromsø;Kiel;Nordland\n", encoding="utf-8")
    columns = ["--map", "party1.name=town", "--map", "party2.name=partner",
               "--map", "party1.country=country", "--set", "type=friendship"]  # fmt: skip
    cli.ok("import", str(source), *columns, "--country-alias", "Nordland=NO", "--dry-run")
    result = cli.ok("import", str(source), *columns, "--country-alias", "nordland=Norway")
    assert "not recognised" not in result.stderr
    assert cli.records()["1"]["parties"][0]["country"] == "NO"
    bad = cli("import", str(source), *columns, "--country-alias", "Nordland=Narnia")
    assert bad.exit_code == 2 and "unknown country 'Narnia'" in bad.stderr


def test_importing_again_skips_what_the_register_has(cli):
    imported(cli)
    before = cli.db.read_bytes()
    again = imported(cli)
    assert "Imported 0 agreements" in again.stderr and "14 skipped" in again.stderr
    assert cli.db.read_bytes() == before


def test_on_duplicate_error_names_the_row_and_changes_nothing(cli):
    imported(cli)
    before = cli.db.read_bytes()
    result = cli("import", str(PARTNERSHIPS_DE), *GERMAN_LIST_MAP, "--on-duplicate", "error")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: row 1 (line 2): the register already has it as #1")
    assert cli.db.read_bytes() == before


def test_on_duplicate_update_adds_what_the_file_knows(cli, tmp_path):
    cli.ok("add", "-p", "Kiel, DE", "-p", "Vaasa, Finland", "-t", "twinning", "--signed", "1967",
           "--sector", "culture", "--title", "Kiel and Vaasa")  # fmt: skip
    result = imported(cli, "--on-duplicate", "update")
    assert "1 updated" in result.stderr
    kiel = cli.records()["1"]
    assert kiel["title"] == "Kiel and Vaasa"
    assert kiel["parties"][0]["parent"] == "Schleswig-Holstein"
    assert [s["name"] for s in kiel["sectors"]] == ["culture"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--map", "party1.name=stadt"], "the file has no column 'stadt'"),
        (["--map", "party9.colour=land"], "unknown field 'party9.colour'"),
        (["--map", "party1.name=1", "--set", "type=other"], "no column gives party2.name"),
        (["--map", "party1.name=1", "--map", "party2.name=6"], "no column gives the type"),
        (["--map", "party1.name"], "cannot read the --map 'party1.name'"),
        (["--map", "party1.name=1", "--map", "party2.name=6", "--translate", "type=p"],
         "cannot read the --translate 'type=p'"),
    ],
)  # fmt: skip
def test_a_bad_map_is_one_clear_error(cli, options, message):
    result = cli("import", str(PARTNERSHIPS_DE), *options)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1
    assert not cli.db.exists()


def test_columns_can_be_named_by_number(cli):
    result = cli.ok("import", str(PARTNERSHIPS_DE), "--map", "party1.name=1",
                    "--map", "party2.name=6", "--set", "type=friendship")  # fmt: skip
    assert "Imported 13 agreements" in result.stderr  # without dates, Lübeck–Kotka is one
    assert cli.records()["1"]["parties"][1]["name"] == "Vaasa"
