"""The ways a hostile tester destroyed data in the store, one test each (issue 12).

Each starts from a copy of the sample register (17 agreements, next_id 18) and goes
through the real command line and the real files.
"""

import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest
import xxhash
from conftest import SAMPLE, V1_REGISTER, Cli, interruptible, run_process

from agreements.store.layout import encode, encode_document, seal

ADD = ["add", "-p", "Vejle, DK", "-p", "Kolding, DK", "-t", "friendship"]
ADD_MORE = ["add", "-p", "Oxford, UK", "-p", "Bonn, DE", "-t", "twinning"]


@pytest.fixture
def sample(tmp_path):
    db = tmp_path / "register.json"
    db.write_bytes(SAMPLE.read_bytes())
    return db


def companion(db, suffix):
    return db.with_name(db.name + suffix)


def resealed(content, change):
    """The file with `change` applied to its parsed tables, sealed again as agreements
    would seal it: what someone who knows the format could write."""
    data = json.loads(content)
    change(data)
    lines = sorted((int(k), encode_document(r)) for k, r in data["agreements"].items())
    sectors = sorted((int(k), encode_document(r)) for k, r in data.get("sectors", {}).items())
    meta = {k: v for k, v in data["meta"]["1"].items() if k != "checksum"}
    return encode(lines, sectors, meta).content()


def assert_refused(result, code, *words):
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    for word in words:
        assert word in result.stderr, result.stderr


# 1. A lowered id counter


@pytest.mark.parametrize("counter", [b"3", b"true", b"0", b"-5"])
def test_a_lowered_id_counter_never_overwrites_an_agreement(sample, counter):
    cli = Cli(sample)
    sample.write_bytes(sample.read_bytes().replace(b'"next_id":18', b'"next_id":' + counter))
    edited = sample.read_bytes()
    assert_refused(cli(*ADD), 5, "next_id" if counter != b"3" else "seal no longer matches")
    assert sample.read_bytes() == edited
    assert cli("check").exit_code == 5
    if counter == b"3":  # a counter, but below the ids in the file: keeping it is safe
        cli.ok("check", "--accept-edit")
        assert cli.ok(*ADD).stdout == "18\n"
    assert cli.records()["3"]["title"] == "Oxford – Bonn"


def test_a_lowered_counter_in_a_schema_1_file_whose_seal_ignores_it(tmp_path):
    db = tmp_path / "register.json"
    db.write_bytes(V1_REGISTER.read_bytes().replace(b'"next_id":18', b'"next_id":3'))
    assert seal(db.read_bytes()) is not None  # schema 1 seals the records, not the counter
    cli = Cli(db)
    assert "meta next_id is 3 but the highest id is 17" in cli("check").stdout
    assert cli.ok(*ADD).stdout == "18\n"
    assert cli.records()["3"]["title"] == "Oxford – Bonn"


def test_an_id_that_was_given_out_is_never_given_again(sample):
    cli = Cli(sample)
    cli.ok(*ADD)
    cli.ok("remove", "18", "--yes")
    sample.write_bytes(
        resealed(sample.read_bytes(), lambda data: data["meta"]["1"].update(next_id=18))
    )
    # The file is now byte for byte the one before the add: the history says so.
    assert "#1, #2 did not reach the file" in cli.ok("check").stdout
    assert cli.ok(*ADD_MORE).stdout == "19\n"


# 2. A key given twice


def test_a_record_pasted_twice_is_refused_not_dropped(sample):
    content = sample.read_bytes()
    first = content.split(b"\n")[1]
    copy = first.replace(b'"title":"Aarhus', b'"title":"Copy of Aarhus')
    pasted = content.replace(first, first + b"\n" + copy, 1)
    sample.write_bytes(pasted)
    cli = Cli(sample)
    checked = cli("check")
    assert checked.exit_code == 5
    assert "table 'agreements' names '1' twice" in checked.stdout
    for command in (["list"], ADD, ["edit", "2", "--place", "x"]):
        assert_refused(cli(*command), 5, "names '1' twice")
    assert sample.read_bytes() == pasted


def test_a_field_given_twice_is_refused(sample):
    content = sample.read_bytes()
    doubled = content.replace(b'"place":"Aarhus City Hall"', b'"place":"A","place":"B"', 1)
    sample.write_bytes(doubled)
    assert_refused(Cli(sample)("show", "1"), 5, "record 1 names 'place' twice")
    assert "record 1 names 'place' twice" in Cli(sample)("check").stdout


# 3. The backup put back by hand


def test_a_restored_backup_never_costs_the_history_its_latest_operation(sample):
    cli = Cli(sample)
    cli.ok(*ADD)
    sample.write_bytes(companion(sample, ".bak").read_bytes())  # cp db.bak db
    assert cli.ok(*ADD_MORE).stdout == "19\n"  # 18 was given out by an operation not applied
    history = cli.ok("history", "-f", "json").json()
    assert [(op["op"], op["applied"]) for op in history] == [(1, False), (2, True)]
    assert history[0]["changes"][0]["after"]["title"] == "Vejle – Kolding"  # still there
    assert "#1 did not reach the file" in cli.ok("check").stdout
    cli.ok("undo")
    assert "18" not in cli.records() and "19" not in cli.records()
    assert cli("undo").exit_code == 3  # #1 never reached the file: nothing left to undo


def test_the_backup_is_put_back_by_a_command_that_can_be_repeated(sample):
    cli = Cli(sample)
    cli.ok("edit", "1", "--place", "Rådhuset")
    edited = sample.read_bytes()
    said = cli.ok("check", "--restore-backup").stderr
    assert "Put the backup back as operation #2" in said
    assert cli.records()["1"]["place"] == "Aarhus City Hall"
    assert companion(sample, ".bak").read_bytes() == edited
    cli.ok("check", "--restore-backup")
    assert cli.records()["1"]["place"] == "Rådhuset"
    assert cli.ok("check").exit_code == 0


# 4. Output over the register's own files


@pytest.mark.parametrize("suffix", ["", ".bak", ".history", ".lock", ".search", ".summary", ".due"])
def test_no_output_lands_on_the_register_or_its_files(sample, tmp_path, suffix):
    cli = Cli(sample)
    cli.ok(*ADD)
    cli.ok("edit", "1", "--place", "x")
    target = companion(sample, suffix)
    target.touch()
    files = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    assert_refused(cli("export", "-o", str(target)), 2, "refusing to write the export")
    exported = tmp_path / "all.csv"
    cli.ok("export", "-o", str(exported))
    assert_refused(
        cli("import", str(exported), "--report", str(target)), 2, "refusing to write the report"
    )
    link = tmp_path / "innocent.csv"
    link.symlink_to(target)
    assert_refused(cli("export", "-o", str(link)), 2, "refusing to write the export")
    for name, content in files.items():
        assert (tmp_path / name).read_bytes() == content, name


# 5. A link or a foreign file where a companion belongs


@pytest.mark.parametrize("suffix", [".history", ".bak", ".lock"])
def test_a_link_at_a_companion_is_refused_and_its_target_untouched(sample, tmp_path, suffix):
    victim = tmp_path / "victim.txt"
    victim.write_text("private notes\n")
    victim.chmod(0o600)
    companion(sample, suffix).symlink_to(victim)
    cli = Cli(sample)
    assert_refused(cli(*ADD), 5, "is not a file agreements wrote: it is a symbolic link")
    assert victim.read_text() == "private notes\n"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o600
    assert sample.read_bytes() == SAMPLE.read_bytes()


@pytest.mark.parametrize("suffix", [".history", ".bak", ".lock"])
def test_someone_elses_file_at_a_companion_is_refused_untouched(sample, suffix):
    foreign = companion(sample, suffix)
    foreign.write_text("my notes, not a register\n")
    cli = Cli(sample)
    assert_refused(cli(*ADD), 5, "is not a file agreements wrote")
    assert foreign.read_text() == "my notes, not a register\n"
    assert "is not a file agreements wrote" in cli("check").stdout


# 6. The register reached through a link


def test_a_linked_register_stays_linked_and_shares_one_lock(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "register.json").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "link").mkdir()
    link = tmp_path / "link" / "db.json"
    link.symlink_to(real / "register.json")
    Cli(link).ok(*ADD)
    assert link.is_symlink()
    assert "18" in Cli(real / "register.json").records()
    assert (real / "register.json.history").exists()
    assert not (tmp_path / "link" / "db.json.history").exists()


# 7. A damaged history line


def test_a_damaged_last_commit_is_reported_never_cut_away(sample):
    cli = Cli(sample)
    cli.ok(*ADD)
    history = companion(sample, ".history")
    damaged = history.read_bytes().replace(b'"op":1,"time"', b'"op":1,"tyme"')
    history.write_bytes(damaged)
    for command in (ADD_MORE, ["undo"], ["edit", "1", "--place", "x"]):
        assert_refused(cli(*command), 5, "register.json.history is damaged at")
    assert history.read_bytes() == damaged
    assert "history: " in cli("check").stdout and cli("check").exit_code == 5


def test_the_latest_operations_are_read_without_the_rest(sample):
    cli = Cli(sample)
    cli.ok(*ADD)
    cli.ok(*ADD_MORE)
    history = companion(sample, ".history")
    content = history.read_bytes()
    second_line = content.split(b"\n")[1]  # in the first operation
    garbage = b'{"table":' + b"#" * (len(second_line) - 9)  # the same length: offsets hold
    history.write_bytes(content.replace(second_line, garbage, 1))
    assert cli.ok("history", "-n", "1").stdout.startswith("#2 ")  # the damage is not read
    assert cli("history", "-n", "0").exit_code == 5
    assert "is damaged at line 2" in cli("check").stdout


# 8. Ids beyond what JSON readers hold


@pytest.mark.parametrize(
    "big", ["18446744073709551614", "99999999999999999999999", "9007199254740992"]
)
def test_an_id_too_large_for_json_readers_is_refused(sample, tmp_path, big):
    cli = Cli(sample)
    exported = tmp_path / "one.csv"
    cli.ok("export", "-o", str(exported), "--tag", "nordic-china")
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = big + lines[1][lines[1].index(",") :]
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = Cli(tmp_path / "other.json")
    assert_refused(
        target("import", str(exported)), 2, "column 'id': expected a positive whole number up to"
    )
    target.ok(*ADD)


def test_a_register_with_an_id_too_large_is_refused(tmp_path):
    db = tmp_path / "register.json"
    record = json.loads(SAMPLE.read_bytes())["agreements"]["1"]
    db.write_text(json.dumps({"agreements": {"18446744073709551614": record}}))
    for command in (["list"], ADD, ["check"]):
        assert Cli(db)(*command).exit_code == 5
    assert "up to 9,007,199,254,740,991" in Cli(db)("check").stdout


# 9. Files of the wrong shape


@pytest.mark.parametrize(
    "content", [b'{"agreements":{},"x":1}', b'{"agreements":{},"meta":{"1":5}}'], ids=["x", "meta"]
)
@pytest.mark.parametrize("command", [["list"], ADD, ["check"]], ids=["list", "add", "check"])
def test_files_of_the_wrong_shape_are_refused(tmp_path, content, command):
    db = tmp_path / "register.json"
    db.write_bytes(content)
    result = Cli(db)(*command)
    assert result.exit_code == 5
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert db.read_bytes() == content


# 10. A valid seal over damage


def _no_traceback(db, *command):
    env = {"AGREEMENTS_DEBUG": ""}
    return run_process("--db", str(db), *command, env=env)


RESEALED = {
    "a missing field": lambda data: data["agreements"]["1"].pop("place"),
    "an unknown type": lambda data: data["agreements"]["1"].update(type="alliance"),
    "a number as a name": lambda data: data["agreements"]["1"]["parties"][0].update(name=42),
    "a number as a title": lambda data: data["agreements"]["1"].update(title=7),
}


# Every command against every damage in the slow step; a reading and a writing one by default.
SEALED_COMMANDS = [
    pytest.param(command, id=" ".join(command), marks=() if quick else pytest.mark.slow)
    for command, quick in (
        (["list"], True), (["show", "1"], False), (["summary"], False), (["export"], False),
        (["edit", "1", "--place", "x"], True), (["list", "--search", "aarhus"], False),
    )
]  # fmt: skip


@pytest.mark.parametrize("damage", RESEALED)
@pytest.mark.parametrize("command", SEALED_COMMANDS)
def test_damage_behind_a_seal_that_matches_is_refused_without_a_traceback(sample, damage, command):
    sample.write_bytes(resealed(sample.read_bytes(), RESEALED[damage]))
    assert seal(sample.read_bytes()) is not None
    before = sample.read_bytes()
    result = _no_traceback(sample, *command)
    assert "Traceback" not in result.stderr
    if result.returncode != 0:  # some commands never read the damaged field
        assert result.returncode == 5, result.stderr
        assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert sample.read_bytes() == before
    assert Cli(sample)("check").exit_code == 5


def test_two_records_on_one_line_or_one_id_twice_behind_a_matching_seal(sample):
    content = sample.read_bytes()
    lines = content.split(b"\n")
    joined = b"\n".join([lines[0], lines[1] + lines[2], *lines[3:]])
    twice = b"\n".join([lines[0], lines[1], lines[1], *lines[2:]])
    for damaged in (joined, twice):
        body = damaged[: damaged.index(b'\n"meta":') + len(b'\n"meta":')]
        digest = xxhash.xxh3_128(body)
        digest.update(b'{"next_id":18,"schema_version":3}')
        checksum = ("xxh3-128+meta:" + digest.hexdigest()).encode()
        damaged = (
            damaged[: damaged.rindex(b'"checksum":"') + 12]
            + checksum
            + b'","next_id":18,"schema_version":3}}}\n'
        )
        assert seal(damaged) is not None
        sample.write_bytes(damaged)
        for command in (["list"], ["summary"], ["export"], ["check"]):
            result = _no_traceback(sample, *command)
            assert result.returncode == 5, (command, result.stderr)
            assert "Traceback" not in result.stderr


# 11. Damage that still parses


def test_damage_that_still_parses_is_reported_and_never_sealed_over(sample):
    cli = Cli(sample)
    cli.ok("edit", "5", "--tag", "checked")
    edited = sample.read_bytes().replace(b"Volgograd", b"volgograd").replace(b"1947", b"1957")
    sample.write_bytes(edited)
    checked = cli("check")
    assert checked.exit_code == 5
    assert "the seal does not match" in checked.stdout
    assert_refused(cli(*ADD), 5, "was changed outside agreements after operation 1")
    assert sample.read_bytes() == edited
    cli.ok("check", "--accept-edit")
    assert cli.ok("check").exit_code == 0
    assert cli.ok(*ADD).stdout == "18\n"
    assert "Nothing to accept" in cli.ok("check", "--accept-edit").stderr


def test_a_hand_edit_of_a_file_without_history_is_kept_only_when_accepted(sample):
    edited = sample.read_bytes().replace(b"Volgograd", b"Stalingrad")
    sample.write_bytes(edited)
    cli = Cli(sample)
    assert_refused(cli(*ADD), 5, "its seal no longer matches it")
    assert "Accepted" in cli.ok("check", "--accept-edit").stderr
    assert "Stalingrad" in cli.ok("show", "2").stdout
    cli.ok(*ADD)


def test_an_edit_that_breaks_a_rule_cannot_be_accepted(sample):
    sample.write_bytes(
        sample.read_bytes().replace(b'"type":"cooperation"', b'"type":"alliance"', 1)
    )
    result = Cli(sample)("check", "--accept-edit")
    assert_refused(result, 5, "cannot be accepted as it is", "'alliance' is not one of")


# 12. Terminal injection: tests/test_output_safety.py


# 13. A long history: the latest operations are read from the end (above); the time and
# memory of check and history on a large history are measured in bench/.


# 14. Messages


def test_a_history_that_cannot_be_written_is_named(sample, monkeypatch):
    from agreements.store import history

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(history, "open_companion", refuse)
    assert_refused(Cli(sample)(*ADD), 6, "cannot write", "register.json.history: permission denied")


@pytest.mark.parametrize(
    ("point", "said"),
    [("before-replace", "Interrupted; nothing was changed"),
     ("after-replace", "Interrupted; the change was saved first, as operation #1")],
)  # fmt: skip
def test_an_interrupt_says_whether_the_change_was_saved(sample, point, said):
    env = {**os.environ, "AGREEMENTS_FAULT": f"{point}:sleep:5"}
    with interruptible(
        [sys.executable, "-m", "agreements", "--db", str(sample), *ADD],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    ) as process:  # fmt: skip
        deadline = time.monotonic() + 20
        while not companion(sample, ".lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130
    assert stderr.startswith(said), stderr


def test_a_utf_16_file_is_named_as_such(sample, tmp_path):
    text = tmp_path / "utf16.csv"
    text.write_text("gemeindename,land\nAachen,Spanien\n", encoding="utf-16")
    assert_refused(Cli(sample)("import", str(text)), 2, "is UTF-16", "--encoding utf-16")


def test_invalid_utf8_deep_in_the_register_is_named_where_it_is(sample):
    content = sample.read_bytes()
    at = content.index(b"Volgograd")
    sample.write_bytes(content[:at] + b"\xff" + content[at + 1 :])
    line = content.count(b"\n", 0, at) + 1
    assert_refused(Cli(sample)("list"), 5, f"at line {line}, column ", "not UTF-8")


def test_year_1_is_refused_for_what_it_is(sample):
    assert_refused(
        Cli(sample)(*ADD, "--signed", "0001-01-01"),
        2,
        "the year 1 is out of range: dates run from 1000",
    )


def test_check_says_which_version_the_backup_is(sample):
    cli = Cli(sample)
    cli.ok(*ADD)
    assert "the version before operation 1" in cli.ok("check").stdout
    killed = run_process(
        "--db", str(sample), *ADD_MORE, env={"AGREEMENTS_FAULT": "after-replace:kill"}
    )
    assert killed.returncode < 0
    assert "the version before operation 1" in cli.ok("check").stdout  # two versions back now


def test_a_pipe_given_as_the_register_is_refused_at_once(tmp_path):
    fifo = tmp_path / "register.json"
    os.mkfifo(fifo)
    result = run_process("--db", str(fifo), "list", timeout=10)
    assert result.returncode == 6
    assert result.stderr.startswith(f"Error: {fifo} is not a regular file")


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_file_to_import_that_names_a_key_twice_is_refused(tmp_path, suffix):
    record = '{"type":"friendship","parties":[{"name":"A"},{"name":"B"}],"title":"X","title":"Y"}'
    source = tmp_path / f"twice{suffix}"
    source.write_text(record if suffix == ".jsonl" else f"[{record}]", encoding="utf-8")
    cli = Cli(tmp_path / "register.json")
    result = cli("import", str(source))
    assert_refused(result, 2, "names 'title' twice", "keep only the last")
    assert not cli.db.exists()


def test_a_cut_off_append_of_long_lines_is_dropped_and_nothing_else(sample):
    cli = Cli(sample)
    cli.ok(*ADD)
    history = companion(sample, ".history")
    committed = history.read_bytes()
    line = b'{"table":"agreements","id":99,"op":2,"before":null,"after":{"notes":"' + b"x" * 200_000
    history.write_bytes(committed + (line + b'"}}\n') * 3 + line)  # killed mid-append
    assert cli.ok(*ADD_MORE).stdout == "19\n"
    assert history.read_bytes().startswith(committed)
    assert b"x" * 1000 not in history.read_bytes()[len(committed) :]
    assert cli.ok("check").exit_code == 0
