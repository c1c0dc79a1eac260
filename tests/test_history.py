"""History, undo and the backup: every change can be seen and taken back exactly."""

import json
import shutil

import pytest
from conftest import AARHUS_QIXIA, GERMAN_LIST_MAP, PARTNERSHIPS_DE, SAMPLE


def history_of(db):
    path = db.with_name(db.name + ".history")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def commits(db):
    return [entry for entry in history_of(db) if "command" in entry]


@pytest.fixture
def sample(cli, db):
    cli.ok("import", str(SAMPLE))
    return db


def test_every_change_is_one_operation_with_its_command_line(cli, sample):
    cli.ok("edit", "3", "--place", "Rådhuset")
    cli.ok("remove", "4", "--yes")
    cli.ok("sectors", "add", "food-security")
    operations = commits(sample)
    assert [op["op"] for op in operations] == [1, 2, 3, 4]
    assert operations[0]["changes"] == 18  # 17 agreements and the id counter
    assert operations[1]["command"].endswith("edit 3 --place 'Rådhuset'")
    assert operations[2]["command"].endswith("remove 4 --yes")


def test_history_shows_a_field_by_field_diff_newest_first(cli, sample):
    cli.ok("edit", "3", "--place", "Rådhuset", "--signed", "1980")
    shown = cli.ok("history").stdout.splitlines()
    assert shown[0].startswith("#2  ") and shown[0].endswith(
        "edit 3 --place 'Rådhuset' --signed 1980"
    )
    assert shown[1].strip().startswith("changed agreement 3 (")
    assert shown[2].strip() == "signed_on: 1947 → 1980"
    assert shown[3].strip() == 'place: — → "Rådhuset"'
    assert shown[4].startswith("#1  ") and shown[4].endswith(f"import {SAMPLE}")
    assert "added agreement 1:" in shown[5]
    assert shown[-1].strip().startswith("… and 7 more")


def test_history_of_one_agreement_and_show_ends_with_it(cli, sample):
    cli.ok("edit", "3", "--place", "Rådhuset")
    cli.ok("edit", "5", "--place", "Elsewhere")
    shown = cli.ok("history", "3").stdout
    assert "edit 3" in shown and "edit 5" not in shown and "added agreement 3" in shown
    details = cli.ok("show", "3").stdout.splitlines()
    assert details[-2].startswith("History") and "#1 " in details[-2]
    assert details[-1].startswith("History") and 'place: — → "Rådhuset"' in details[-1]
    assert cli("history", "99").exit_code == 3


def test_history_json_has_each_document_before_and_after(cli, sample):
    cli.ok("edit", "3", "--place", "Rådhuset")
    (operation,) = cli.ok("history", "-n", "1", "--format", "json").json()
    (change,) = operation["changes"]
    assert change["table"] == "agreements" and change["id"] == 3
    assert change["before"]["place"] is None and change["after"]["place"] == "Rådhuset"
    assert operation["undone_by"] is None


@pytest.mark.parametrize(
    "change",
    [
        ["import", str(PARTNERSHIPS_DE), *GERMAN_LIST_MAP],
        ["edit", "3", "--place", "Rådhuset", "--add-sector", "energy", "--clear", "notes"],
        ["remove", "4", "--yes"],
        ["sectors", "add", "food-security", "--synonym", "food safety"],
        AARHUS_QIXIA,
    ],
    ids=["import", "edit", "remove", "sectors add", "add"],
)
def test_undo_restores_the_file_byte_for_byte(cli, sample, change):
    before = sample.read_bytes()
    cli.ok(*change)
    assert sample.read_bytes() != before
    undone = cli.ok("undo")
    assert undone.stdout.startswith("Undid #2 ")
    assert sample.read_bytes() == before


def test_undo_walks_back_and_is_recorded(cli, db):
    states = [b""]
    cli.ok(*AARHUS_QIXIA)
    states.append(db.read_bytes())
    cli.ok("edit", "1", "--place", "Rådhuset")
    states.append(db.read_bytes())
    cli.ok("edit", "1", "--add-tag", "energy")
    cli.ok("undo")
    assert db.read_bytes() == states[2]
    cli.ok("undo")
    assert db.read_bytes() == states[1]
    shown = cli.ok("history").stdout
    assert "(undid #3)" in shown and "(undid #2)" in shown
    assert "[undone by #4]" in shown and "[undone by #5]" in shown
    cli.ok("undo")
    assert cli.records() == {}
    nothing = cli("undo")
    assert nothing.exit_code == 3 and "nothing to undo" in nothing.stderr


def test_undo_of_a_large_import_is_one_step(cli, db, tmp_path):
    rows = [
        {"type": "friendship", "parties": [{"name": f"Town {n}"}, {"name": "Aarhus"}]}
        for n in range(5000)
    ]
    source = tmp_path / "many.json"
    source.write_text(json.dumps(rows), encoding="utf-8")
    cli.ok(*AARHUS_QIXIA)
    before = db.read_bytes()
    cli.ok("import", str(source))
    assert len(cli.records()) == 5001
    undone = cli.ok("undo").stdout.splitlines()
    assert "… and 4,980 more" in undone[-1]
    assert db.read_bytes() == before


def test_undo_refuses_when_the_file_was_changed_by_hand(cli, db):
    cli.ok(*AARHUS_QIXIA)
    data = json.loads(db.read_text(encoding="utf-8"))
    data["agreements"]["1"]["place"] = "Changed by hand"
    db.write_text(json.dumps(data), encoding="utf-8")
    changed = db.read_bytes()
    result = cli("undo")
    assert result.exit_code == 5 and "changed outside agreements" in result.stderr
    assert db.read_bytes() == changed


def test_backup_holds_the_version_before_the_last_change(cli, sample):
    backup = sample.with_name(sample.name + ".bak")
    before = sample.read_bytes()
    cli.ok("remove", "4", "--yes")
    assert backup.read_bytes() == before
    # Recovering after the history is gone: copy the backup back.
    sample.with_name(sample.name + ".history").unlink()
    assert cli("undo").exit_code == 3
    shutil.copyfile(backup, sample)
    assert cli.ok("show", "4", "--format", "json").json()["id"] == 4


def test_reading_commands_write_nothing(cli, sample):
    files = sorted(p.name for p in sample.parent.iterdir())
    history = sample.with_name(sample.name + ".history").read_bytes()
    for command in (["list"], ["show", "1"], ["summary"], ["history"], ["check"], ["export"]):
        cli.ok(*command)
    assert sorted(p.name for p in sample.parent.iterdir()) == files
    assert sample.with_name(sample.name + ".history").read_bytes() == history


def test_an_edit_that_changes_nothing_is_not_an_operation(cli, sample):
    result = cli.ok("edit", "1", "--type", cli.ok("show", "1", "-f", "json").json()["type"])
    assert "nothing changed" in result.stderr
    assert len(commits(sample)) == 1


def test_history_and_backup_are_as_private_as_the_register(cli, db):
    cli.ok(*AARHUS_QIXIA)
    db.chmod(0o600)
    cli.ok("edit", "1", "--place", "Rådhuset")
    for path in (db, db.with_name(db.name + ".history"), db.with_name(db.name + ".bak")):
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_a_save_killed_after_logging_stays_in_the_history_as_not_applied(cli, sample):
    from conftest import run_process

    cli.ok("edit", "3", "--place", "Rådhuset")
    killed = run_process(
        "--db", str(sample), "edit", "3", "--place", "Never saved",
        env={"AGREEMENTS_FAULT": "after-history:kill"},
    )  # fmt: skip
    assert killed.returncode < 0
    assert "Never saved" in sample.with_name(sample.name + ".history").read_text("utf-8")
    shown = cli.ok("show", "3", "--format", "json").json()
    assert shown["place"] == "Rådhuset"
    listed = cli.ok("history", "3").stdout.split("\n#")
    assert "[not applied: the register does not hold its result]" in listed[0]
    assert '"Rådhuset" → "Never saved"' in listed[0]
    assert "[not applied" not in listed[1]
    assert "[not applied" in cli.ok("show", "3").stdout
    cli.ok("edit", "3", "--place", "Town Hall")  # the next save records it as not applied
    operations = cli.ok("history", "-f", "json").json()
    assert [op["applied"] for op in operations[-3:]] == [True, False, True]
    assert cli.ok("undo").stdout.startswith(f"Undid #{operations[-1]['op']} ")
    assert (
        "Undid #" + str(operations[-3]["op"]) in cli.ok("undo").stdout
    )  # past the one not applied
