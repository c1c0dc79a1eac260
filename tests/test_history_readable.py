"""history, undo, check and their messages as people read them (issue 14)."""

import os
import pty
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import AARHUS_QIXIA, COMMAND, SAMPLE, run_process
from rich.cells import cell_len

JSON_MARKS = ('{"', "[{", '["')


@pytest.fixture
def aarhus(cli, db):
    cli.ok(*AARHUS_QIXIA)
    return db


def no_json(text):
    return not any(mark in text for mark in JSON_MARKS)


def test_edit_history_and_undo_show_a_list_change_as_items_added_and_removed(cli, aarhus):
    edited = cli.ok("edit", "1", "--add-sector", "energy").stdout
    assert edited == "Changed agreement 1:\n  sectors: + energy\n"
    shown = cli.ok("history").stdout
    assert "changed agreement 1 (Aarhus – Qixia District (栖霞区)): sectors: + energy" in shown
    undone = cli.ok("undo").stdout
    assert undone.splitlines()[1].endswith("): sectors: − energy")
    assert all(no_json(text) for text in (edited, shown, undone, cli.ok("history").stdout))


def test_a_short_list_change_reads_as_before_and_after(cli, aarhus):
    edited = cli.ok("edit", "1", "--sector", "cleantech", "--sector", "energy").stdout
    assert "  sectors: cleantech, education (possible) → cleantech, energy\n" in edited


def test_parties_and_signatories_read_as_people_write_them(cli, aarhus):
    added = cli.ok("edit", "1", "--add-party", "Bergen, Norway").stdout
    assert "  parties: + Bergen, Norway\n" in added
    cleared = cli.ok("edit", "1", "--clear", "signatories").stdout
    assert "  signatories: − Jacob Bundsgaard (Mayor, Aarhus)\n" in cleared
    assert "  signatories: − Xing Zhengjun (Governor, Qixia District (栖霞区))\n" in cleared
    shown = cli.ok("show", "1").stdout
    history = [line for line in shown.splitlines() if line.startswith("History")]
    assert len(history) == 3
    assert "parties: + Bergen, Norway" in [line.strip() for line in shown.splitlines()]
    assert no_json(shown) and no_json(cli.ok("undo").stdout)


def test_scalars_read_as_words_and_dates_as_people_write_them(cli, aarhus):
    edited = cli.ok(
        "edit", "1", "--title", "Aarhus and Qixia", "--signed", "2012-10", "--review", "2027"
    ).stdout.splitlines()
    assert edited[1:] == [
        '  title: "Aarhus – Qixia District (栖霞区)" → "Aarhus and Qixia"',
        "  signed_on: 2 October 2012 → October 2012",
        "  review_on: — → 2027",
    ]


def test_a_long_text_shows_the_words_that_changed_not_two_lookalikes(cli, aarhus):
    note = "Areas of collaboration to be settled in spring 2013."
    old_notes = note + "\nThe tie goes back to 1937 and Bernhard Arp Sindberg in Nanjing."
    new_notes = old_notes.replace("1937", "1938")
    edited = cli.ok("edit", "1", "--note", new_notes.replace("\n", "\n")).stdout
    assert edited.splitlines()[1] == (
        '  notes: "…goes back to 1937 and Bernhard Arp…" → "…goes back to 1938 and Bernhard Arp…"'
    )


def test_history_json_keeps_the_exact_values(cli, aarhus):
    cli.ok("edit", "1", "--add-sector", "energy")
    (operation,) = cli.ok("history", "-n", "1", "--format", "json").json()
    (change,) = operation["changes"]
    assert change["after"]["sectors"][-1] == {"name": "energy", "certainty": "agreed"}


def test_history_wraps_to_the_terminal_instead_of_cutting(cli, aarhus, monkeypatch):
    from agreements.cli import context

    long_title = "A partnership title long enough to need two lines on any small terminal"
    cli.ok("edit", "1", "--title", long_title, "--place", "Rådhuset, Aarhus")
    monkeypatch.setattr(context, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(context, "out_console", lambda: type("C", (), {"width": 40})())
    shown = cli.ok("history").stdout
    assert all(cell_len(line) <= 40 for line in shown.splitlines())
    assert " ".join(shown.split()).count(long_title) == 3  # heading, title before → after
    assert "\n" + " " * 12 in shown  # a field's continuation indented under it
    monkeypatch.setattr(context, "out_console", lambda: type("C", (), {"width": 6})())
    narrow = cli.ok("history").stdout  # a width smaller than the indents still ends
    assert "".join(narrow.split()) == "".join(shown.split())


def test_in_a_terminal_80_columns_wide_nothing_is_json_or_wider(tmp_path):
    db = tmp_path / "R.json"
    db.write_bytes(SAMPLE.read_bytes())
    commands = [["edit", "1", "--add-sector", "energy"], ["history"], ["undo"]]
    outputs = []
    for command in commands:
        leader, follower = pty.openpty()
        os.set_blocking(leader, False)
        env = {**os.environ, "COLUMNS": "80", "LINES": "24", "TERM": "xterm"}
        env.pop("NO_COLOR", None)
        subprocess.run(
            [sys.executable, "-m", "agreements", "--db", str(db), *command],
            stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.DEVNULL,
            env=env, check=True, timeout=60,
        )  # fmt: skip
        os.close(follower)
        chunks = []
        try:
            while chunk := os.read(leader, 65536):
                chunks.append(chunk)
        except (BlockingIOError, OSError):
            pass
        os.close(leader)
        outputs.append(b"".join(chunks).decode())
    assert "sectors: + energy" in outputs[0] and "sectors: + energy" in outputs[1]
    assert "sectors: − energy" in outputs[2]
    for output in outputs:
        assert no_json(output)
        assert all(cell_len(line) <= 80 for line in output.replace("\r", "").splitlines())


def test_history_of_a_removed_agreement_lists_what_touched_it(cli, aarhus):
    cli.ok("edit", "1", "--place", "Rådhuset")
    cli.ok("remove", "1", "--yes")
    shown = cli.ok("history", "1").stdout
    headings = [line for line in shown.splitlines() if line.startswith("#")]
    assert [heading.split()[0] for heading in headings] == ["#3", "#2", "#1"]
    assert "removed agreement 1: Aarhus – Qixia District (栖霞区)" in shown
    assert [op["op"] for op in cli.ok("history", "1", "--format", "json").json()] == [1, 2, 3]
    unknown = cli("history", "2")
    assert unknown.exit_code == 3 and unknown.stderr.startswith("Error: no agreement with id 2")


def test_undo_where_there_is_no_register_creates_nothing(cli, db, tmp_path, monkeypatch):
    refused = cli("undo")
    assert refused.exit_code == 3
    assert refused.stderr == (
        f"Error: there is no register at {db}, so nothing to undo (check --db or $AGREEMENTS_DB)\n"
    )
    assert list(tmp_path.iterdir()) == []  # no lock file, no history
    # The user's own register, whose folder a change would create: not for an undo.
    monkeypatch.delenv("AGREEMENTS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = CliRunner().invoke(COMMAND, ["undo"])
    assert result.exit_code == 3 and "there is no register at" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_a_folder_that_cannot_hold_files_is_named_as_such(tmp_path):
    add = ["add", "--party", "Aarhus, Denmark", "--party", "Turku, Finland", "--type", "twinning"]
    result = CliRunner().invoke(COMMAND, ["--db", "/proc/x.json", *add])
    assert result.exit_code == 6
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "cannot lock" not in result.stderr and "No such file" not in result.stderr
    if os.geteuid() == 0:  # a user is stopped by the folder's permissions before that
        assert result.stderr.startswith(
            "Error: the folder /proc cannot hold a register: files cannot be created there"
        )


def test_an_empty_file_names_a_backup_only_when_there_is_one(cli, db):
    db.write_bytes(b"")
    refused = cli("list")
    assert refused.exit_code == 5 and ".bak" not in refused.stderr
    assert "there is no backup: delete the file only to start a new register" in refused.stderr
    checked = cli("check")
    assert checked.exit_code == 5 and ".bak" not in checked.stderr
    assert checked.stderr.endswith(": 1 problem (fix it in the file)\n")
    db.with_name(db.name + ".bak").write_bytes(b'{"agreements": {}}')
    refused = cli("list")
    assert "put the backup register.json.bak back with 'agreements check --restore-backup'" in (
        refused.stderr
    )
    assert "or put the backup register.json.bak back" in cli("check").stderr


def test_counts_of_one_are_singular(cli, db, aarhus, tmp_path):
    assert cli.ok("check").stderr == f"{db}: no problems in 1 agreement\n"
    assert "history: 1 operation, the last matches the file" in cli.ok("check").stdout
    cli.ok("edit", "1", "--place", "Rådhuset")
    assert cli.ok("history", "-n", "1").stderr == "(1 older operation; -n 0 shows all)\n"
    exported = tmp_path / "one.csv"
    cli.ok("export", "-o", str(exported), "--format", "csv")
    other = tmp_path / "other.json"
    imported = CliRunner().invoke(COMMAND, ["--db", str(other), "import", str(exported)])
    assert imported.stderr.startswith(f"Imported 1 agreement from {exported}: 1 row read")


@pytest.fixture
def large_import(cli, db, tmp_path):
    rows = tmp_path / "towns.csv"
    rows.write_text("a,b\n" + "".join(f"Town {n},Ville {n}\n" for n in range(25)), "utf-8")
    cli.ok("import", str(rows), "--map", "party1.name=a", "--map", "party2.name=b", "--set", "type=twinning")  # fmt: skip
    return db


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr("agreements.cli.history.stdin_is_terminal", lambda: True)


def test_undoing_a_large_import_on_a_terminal_asks_first(cli, large_import, terminal):
    before = large_import.read_bytes(), large_import.with_name("register.json.history").read_bytes()
    declined = cli("undo", input="n\n")
    assert declined.exit_code == 130
    assert "which changed 25 agreements? [y/N]" in declined.stderr
    assert declined.stderr.endswith("Nothing undone.\n") and declined.stdout == ""
    after = large_import.read_bytes(), large_import.with_name("register.json.history").read_bytes()
    assert after == before
    accepted = cli("undo", input="y\n")
    assert accepted.exit_code == 0 and accepted.stdout.startswith("Undid #1 ")
    assert cli.records() == {}


def test_yes_or_no_terminal_or_a_small_operation_does_not_ask(cli, large_import, terminal):
    cli.ok("edit", "1", "--place", "Rådhuset")
    assert "[y/N]" not in cli.ok("undo").stderr  # one agreement
    assert "[y/N]" not in cli.ok("undo", "-y").stderr and cli.records() == {}


def test_undoing_a_large_import_in_a_pipe_does_not_ask(cli, large_import):
    assert cli.ok("undo").stdout.startswith("Undid #1 ") and cli.records() == {}


def test_a_change_made_while_undo_asks_is_not_undone_unseen(
    cli, large_import, terminal, monkeypatch
):
    from agreements.store.register import Register

    asked = Register.next_undo

    def another_change_meanwhile(register):
        pending = asked(register)
        run_process("--db", str(large_import), "edit", "3", "--place", "Rådhuset")
        return pending

    monkeypatch.setattr(Register, "next_undo", another_change_meanwhile)
    refused = cli("undo", input="y\n")
    assert refused.exit_code == 4
    assert (
        "Error: the register changed while undo waited for an answer: the operation to undo is now #2, not #1"
        in refused.stderr
    )
    assert cli.records()["3"]["place"] == "Rådhuset" and len(cli.records()) == 25


def hand_edit(db):
    db.write_text(db.read_text("utf-8").replace("Aarhus", "Aarhuus", 1), "utf-8")


def numbers_named(text):
    import re

    return set(re.findall(r"operation #?(\d+)", text))


@pytest.fixture
def edited_by_hand(cli, db):
    db.write_bytes(SAMPLE.read_bytes())
    cli.ok("edit", "1", "--add-sector", "energy")
    cli.ok("edit", "2", "--add-sector", "energy")
    hand_edit(db)
    return db


def test_after_a_hand_edit_undo_and_check_name_the_same_operation(cli, edited_by_hand):
    undo = cli("undo")
    check = cli("check")
    assert undo.exit_code == check.exit_code == 5
    assert numbers_named(undo.stderr) == {"2"}
    outside = [line for line in check.stdout.splitlines() if "outside agreements after" in line]
    assert outside and numbers_named(" ".join(outside)) == {"2"}


def test_after_the_backup_is_put_back_and_undone_both_stop_at_the_hand_edit(cli, edited_by_hand):
    cli.ok("check", "--restore-backup")  # operation 3: the version after #1 again
    cli.ok("undo")  # operation 4: the hand-edited records again, sealed
    refused = cli("undo")
    assert refused.exit_code == 5
    message = "the register was changed outside agreements after operation 2, so undo cannot"
    assert message in refused.stderr
    check = cli.ok("check").stdout  # sound: the file is what operation 4 left
    assert f"undo: {message} restore it exactly" in check.splitlines()


def test_an_accepted_hand_edit_is_where_undo_stops_and_check_says_so(cli, edited_by_hand):
    cli.ok("check", "--accept-edit")  # operation 3, which records no change
    cli.ok("edit", "3", "--place", "Rådhuset")
    assert cli.ok("undo").stdout.startswith("Undid #4 ")
    before = edited_by_hand.read_bytes()
    refused = cli("undo")
    assert (
        refused.exit_code == 3 and "operation 3 took the file as it was changed" in refused.stderr
    )
    assert edited_by_hand.read_bytes() == before  # it used to say "Undid #3" and do nothing
    assert cli("undo").stderr == refused.stderr
    notes = [line for line in cli.ok("check").stdout.splitlines() if line.startswith("undo: ")]
    assert notes == ["undo: " + refused.stderr.removeprefix("Error: ").split(" (")[0]]
