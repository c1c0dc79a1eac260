"""`activity add`, `list` and `remove`: each one operation, undoable, in the history in words."""

import json

import pytest
from conftest import AARHUS_QIXIA, V2_REGISTER, Cli

from agreements.domain.migrations import SCHEMA_VERSION

DELEGATION = [
    "activity", "add", "1", "--kind", "delegation", "--on", "2024-05-14",
    "--summary", "Harbour delegation to Qixia", "--party", "aarhus",
    "--follow-up", "2024-07-01", "--follow-up-note", "send the draft programme",
]  # fmt: skip


def test_an_activity_is_stored_whole_and_undone_as_one_operation(cli, db):
    cli.ok(*AARHUS_QIXIA)
    before = db.read_bytes()
    added = cli.ok(*DELEGATION)
    assert added.stderr.startswith("Added activity 1 to agreement 1: delegation on 14 May 2024")
    assert cli.records()["1"]["activities"] == [
        {
            "kind": "delegation", "on": "2024-05-14", "summary": "Harbour delegation to Qixia",
            "party": "Aarhus", "follow_up_on": "2024-07-01", "follow_up": "send the draft programme",
        }
    ]  # fmt: skip
    history = cli.ok("history", "-n", "1").stdout
    assert 'added activity: delegation on 14 May 2024: "Harbour delegation to Qixia"' in history
    assert cli.ok("undo").stdout.startswith("Undid #2 ")
    assert db.read_bytes() == before


def test_activities_keep_date_order_and_remove_takes_the_listed_number(cli, db):
    cli.ok(*AARHUS_QIXIA)
    cli.ok(*DELEGATION)
    cli.ok("activity", "add", "1", "--kind", "trip", "--on", "2013-04", "--summary", "First visit")
    cli.ok("activity", "add", "1", "--kind", "grant", "--on", "2025", "--summary", "EU funds")
    listed = cli.ok("activity", "list", "1", "--format", "json").json()
    assert [(row["number"], row["kind"], row["on"]) for row in listed] == [
        (3, "funding", "2025"), (2, "delegation", "2024-05-14"), (1, "visit", "2013-04"),
    ]  # fmt: skip
    before = db.read_bytes()
    removed = cli.ok("activity", "remove", "1", "2").stderr
    assert removed.startswith("Removed activity 2 of agreement 1: delegation on 14 May 2024")
    assert [a["on"] for a in cli.records()["1"]["activities"]] == ["2013-04", "2025"]
    assert "removed activity: delegation on 14 May 2024" in cli.ok("history", "-n", "1").stdout
    cli.ok("undo")
    assert db.read_bytes() == before


def test_activity_list_filters_across_agreements(cli):
    cli.ok(*AARHUS_QIXIA)
    cli.ok("add", "-p", "Kolding, DK", "-p", "Lahti, FI", "-t", "twinning")
    cli.ok(*DELEGATION)
    cli.ok("activity", "add", "2", "--kind", "visit", "--on", "2019-06", "--summary", "Choir")
    cli.ok("activity", "add", "2", "--kind", "visit", "--on", "2024-06", "--summary", "Band")
    rows = cli.ok("activity", "list", "--kind", "visit", "--format", "json").json()
    assert [(row["agreement_id"], row["summary"]) for row in rows] == [(2, "Band"), (2, "Choir")]
    recent = cli.ok("activity", "list", "--since", "2024", "--format", "csv").stdout.splitlines()
    assert recent[0] == "agreement_id,number,kind,on,summary,party,follow_up_on,follow_up"
    assert recent[1:] == [
        "2,2,visit,2024-06,Band,,,",
        "1,1,delegation,2024-05-14,Harbour delegation to Qixia,Aarhus,2024-07-01,send the draft programme",
    ]
    table = cli.ok("activity", "list", "--format", "table").stdout
    assert "Harbour" in table and max(len(line) for line in table.splitlines()) <= 80
    assert (
        "No activities recorded."
        in cli.ok("activity", "list", "1", "--kind", "funding", "-f", "table").stdout
    )


BAD = {
    "an unknown agreement": (["activity", "add", "9", "--kind", "visit", "--on", "2024", "--summary", "x"], 3, "no agreement with id 9"),
    "an unknown kind": (["activity", "add", "1", "--kind", "flight", "--on", "2024", "--summary", "x"], 2, "unknown activity kind 'flight'"),
    "an impossible date": (["activity", "add", "1", "--kind", "visit", "--on", "2023-02-29", "--summary", "x"], 2, "not a real date"),
    "a follow-up before it": (["activity", "add", "1", "--kind", "visit", "--on", "2024-05", "--summary", "x", "--follow-up", "2024-04-30"], 2, "comes before the activity"),
    "a note without a date": (["activity", "add", "1", "--kind", "visit", "--on", "2024", "--summary", "x", "--follow-up-note", "call"], 2, "needs its date"),
    "a party not in it": (["activity", "add", "1", "--kind", "visit", "--on", "2024", "--summary", "x", "--party", "Oslo"], 2, "not a party"),
    "an empty summary": (["activity", "add", "1", "--kind", "visit", "--on", "2024", "--summary", " "], 2, "summary is empty"),
    "a control character": (["activity", "add", "1", "--kind", "visit", "--on", "2024", "--summary", "x\x1b[2J"], 2, "U+001B"),
    "the same activity twice": (DELEGATION, 2, "already has this activity (number 1)"),
    "an unknown number": (["activity", "remove", "1", "4"], 3, "agreement 1 has no activity 4 (it has 1)"),
    "no such agreement to remove from": (["activity", "remove", "7", "1"], 3, "no agreement with id 7"),
}  # fmt: skip


@pytest.mark.parametrize("name", BAD)
def test_a_bad_activity_is_one_line_and_changes_nothing(cli, db, name):
    cli.ok(*AARHUS_QIXIA)
    cli.ok(*DELEGATION)
    before = db.read_bytes()
    history = (db.parent / "register.json.history").read_bytes()
    args, code, words = BAD[name]
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: ") and words in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert db.read_bytes() == before
    assert (db.parent / "register.json.history").read_bytes() == history


def test_json_exports_round_trip_activities_and_terms(cli, tmp_path):
    cli.ok(*AARHUS_QIXIA, "--expires", "2030", "--notice", "6m", "--renewal", "on-decision",
           "--effective", "2013", "--council-resolution", "2012-09-13")  # fmt: skip
    cli.ok(*DELEGATION)
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2013-04", "--summary", "First visit")
    for output in ("json", "jsonl"):
        exported = cli.ok("export", "--format", output).stdout
        source = tmp_path / f"exported.{output}"
        source.write_text(exported, encoding="utf-8")
        again = Cli(tmp_path / f"again-{output}.json")
        again.ok("import", str(source))
        assert again.ok("export", "--format", output).stdout == exported
        assert _without_uids(again.records()) == _without_uids(cli.records())


def test_the_activities_csv_round_trips_and_imports_once(cli, tmp_path):
    cli.ok(*AARHUS_QIXIA)
    cli.ok("add", "-p", "Kolding, DK", "-p", "Lahti, FI", "-t", "twinning")
    cli.ok(*DELEGATION)
    cli.ok(
        "activity", "add", "2", "--kind", "visit", "--on", "2019-06", "--summary", '=Choir, "tour"'
    )
    activities = tmp_path / "activities.csv"
    cli.ok("export", "--activities", "-o", str(activities))
    text = activities.read_text(encoding="utf-8-sig")
    header = "agreement_id,agreement,kind,on,summary,party,follow_up_on,follow_up"
    assert text.splitlines()[0] == header
    assert "'=Choir" in text  # no cell runs as a formula
    agreements = tmp_path / "agreements.csv"
    cli.ok("export", "-o", str(agreements))
    again = Cli(tmp_path / "again.json")
    again.ok("import", str(agreements))
    assert all(record["activities"] == [] for record in again.records().values())
    imported = again.ok("import", "--activities", str(activities))
    assert imported.stderr == f"Imported 2 activities from {activities}: 2 rows read\n"
    assert [r["activities"] for r in again.records().values()] == [
        r["activities"] for r in cli.records().values()
    ]
    twice = again.ok("import", "--activities", str(activities)).stderr
    assert twice == f"Imported 0 activities from {activities}: 2 rows read, 2 already recorded\n"


def test_an_activities_csv_with_a_bad_row_imports_nothing_unless_told(cli, db, tmp_path):
    cli.ok(*AARHUS_QIXIA)
    source = tmp_path / "activities.csv"
    source.write_text(
        "agreement_id,kind,on,summary,party,follow_up_on,follow_up\n"
        "1,visit,2019-06,Choir,,,\n"
        "8,visit,2019-07,Band,,,\n"
        "1,flight,2019-08,Orchestra,,,\n",
        encoding="utf-8",
    )
    before = db.read_bytes()
    result = cli("import", "--activities", str(source))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: row 2 (line 3): no agreement with id 8 (and 1 more row)"
    )
    assert db.read_bytes() == before
    assert cli("import", "--activities", str(source), "--dry-run").exit_code == 2
    skipped = cli.ok("import", "--activities", str(source), "--skip-invalid").stderr.splitlines()
    assert skipped == [
        "Rejected row 2 (line 3): no agreement with id 8",
        "Rejected row 3 (line 4): unknown activity kind 'flight' (choose one of: visit, "
        "delegation, meeting, exchange, project, event, correspondence, funding, other)",
        f"Imported 1 activity from {source}: 3 rows read, 2 rejected",
    ]
    not_ours = tmp_path / "other.csv"
    not_ours.write_text("id,what\n1,visit\n", encoding="utf-8")
    assert "not a CSV of activities" in cli("import", "--activities", str(not_ours)).stderr


def test_a_schema_2_file_reads_as_it_is_and_the_first_change_upgrades_it(tmp_path):
    db = tmp_path / "register.json"
    old = V2_REGISTER.read_bytes()
    db.write_bytes(old)
    cli = Cli(db)
    listed = cli.ok("list", "--format", "json").json()
    assert all(record["activities"] == [] and record["notice"] is None for record in listed)
    assert cli.ok("due", "--as-of", "2026-12-01", "--format", "json").json()
    assert db.read_bytes() == old
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2024-05", "--summary", "Mayors")
    data = json.loads(db.read_bytes())
    assert data["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert all(
        {"activities", "effective_on", "council_resolution_on", "renewal", "notice"} <= set(r)
        for r in data["agreements"].values()
    )
    history = cli.ok("history").stdout
    assert (
        f"upgraded the register file to schema {SCHEMA_VERSION} (17 agreements rewritten" in history
    )
    cli.ok("undo")
    cli.ok("undo")
    assert db.read_bytes() == old


def test_a_follow_up_done_is_cleared_by_editing_the_activity(cli, db):
    cli.ok(*AARHUS_QIXIA)
    cli.ok(*DELEGATION)
    due = ["due", "--as-of", "2024-06-01", "--kind", "follow-up", "--format", "json"]
    assert [item["description"] for item in cli.ok(*due).json()] == ["send the draft programme"]
    before = db.read_bytes()
    changed = cli.ok("activity", "edit", "1", "1", "--clear", "follow-up").stderr
    assert (
        "now activity 1: delegation on 14 May 2024 (Aarhus): Harbour delegation to Qixia\n"
        in changed
    )
    assert cli.ok(*due).json() == []
    assert cli.records()["1"]["activities"][0]["follow_up"] is None
    cli.ok("activity", "edit", "1", "1", "--on", "2012-11", "--kind", "meeting")
    assert cli.records()["1"]["activities"][0]["on"] == "2012-11"
    assert "nothing changed" in cli.ok("activity", "edit", "1", "1", "--kind", "meeting").stderr
    refused = cli("activity", "edit", "1", "1", "--clear", "summary")
    assert refused.exit_code == 2 and "cannot clear 'summary'" in refused.stderr
    cli.ok("undo")
    cli.ok("undo")
    assert db.read_bytes() == before


def test_an_edit_may_not_make_an_activity_a_copy_of_another(cli, db):
    cli.ok(*AARHUS_QIXIA)
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2026-11-01", "--summary", "Visit")
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2026-11-02", "--summary", "Visit")
    before = db.read_bytes()
    result = cli("activity", "edit", "1", "2", "--on", "2026-11-01")
    assert result.exit_code == 2 and "already has this activity (number 1)" in result.stderr
    assert db.read_bytes() == before


def test_updating_from_a_file_keeps_activities_and_terms(cli, tmp_path):
    cli.ok("add", "-p", "Kolding, Denmark", "-p", "Lahti, Finland", "-t", "twinning",
           "--signed", "2002-01-20", "--expires", "2027-03-01", "--notice", "2 months",
           "--renewal", "automatic", "--effective", "2002-02-01",
           "--council-resolution", "2001-12-01")  # fmt: skip
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2024-05-01", "--summary", "Visit")
    before = cli.ok("show", "1", "--format", "json").json()
    bare = tmp_path / "bare.csv"
    bare.write_text("a,ca,b,cb,t,s\nKolding,DK,Lahti,FI,twinning,2002-01-20\n", encoding="utf-8")
    mapping = ["--map", "party1.name=a", "--map", "party1.country=ca", "--map", "party2.name=b",
               "--map", "party2.country=cb", "--map", "type=t", "--map", "signed_on=s"]  # fmt: skip
    cli.ok("import", str(bare), *mapping, "--on-duplicate", "update")
    after = cli.ok("show", "1", "--format", "json").json()
    for field in ("activities", "effective_on", "council_resolution_on", "renewal", "notice"):
        assert after[field] == before[field], field
    exported = tmp_path / "own.csv"
    cli.ok("export", "-o", str(exported))
    again = cli.ok("import", str(exported), "--on-duplicate", "update")
    assert cli.ok("show", "1", "--format", "json").json()["activities"] == before["activities"]
    assert again.stderr == f"Imported 0 agreements from {exported}: 1 row read, 1 skipped\n"


def test_a_json_import_puts_activities_in_date_order_and_refuses_copies(cli, tmp_path):
    cli.ok(*AARHUS_QIXIA)
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2024-03-01", "--summary", "March")
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2024-02-01", "--summary", "February")
    record = cli.ok("show", "1", "--format", "json").json()
    record["activities"].reverse()
    shuffled = tmp_path / "shuffled.json"
    shuffled.write_text(json.dumps([record]), encoding="utf-8")
    other = Cli(tmp_path / "other.json")
    other.ok("import", str(shuffled))
    summaries = [
        a["summary"] for a in other.ok("show", "1", "--format", "json").json()["activities"]
    ]
    assert summaries == ["February", "March"]
    record["activities"].append(record["activities"][0])
    shuffled.write_text(json.dumps([record]), encoding="utf-8")
    third = Cli(tmp_path / "third.json")
    result = third("import", str(shuffled))
    assert result.exit_code == 2 and "repeats activity" in result.stderr


def test_an_activity_whose_id_now_names_another_agreement_is_refused(cli, db, tmp_path):
    cli.ok(*AARHUS_QIXIA)
    cli.ok(*DELEGATION)
    activities = tmp_path / "activities.csv"
    cli.ok("export", "--activities", "-o", str(activities))
    elsewhere = Cli(tmp_path / "elsewhere.json")
    elsewhere.ok("add", "-p", "Bergen, NO", "-p", "Seattle, US", "-t", "sister-city")
    result = elsewhere("import", "--activities", str(activities))
    assert result.exit_code == 2
    assert "agreement 1 is 'Bergen – Seattle' here, not 'Aarhus – Qixia" in result.stderr
    assert elsewhere.records()["1"]["activities"] == []
    short = tmp_path / "short.csv"
    short.write_text("agreement_id,kind,on,summary\n1,visit,2019-06,Choir\n", encoding="utf-8")
    elsewhere.ok("import", "--activities", str(short))
    assert elsewhere.records()["1"]["activities"][0]["summary"] == "Choir"


def test_search_reads_activities_too(cli):
    cli.ok(*AARHUS_QIXIA)
    cli.ok(*DELEGATION)
    found = cli.ok("list", "--search", "delegation to qixia", "--format", "json").json()
    assert [record["id"] for record in found] == [1]
    assert cli.ok("list", "--search", "draft programme", "--format", "json").json() != []


def _without_uids(records):
    """Stored records as an export carries them: a uid is its register's own."""
    return {key: {**record, "uid": None} for key, record in records.items()}
