"""Standard output that cannot take what is written: a full disk, a closed descriptor."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AARHUS_QIXIA

FULL = Path("/dev/full")


def into_full_disk(*args: str) -> subprocess.CompletedProcess[str]:
    """The command run as a user runs it, its standard output on a disk that is full."""
    with FULL.open("wb") as full:
        return subprocess.run(
            [sys.executable, "-m", "agreements", *args],
            stdout=full, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip


@pytest.mark.skipif(not FULL.exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize(
    "command",
    [["report", "--format", "md"], ["export", "--format", "json"], ["list"], ["summary"],
     ["show", "1"], ["--help"]],
)  # fmt: skip
def test_a_full_disk_behind_stdout_is_an_error_not_a_short_file(cli, command):
    cli.ok(*AARHUS_QIXIA)
    result = into_full_disk("--db", str(cli.db), *command)
    assert result.returncode == 6
    assert result.stderr.startswith("Error: cannot write to standard output: No space left")
    assert result.stderr.count("\n") == 1 and "bug" not in result.stderr


@pytest.mark.parametrize("with_db", [True, False])
def test_a_closed_stdout_is_said_in_one_line(cli, with_db):
    cli.ok(*AARHUS_QIXIA)
    command = ["--db", str(cli.db), "list"] if with_db else ["--version"]  # its own fast path
    result = subprocess.run(
        [sys.executable, "-m", "agreements", *command],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
        preexec_fn=lambda: __import__("os").close(1),
    )  # fmt: skip
    assert result.returncode == 6
    assert result.stderr == "Error: standard output is closed (send it to a file or a pipe)\n"


@pytest.mark.skipif(not FULL.exists(), reason="needs Linux's /dev/full")
def test_a_change_saved_before_stdout_fails_says_so(cli):
    result = into_full_disk("--db", str(cli.db), *AARHUS_QIXIA)
    assert result.returncode == 6
    assert result.stderr == (
        "Error: cannot write to standard output: No space left on device; the change was "
        "saved first, as operation #1 (see 'agreements history')\n"
    )
    assert cli.ok("list", "--format", "json").json()[0]["id"] == 1


@pytest.mark.skipif(not FULL.exists(), reason="needs Linux's /dev/full")
def test_version_on_a_full_disk_is_one_line():
    result = into_full_disk("--version")  # answered before anything else loads
    assert result.returncode == 6
    assert result.stderr == "Error: cannot write to standard output: No space left on device\n"
