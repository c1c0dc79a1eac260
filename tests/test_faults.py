"""Crashes and failed writes at every step of a save (plan tests 1, 3, 9 and 10).

Each save is stopped at a named step with the test-only hook AGREEMENTS_FAULT. Before the
new file replaces the old one the register must be the old file byte for byte; after it,
the complete new one; never a mix. The next command must work and leave no temp file.
"""

import json
import resource
import signal
import time

import pytest
from conftest import SAMPLE, Cli, lock_held, run_process

from agreements.store.faults import AFTER_REPLACE, POINTS

BEFORE_REPLACE = [point for point in POINTS if point not in AFTER_REPLACE]
KILLED = -signal.SIGKILL


def commands(tmp_path):
    """Each kind of change: one that grows the file, edits it, shrinks it, and a bulk one."""
    rows = [
        {"type": "friendship", "parties": [{"name": f"Town {n}"}, {"name": "Aarhus"}]}
        for n in range(3)
    ]
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps(rows), encoding="utf-8")
    return {
        "add": ["add", "-p", "Aarhus, DK", "-p", "Rostock, DE", "-t", "twinning"],
        "edit": ["edit", "3", "--place", "Rådhuset", "--add-sector", "energy"],
        "remove": ["remove", "4", "--yes"],
        "import": ["import", str(extra)],
    }


def without_timestamps(content):
    data = json.loads(content)
    data["meta"]["1"].pop("checksum", None)  # it covers the timestamps too
    for record in data.get("agreements", {}).values():
        record.pop("created_at", None)
        record.pop("updated_at", None)
        record.pop("uid", None)  # a new agreement's is a digest of its timestamps too
    return data


def expected_after(tmp_path, db, command):
    """The register as the same command leaves it when nothing goes wrong."""
    reference = tmp_path / "reference" / db.name
    reference.parent.mkdir(exist_ok=True)
    reference.write_bytes(db.read_bytes())
    Cli(reference).ok(*command)
    return without_timestamps(reference.read_bytes())


def assert_old_or_new(db, point, old, new):
    content = db.read_bytes()
    if point in BEFORE_REPLACE:
        assert content == old, f"{point}: the register changed before the replace"
    else:
        assert without_timestamps(content) == new, f"{point}: not the complete new register"


def assert_next_command_works(db):
    cli = Cli(db)
    cli.ok("add", "-p", "Vejle, DK", "-p", "Tondabayashi, JP", "-t", "sister-city")
    checked = cli("check")
    assert checked.exit_code == 0, checked.stdout
    assert "the last matches the file" in checked.stdout
    assert not list(db.parent.glob(".*.tmp"))


@pytest.fixture
def sample(tmp_path):
    db = tmp_path / "register.json"
    Cli(db).ok("import", str(SAMPLE))
    return db


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_any_step_of_add_leaves_the_old_or_the_new_register(tmp_path, sample, point):
    kill_and_verify(tmp_path, sample, commands(tmp_path)["add"], point)


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("name", ["add", "edit", "remove", "import"])
def test_a_kill_at_any_step_of_a_50_mb_register(tmp_path, large_register, name, point):
    db = tmp_path / "register.json"
    db.write_bytes(large_register)
    kill_and_verify(tmp_path, db, commands(tmp_path)[name], point)


@pytest.fixture(scope="module")
def large_register(tmp_path_factory):
    """About 50 MB: the sample's 17 agreements and 7,000 more with long notes."""
    db = tmp_path_factory.mktemp("large") / "register.json"
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    template = data["agreements"]["1"]
    for number in range(18, 7018):
        data["agreements"][str(number)] = {
            **template,
            "title": f"Aarhus – Town {number}",
            "notes": f"Note {number}: " + "Samarbejde om grøn omstilling. " * 180,
        }
    data["meta"]["1"]["next_id"] = 7018
    del data["meta"]["1"]["checksum"]  # written by another program, not a copy of ours
    db.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), "utf-8")
    Cli(db).ok("edit", "1", "--add-tag", "large")  # saved once by us: our own layout
    return db.read_bytes()


def kill_and_verify(tmp_path, sample, command, point):
    old = sample.read_bytes()
    history_before = Cli(sample).ok("history", "-n", "0", "-f", "json").json()
    new = expected_after(tmp_path, sample, command)
    killed = run_process("--db", str(sample), *command, env={"AGREEMENTS_FAULT": f"{point}:kill"})
    assert killed.returncode == KILLED, killed.stderr
    assert_old_or_new(sample, point, old, new)
    history = Cli(sample).ok("history", "-n", "0", "-f", "json").json()
    applied = [operation for operation in history if operation["applied"]]
    logged = len(history_before) + (0 if point in BEFORE_REPLACE else 1)
    assert len(applied) == logged, "the history must count exactly the saves that happened"
    assert len(history) >= logged  # one that was logged but never reached the file stays
    assert_next_command_works(sample)


@pytest.mark.parametrize("point", BEFORE_REPLACE)
def test_a_full_disk_at_any_step_changes_nothing(tmp_path, sample, point):
    edit = commands(tmp_path)["edit"]
    files = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    failed = run_process(
        "--db",
        str(sample),
        *edit,
        env={"AGREEMENTS_FAULT": f"{point}:enospc"},
    )
    assert failed.returncode == 6, failed.stderr
    assert failed.stderr.startswith("Error: ") and "the disk is full" in failed.stderr
    assert len(failed.stderr.splitlines()) == 1
    after = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    assert after == files  # register, history and backup alike; no temp file left
    assert_next_command_works(sample)


def test_a_file_size_limit_is_a_clean_error(tmp_path, sample):
    old = sample.read_bytes()
    limit = len(old) // 2

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    failed = run_process(
        "--db", str(sample), *commands(tmp_path)["edit"], preexec_fn=limit_file_size
    )
    assert failed.returncode == 6, failed.stderr
    assert "the file is too large for this system" in failed.stderr
    assert sample.read_bytes() == old
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_killed_lock_holder_does_not_block_the_next_save(tmp_path, sample):
    killed = run_process(
        "--db", str(sample), *commands(tmp_path)["add"], env={"AGREEMENTS_FAULT": "after-lock:kill"}
    )
    assert killed.returncode == KILLED
    # Were the dead process's lock still held, this would wait 1 s and exit 4.
    result = run_process(
        "--db", str(sample), *commands(tmp_path)["add"], env={"AGREEMENTS_LOCK_TIMEOUT": "1"}
    )
    assert result.returncode == 0, result.stderr


def test_a_held_lock_gives_busy_after_the_timeout(tmp_path):
    db = tmp_path / "Kommune Århus register ÆØÅ 栖霞.json"
    Cli(db).ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning")
    before = db.read_bytes()
    with lock_held(db):
        started = time.monotonic()
        result = run_process(
            "--db", str(db), "edit", "1", "--place", "x", env={"AGREEMENTS_LOCK_TIMEOUT": "0.5"}
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 4
    assert result.stderr.startswith("Error: the database is in use by another process")
    assert db.read_bytes() == before
    assert elapsed >= 0.5


def test_the_fault_hook_is_refused_when_malformed(tmp_path, sample):
    result = run_process(
        "--db", str(sample), *commands(tmp_path)["add"], env={"AGREEMENTS_FAULT": "nowhere:kill"}
    )
    assert result.returncode == 2
    assert result.stderr == (
        "Error: AGREEMENTS_FAULT='nowhere:kill': expected <point>:<kill|enospc|sleep>\n"
    )
    assert sample.read_bytes() == SAMPLE.read_bytes()
