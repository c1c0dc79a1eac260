"""Each kind of failure has its own exit code, and the README lists exactly those codes."""

import os
import re
import signal
import subprocess
import sys
import time

from conftest import AARHUS_QIXIA, REPO, interruptible, lock_held, run_process

from agreements.errors import ExitCode

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_lists_every_exit_code():
    section = README.split("## Exit codes and errors")[1].split("\n## ")[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)}
    assert documented == {code.value for code in ExitCode}


def test_each_kind_of_failure_has_its_code(cli, db, tmp_path):
    cli.ok(*AARHUS_QIXIA)
    assert cli("list", "--colour").exit_code == ExitCode.BAD_INPUT
    assert cli("show", "99").exit_code == ExitCode.NOT_FOUND
    with lock_held(db):
        busy = run_process(
            "--db", str(db), "edit", "1", "--place", "x", env={"AGREEMENTS_LOCK_TIMEOUT": "0"}
        )
    assert busy.returncode == ExitCode.BUSY
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert cli("--db", str(folder), "list").exit_code == ExitCode.IO
    db.write_bytes(b"{")
    assert cli("list").exit_code == ExitCode.CORRUPT


def test_an_interrupted_save_exits_130_and_changes_nothing(cli, db):
    cli.ok(*AARHUS_QIXIA)
    before = db.read_bytes()
    with interruptible(
        [sys.executable, "-m", "agreements", "--db", str(db), "edit", "1", "--place", "x"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "AGREEMENTS_FAULT": "after-fsync:sleep:20"},
    ) as process:
        deadline = time.monotonic() + 15
        while not list(db.parent.glob(".*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.05)  # wait until the new version is written but not yet in place
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=15)
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert "Traceback" not in stderr
    assert db.read_bytes() == before
    assert not list(db.parent.glob(".*.tmp"))
    cli.ok("edit", "1", "--place", "y")
