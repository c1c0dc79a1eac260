"""Other tools' JSON and JSON Lines, read with --map, --set and --translate as CSV is."""

import json

from conftest import Cli

PAIRS = [
    {
        "item": {"label": "Boston", "country": "United Kingdom"},
        "twin": {"label": "Boston", "country": "United States of America"},
        "start": "1999",
        "kind": "T",
        "topics": ["culture", "education"],
    },
    {
        "item": {"label": "Kiel", "country": "Germany"},
        "twin": {"label": "Vaasa", "country": "Finland"},
        "start": 1967,
        "kind": "F",
        "topics": [],
    },
    {
        "item": {"label": "Aarhus", "country": "Denmark"},
        "twin": {"label": "Turku", "country": "Finland"},
        "kind": None,
    },
]
MAP = [
    "--map", "party1.name=item.label", "--map", "party1.country=item.country",
    "--map", "party2.name=twin.label", "--map", "party2.country=twin.country",
    "--map", "signed_on=start", "--map", "type=kind", "--map", "sectors=topics",
    "--translate", "type:T=sister-city", "--translate", "type:F=friendship",
    "--set", "type=other",
]  # fmt: skip


def _imported(cli):
    return {r["title"]: r for r in cli.ok("export", "-f", "json").json()}


def test_a_json_list_of_other_objects_is_read_through_dotted_keys(cli, tmp_path):
    source = tmp_path / "pairs.json"
    source.write_text(json.dumps(PAIRS), encoding="utf-8")
    result = cli.ok("import", str(source), *MAP)
    assert result.stderr.startswith(f"Imported 3 agreements from {source}: 3 rows read")
    records = _imported(cli)
    boston = records["Boston – Boston"]
    assert [(p["name"], p["country"]) for p in boston["parties"]] == [
        ("Boston", "GB"),
        ("Boston", "US"),
    ]
    assert (boston["type"], boston["signed_on"], boston["status"]) == (
        "sister-city",
        "1999",
        "active",
    )
    assert [s["name"] for s in boston["sectors"]] == ["culture", "education"]
    kiel = records["Kiel – Vaasa"]
    assert (kiel["type"], kiel["signed_on"], kiel["sectors"]) == ("friendship", "1967", [])
    aarhus = records["Aarhus – Turku"]
    assert (aarhus["type"], aarhus["signed_on"]) == ("other", None)


def test_json_lines_of_other_objects_read_the_same(cli, tmp_path):
    source = tmp_path / "pairs.jsonl"
    source.write_text("".join(json.dumps(pair) + "\n" for pair in PAIRS), encoding="utf-8")
    cli.ok("import", str(source), *MAP)
    from_lines = _imported(cli)
    listed = tmp_path / "pairs.json"
    listed.write_text(json.dumps(PAIRS), encoding="utf-8")
    other = Cli(tmp_path / "other.json")
    other.ok("import", str(listed), *MAP)
    strip = lambda records: {  # noqa: E731
        title: {k: v for k, v in r.items() if k not in ("created_at", "updated_at")}
        for title, r in records.items()
    }
    assert strip(from_lines) == strip(_imported(other))


def test_a_key_the_objects_lack_is_named_with_the_keys_they_have(cli, tmp_path, db):
    source = tmp_path / "pairs.json"
    source.write_text(json.dumps(PAIRS), encoding="utf-8")
    result = cli("import", str(source), *MAP, "--map", "place=venue")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the file has no column 'venue'")
    assert "'item.label'" in result.stderr and not db.exists()


def test_a_bad_value_names_its_key_and_nothing_is_imported(cli, tmp_path, db):
    source = tmp_path / "pairs.json"
    bad = [*PAIRS, {**PAIRS[1], "start": "someday"}]
    source.write_text(json.dumps(bad), encoding="utf-8")
    result = cli("import", str(source), *MAP)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: item 4: key 'start': ")
    assert not db.exists()


def test_map_refuses_a_register_file_and_objects_that_are_not_objects(cli, tmp_path):
    source = tmp_path / "numbers.json"
    source.write_text("[1, 2]", encoding="utf-8")
    result = cli("import", str(source), *MAP)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: item 1: expected an object")


def test_a_date_time_at_midnight_is_its_day_and_another_time_is_refused(cli, tmp_path, db):
    source = tmp_path / "wikidata.json"
    rows = [
        {"a": "Kiel", "b": "Vaasa", "d": "1967-01-01T00:00:00Z"},
        {"a": "Kiel", "b": "Gdynia", "d": "1985-06-12T00:00:00"},
    ]
    source.write_text(json.dumps(rows), encoding="utf-8")
    spec = ["--map", "party1.name=a", "--map", "party2.name=b", "--map", "signed_on=d"]
    cli.ok("import", str(source), *spec, "--set", "type=twinning")
    assert sorted(r["signed_on"] for r in cli.records().values()) == ["1967-01-01", "1985-06-12"]
    source.write_text(json.dumps([{**rows[0], "d": "1967-01-01T14:30:00Z"}]), encoding="utf-8")
    before = db.read_bytes()
    refused = cli("import", str(source), *spec, "--set", "type=twinning")
    assert (
        refused.exit_code == 2 and "cannot read '1967-01-01T14:30:00Z' as a date" in refused.stderr
    )
    assert db.read_bytes() == before
