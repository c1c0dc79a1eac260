"""Files of an older schema: read as they are, upgraded by the first change, undoably."""

import json
import shutil

import orjson
import pytest
from conftest import AARHUS_QIXIA, SAMPLE, V1_REGISTER, Cli, run_process

from agreements.domain.migrations import MIGRATIONS, SCHEMA_VERSION
from agreements.store.layout import encode, encode_document

READERS = [
    ["list"], ["list", "--format", "json"], ["list", "--status", "active"], ["show", "1"],
    ["summary", "--format", "json"], ["export"], ["export", "--format", "json"],
    ["history"], ["check"], ["sectors", "list"],
]  # fmt: skip


def _register_of(tmp_path, content):
    db = tmp_path / "register.json"
    db.write_bytes(content)
    return db, Cli(db)


def _sealed(agreements, meta):
    lines = sorted((int(key), encode_document(record)) for key, record in agreements.items())
    return encode(lines, [], meta).content()


def test_the_steps_lead_from_schema_1_to_the_current_one_in_order():
    assert [step.version for step in MIGRATIONS] == list(range(2, SCHEMA_VERSION + 1))
    assert all(step.summary for step in MIGRATIONS)


def test_the_release_before_wrote_the_v1_fixture_and_it_reseals_to_the_same_bytes():
    data = json.loads(V1_REGISTER.read_bytes())
    assert data["meta"]["1"].keys() == {"checksum", "next_id"}
    assert _sealed(data["agreements"], {"next_id": 18}) == V1_REGISTER.read_bytes()


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_every_reading_command_reads_an_old_file_and_leaves_it_as_it_is(tmp_path, command):
    db, cli = _register_of(tmp_path, V1_REGISTER.read_bytes())
    result = cli(*command)
    assert result.exit_code == 0, result.stderr
    assert db.read_bytes() == V1_REGISTER.read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["register.json"]


def test_an_old_file_reads_as_the_same_records_as_its_upgrade(tmp_path):
    _old, old_cli = _register_of(tmp_path, V1_REGISTER.read_bytes())
    exported = old_cli.ok("export", "--format", "json").stdout
    old_cli.ok("add", "-p", "Vejle, DK", "-p", "Kolding, DK", "-t", "friendship")
    upgraded = old_cli.ok("export", "--format", "json").json()
    assert upgraded[:-1] == json.loads(exported)
    assert "schema 1: the file is read as it is" in Cli(V1_REGISTER).ok("check").stdout
    assert "schema" not in old_cli.ok("check").stdout


def test_the_first_change_upgrades_first_keeps_a_backup_and_undo_goes_back_byte_for_byte(
    tmp_path,
):
    old = V1_REGISTER.read_bytes()
    db, cli = _register_of(tmp_path, old)
    cli.ok("add", "-p", "Vejle, DK", "-p", "Kolding, DK", "-t", "friendship")
    assert (tmp_path / "register.json.bak").read_bytes() == old
    data = json.loads(db.read_bytes())
    assert data["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert all("status_manual" not in record for record in data["agreements"].values())
    assert data["agreements"]["1"]["status"] is None  # derived, so no longer stored
    operations = cli.ok("history", "--format", "json").json()
    assert [op["op"] for op in operations] == [1, 2]
    assert len(operations[0]["changes"]) == 17 + 1  # every agreement, and the meta line
    text = cli.ok("history").stdout
    assert f"upgraded the register file to schema {SCHEMA_VERSION} (17 agreements rewritten" in text
    assert "added agreement 18: Vejle – Kolding" in text
    undone = cli.ok("undo").stdout
    assert undone.startswith("Undid #2 ") and "removed agreement 18" in undone
    assert json.loads(db.read_bytes())["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert f"back in the schema before {SCHEMA_VERSION}" in cli.ok("undo").stdout
    assert db.read_bytes() == old
    assert cli("undo").exit_code == 3  # nothing left to undo


def test_a_command_that_changes_nothing_leaves_an_old_file_unupgraded(tmp_path):
    db, cli = _register_of(tmp_path, V1_REGISTER.read_bytes())
    assert "nothing changed" in cli.ok("edit", "1", "--place", "Aarhus City Hall").stderr
    exported = tmp_path / "again.csv"
    cli.ok("export", "-o", str(exported))
    assert "17 rows read, 17 skipped" in cli.ok("import", str(exported), "--dry-run").stderr
    assert db.read_bytes() == V1_REGISTER.read_bytes()
    assert not (tmp_path / "register.json.history").exists()


def test_a_file_of_a_newer_schema_is_refused_by_every_command(tmp_path):
    data = json.loads(V1_REGISTER.read_bytes())
    newer = _sealed(data["agreements"], {"next_id": 18, "schema_version": SCHEMA_VERSION + 1})
    db, cli = _register_of(tmp_path, newer)
    for command in [*READERS[:7], ["edit", "1", "--place", "x"]]:
        result = cli(*command)
        assert result.exit_code == 5, command
        assert result.stderr.startswith(f"Error: {db} cannot be read: it was written by a newer")
        assert len(result.stderr.splitlines()) == 1
    assert "written by a newer agreements" in cli("check").stdout
    assert db.read_bytes() == newer


def test_an_expiry_that_passed_after_an_old_save_shows_as_expired(tmp_path):
    data = json.loads(V1_REGISTER.read_bytes())
    stale = data["agreements"]["2"]
    stale.update(expires_on="2001", status="active", status_manual=False)  # saved in 2000
    _db, cli = _register_of(tmp_path, _sealed(data["agreements"], {"next_id": 18}))
    row = next(line for line in cli.ok("list").stdout.splitlines() if line.startswith("2\t"))
    assert row.split("\t")[3] == "expired"
    assert "expired (derived from the dates)" in cli.ok("show", "2").stdout
    assert cli.ok("show", "2", "--format", "json").json()["status"] == "expired"
    statuses = cli.ok("summary", "--format", "json", "--by", "status").json()["status"]
    assert {"value": "expired", "count": 1} in statuses
    changed = cli.ok("edit", "2", "--place", "Coventry Cathedral").stdout
    assert changed == 'Changed agreement 2:\n  place: — → "Coventry Cathedral"\n'
    latest = cli.ok("history", "--format", "json").json()[-1]["changes"]
    (change,) = latest
    differs = {key for key in change["after"] if change["before"][key] != change["after"][key]}
    assert differs == {"place", "updated_at"}


def test_an_expiry_passing_between_two_saves_is_logged_as_no_change(cli, db, monkeypatch):
    cli.ok(*AARHUS_QIXIA, "--expires", "2027-06")
    assert cli.ok("show", "1", "--format", "json").json()["status"] == "active"
    monkeypatch.setenv("AGREEMENTS_TODAY", "2028-01-01")
    assert "\texpired\t" in cli.ok("list").stdout
    assert cli.ok("show", "1", "--format", "json").json()["status"] == "expired"
    cli.ok("edit", "1", "--tag", "renewal")
    assert orjson.loads(db.read_bytes())["agreements"]["1"]["status"] is None
    text = cli.ok("history", "-n", "1").stdout
    assert (
        "changed agreement 1 (Aarhus – Qixia District (栖霞区)): tags: nordic-china → renewal"
        in text
    )
    assert "status" not in text


def test_the_real_process_upgrades_an_old_file_too(tmp_path):
    db, _ = _register_of(tmp_path, V1_REGISTER.read_bytes())
    result = run_process("--db", str(db), "edit", "3", "--place", "Oxford Town Hall")
    assert result.returncode == 0, result.stderr
    assert json.loads(db.read_bytes())["meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_a_whole_old_register_file_imports_as_its_upgrade(cli):
    result = cli.ok("import", str(V1_REGISTER))
    assert result.stderr == f"Imported 17 agreements from {V1_REGISTER}: 17 rows read\n"
    upgraded = json.loads(SAMPLE.read_bytes())["agreements"]
    assert cli.records() == upgraded


def test_dates_refused_since_schema_3_stay_readable_and_editable_in_older_files(tmp_path):
    """A schema-2 record signed in 2020 that expired in 2010 and was reviewed in 2015."""
    from conftest import REPO, Cli

    db = tmp_path / "older.json"
    shutil.copy(REPO / "tests" / "data" / "register-v2-early-expiry.json", db)
    cli = Cli(db)
    assert cli.ok("check").exit_code == 0
    assert cli.ok("show", "1", "--format", "json").json()["status"] == "expired"
    changed = cli.ok("edit", "1", "--place", "Town hall")  # a change to something else
    assert 'place: — → "Town hall"' in changed.stdout + changed.stderr
    again = cli("edit", "1", "--signed", "2021")  # a change to the dates is checked
    assert again.exit_code == 2
    assert again.stderr == "Error: the agreement would expire (2010) before it was signed (2021)\n"
    assert cli.ok("check").exit_code == 0


def test_an_import_still_refuses_such_dates(tmp_path):
    from conftest import REPO, Cli

    db = tmp_path / "older.json"
    shutil.copy(REPO / "tests" / "data" / "register-v2-early-expiry.json", db)
    exported = tmp_path / "older-export.json"
    Cli(db).ok("export", "-o", str(exported))
    fresh = Cli(tmp_path / "fresh.json")
    result = fresh("import", str(exported))
    assert result.exit_code == 2
    assert "would expire (2010) before it was signed (2020)" in result.stderr
    assert not (tmp_path / "fresh.json").exists()
