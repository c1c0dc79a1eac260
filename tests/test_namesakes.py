"""Real twin-town lists: namesake towns, pairs without a date, names with a qualifier."""

import json
import shutil

from conftest import REPO, Cli

from agreements.domain.migrations import SCHEMA_VERSION

NAMESAKES = REPO / "tests" / "data" / "twin-towns-namesakes.csv"
V3_STATUSES = REPO / "tests" / "data" / "register-v3-statuses.json"
LIST_MAP = [
    "--map", "party1.name=town", "--map", "party1.country=town_country",
    "--map", "party2.name=partner", "--map", "party2.country=partner_country",
    "--map", "signed_on=since", "--set", "type=sister-city",
]  # fmt: skip


def _by_title(cli):
    return {record["title"]: record for record in cli.ok("export", "-f", "json").json()}


def _parties(record):
    return [(p["name"], p["country"], p["parent"]) for p in record["parties"]]


def test_a_list_with_namesakes_imports_whole_and_keeps_them_apart(cli, tmp_path):
    report_file = tmp_path / "report.json"
    result = cli.ok("import", str(NAMESAKES), *LIST_MAP, "--report", str(report_file))
    assert result.stderr.splitlines()[0].endswith(": 7 rows read")
    records = _by_title(cli)
    assert len(records) == 7
    assert _parties(records["Boston – Boston"]) == [
        ("Boston", "GB", None),
        ("Boston", "US", None),
    ]
    assert _parties(records["Córdoba – Córdoba"]) == [
        ("Córdoba", "ES", None),
        ("Córdoba", "AR", None),
    ]
    assert _parties(records["Neudorf – Neudorf"]) == [
        ("Neudorf", "DE", None),
        ("Neudorf", "DE", None),
    ]
    assert "1 row names two parties of one name that nothing tells apart" in result.stderr
    assert "row 4 (line 5) (Neudorf)" in result.stderr
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["namesakes"] == [{"row": 4, "name": "Neudorf"}]
    assert report["imported"] == 7 and report["rejected"] == 0
    # each namesake is a party of its own: the filters see two countries
    assert [r["title"] for r in cli.ok("list", "--country", "AR", "-f", "json").json()] == [
        "Córdoba – Córdoba"
    ]


def test_importing_the_list_again_adds_nothing(cli):
    cli.ok("import", str(NAMESAKES), *LIST_MAP)
    again = cli.ok("import", str(NAMESAKES), *LIST_MAP)
    assert "Imported 0 agreements" in again.stderr and "7 skipped" in again.stderr
    assert len(cli.records()) == 7


def test_pairs_without_a_date_are_signed_with_the_date_unknown(cli):
    cli.ok("import", str(NAMESAKES), *LIST_MAP)
    statuses = {r["title"]: r["status"] for r in cli.ok("export", "-f", "json").json()}
    assert statuses["Boston – Boston"] == "active"
    assert statuses["Neudorf – Neudorf"] == "active"
    assert set(statuses.values()) == {"active"}
    assert "proposed" not in cli.ok("summary", "--by", "status").stdout
    assert "Status   active (signed, the date unknown)" in cli.ok("show", "1").stdout


def test_a_planned_pair_is_proposed_by_hand_on_import(cli):
    cli.ok("import", str(NAMESAKES), *LIST_MAP, "--set", "status=proposed")
    records = _by_title(cli)
    assert records["Boston – Boston"]["status"] == "proposed"
    assert records["Boston – Boston"]["status_manual"] is True


def test_qualifiers_in_parentheses_are_kept_unless_told_otherwise(cli, tmp_path):
    result = cli.ok("import", str(NAMESAKES), *LIST_MAP)
    assert "3 names with a qualifier in parentheses ('Frankfurt (Oder)'" in result.stderr
    assert "kept as given" in result.stderr
    assert "Frankfurt (Oder) – Słubice" in _by_title(cli)

    as_parent = Cli(tmp_path / "parent.json")
    as_parent.ok("import", str(NAMESAKES), *LIST_MAP, "--parenthesis", "parent")
    frankfurt = _by_title(as_parent)["Frankfurt – Słubice"]["parties"][0]
    assert (frankfurt["name"], frankfurt["parent"], frankfurt["other_names"]) == (
        "Frankfurt",
        "Oder",
        [],
    )

    as_alias = Cli(tmp_path / "alias.json")
    as_alias.ok("import", str(NAMESAKES), *LIST_MAP, "--parenthesis", "alias")
    wroclaw = _by_title(as_alias)["Wrocław – Dresden"]["parties"][0]
    assert (wroclaw["name"], wroclaw["parent"], wroclaw["other_names"]) == (
        "Wrocław",
        None,
        ["Breslau"],
    )
    found = as_alias.ok("list", "--party", "breslau", "-f", "json").json()
    assert [r["title"] for r in found] == ["Wrocław – Dresden"]
    searched = as_alias.ok("list", "--search", "Breslau", "-f", "json").json()
    assert [r["title"] for r in searched] == ["Wrocław – Dresden"]
    assert "also Breslau" in as_alias.ok("show", str(found[0]["id"])).stdout


def test_add_asks_for_a_parent_to_tell_namesakes_apart(cli, db):
    refused = cli("add", "-p", "Neudorf, DE", "-p", "Neudorf, Germany", "-t", "friendship")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("Error: the parties 'Neudorf' and 'Neudorf' may be one place")
    assert "--namesakes" in refused.stderr and not db.exists()
    cli.ok("add", "-p", "Neudorf, Sachsen, DE", "-p", "Neudorf, Thüringen, DE", "-t", "friendship")
    cli.ok("add", "-p", "Neudorf, DE", "-p", "Neudorf, DE", "-t", "friendship", "--namesakes")
    cli.ok("add", "-p", "Boston, GB", "-p", "Boston, US", "-t", "sister-city")
    assert len(cli.records()) == 3


def test_signatories_name_a_namesake_by_its_country_or_parent(cli):
    cli.ok(
        "add", "-p", "Boston, Lincolnshire, GB", "-p", "Boston, US", "-t", "sister-city",
        "--signatory", "Anne Dale; Mayor; Boston, GB",
        "--signatory", "Bill Cole; Mayor; boston, us",
        "--contact", "Desk; twinning officer; ; ; Boston, Lincolnshire",
    )  # fmt: skip
    record = cli.records()["1"]
    assert [s["party"] for s in record["signatories"]] == ["Boston, GB", "Boston, US"]
    assert record["contacts"][0]["party"] == "Boston, GB"
    ambiguous = cli("edit", "1", "--add-signatory", "Cara Bell; Clerk; Boston")
    assert ambiguous.exit_code == 2
    assert "which could be more than one party" in ambiguous.stderr
    assert "'Boston, GB', 'Boston, US'" in ambiguous.stderr
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2024-05", "--summary", "Mayors",
           "--party", "Boston, US")  # fmt: skip
    assert cli.records()["1"]["activities"][0]["party"] == "Boston, US"


def test_namesakes_nothing_tells_apart_take_no_signatory(cli):
    refused = cli(
        "add", "-p", "Neudorf, DE", "-p", "Neudorf, DE", "-t", "friendship", "--namesakes",
        "--signatory", "Eva Roth; Mayor; Neudorf",
    )  # fmt: skip
    assert refused.exit_code == 2
    assert "two parties of that name cannot be told apart" in refused.stderr


def test_the_upgrade_keeps_every_status_set_by_hand(tmp_path):
    db = tmp_path / "register.json"
    shutil.copy(V3_STATUSES, db)
    cli = Cli(db)
    today = ("--as-of", "2026-12-01")
    before = {
        r["id"]: (r["status"], r["status_manual"])
        for r in cli.ok("list", "-f", "json", *today).json()
    }
    assert before == {
        1: ("active", False),  # undated, nothing set by hand: signed, date unknown
        2: ("proposed", True),  # set by hand, kept
        3: ("proposed", False),  # signed in the future
        4: ("suspended", True),
        5: ("active", True),
    }
    cli.ok("edit", "4", "--place", "Pori town hall")  # the first save upgrades the file
    data = json.loads(db.read_bytes())
    assert data["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert data["agreements"]["2"]["status"] == "proposed"
    assert data["agreements"]["1"]["status"] is None
    assert all(p["other_names"] == [] for r in data["agreements"].values() for p in r["parties"])
    after = {
        r["id"]: (r["status"], r["status_manual"])
        for r in cli.ok("list", "-f", "json", *today).json()
    }
    assert after == before
    assert f"schema {SCHEMA_VERSION}" in cli.ok("history").stdout
    cli.ok("undo")
    cli.ok("undo")
    assert db.read_bytes() == V3_STATUSES.read_bytes()


def test_edit_removes_the_namesake_it_names(cli):
    cli.ok("add", "-p", "Boston, GB", "-p", "Boston, US", "-p", "Aarhus, DK", "-t", "sister-city")
    cli.ok("edit", "1", "--remove-party", "Boston, US")
    assert [(p["name"], p["country"]) for p in cli.records()["1"]["parties"]] == [
        ("Boston", "GB"),
        ("Aarhus", "DK"),
    ]


def test_reading_qualifiers_as_other_names_merges_no_more_rows(cli, tmp_path):
    source = tmp_path / "districts.csv"
    source.write_text(
        "town,town_country,partner,partner_country,since\n"
        "Lyon (3e arrondissement),France,Kiel,Germany,1990\n"
        "Lyon (5e arrondissement),France,Kiel,Germany,1990\n"
        "Wrocław (Breslau),Poland,Dresden,Germany,1959\n"
        "Wrocław,Poland,Dresden,Germany,1959\n",
        encoding="utf-8",
    )
    kept = cli.ok("import", str(source), *LIST_MAP)
    assert "4 rows read" in kept.stderr and "merged" not in kept.stderr.splitlines()[0]
    as_alias = Cli(tmp_path / "alias.json")
    read = as_alias.ok("import", str(source), *LIST_MAP, "--parenthesis", "alias")
    assert read.stderr.splitlines()[0].endswith(": 4 rows read")
    names = sorted(
        tuple(r["parties"][0]["other_names"]) for r in as_alias.ok("list", "-f", "json").json()
    )
    assert names == [(), ("3e arrondissement",), ("5e arrondissement",), ("Breslau",)]
