from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from click.testing import CliRunner

from agreements.cli import app
from agreements.domain.records import stored_record
from agreements.exchange.csv_files import write_csv

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample-register.json"
# The sample register as the release before schema 2 wrote it, byte for byte.
V1_REGISTER = REPO / "tests" / "data" / "register-v1.json"
# The sample register as the release before schema 3 wrote it, byte for byte.
V2_REGISTER = REPO / "tests" / "data" / "register-v2.json"
# The sample register as the release before schema 4 wrote it, byte for byte.
V3_REGISTER = REPO / "tests" / "data" / "register-v3.json"
PARTNERSHIPS_DE = REPO / "tests" / "data" / "partnerships-de.csv"
# How the README imports a list in the layout of ../shared/data/twin-towns-de.csv.
GERMAN_LIST_MAP = [
    "--map", "party1.name=gemeindename", "--map", "party1.parent=bundesland",
    "--set", "party1.country=DE",
    "--map", "party2.name=partnergemeinde", "--map", "party2.country=land",
    "--map", "signed_on=seit", "--map", "type=form",
    "--translate", "type:p=sister-city", "--translate", "type:f=friendship",
    "--translate", "type:k=other", "--set", "type=other",
]  # fmt: skip

AARHUS_QIXIA = [
    "add",
    "--party", "Aarhus, Denmark",
    "--party", "Qixia District (栖霞区), Nanjing, China",
    "--type", "collaboration",
    "--signed", "2 October 2012",
    "--place", "Aarhus City Hall",
    "--signatory", "Jacob Bundsgaard; Mayor; Aarhus",
    "--signatory", "Xing Zhengjun; Governor; Qixia District",
    "--sector", "cleantech",
    "--sector", "education?",
    "--contact", "Internationalt Kontor, Aarhus Kommune; primary contact; +45 8940 2195; ; Aarhus",
    "--note", "Areas of collaboration to be settled in spring 2013.",
    "--note", "The tie goes back to 1937 and Bernhard Arp Sindberg in Nanjing.",
    "--tag", "nordic-china",
]  # fmt: skip


@contextlib.contextmanager
def lock_held(db: Path) -> Iterator[None]:
    """The register's lock, held here by flock(2) as another agreements would hold it."""
    with open(str(db) + ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the real user database or depends on the caller's settings."""
    monkeypatch.setenv("AGREEMENTS_DB", str(tmp_path / "default" / "agreements.json"))
    monkeypatch.delenv("AGREEMENTS_DATE_ORDER", raising=False)
    monkeypatch.delenv("AGREEMENTS_TODAY", raising=False)
    monkeypatch.delenv("AGREEMENTS_COLLATION", raising=False)
    for name in ("LC_ALL", "LC_COLLATE"):  # titles sort by the locale's language otherwise
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("AGREEMENTS_PAGER", "cat")  # a test in a terminal never waits in less
    monkeypatch.setenv("AGREEMENTS_LOCK_TIMEOUT", "2")
    # An unforeseen exception fails the test loudly instead of becoming one line.
    monkeypatch.setenv("AGREEMENTS_DEBUG", "1")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "register.json"


# Typer builds the click command from the app on every call (18 ms); the tests build it once.
COMMAND = typer.main.get_command(app)


class Cli:
    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, *args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(COMMAND, ["--db", str(self.db), *args], input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, result.stderr
        return result

    def records(self) -> dict[str, Any]:
        return json.loads(self.db.read_text(encoding="utf-8")).get("agreements", {})


@pytest.fixture
def cli(db: Path) -> Cli:
    return Cli(db)


def pytest_configure(config: pytest.Config) -> None:
    """Compile the package once, before the workers start, as an installed package is:
    the command lines the tests start then load it compiled. Where the environment sets
    PYTHONDONTWRITEBYTECODE, each of them would otherwise compile it anew (about 90 ms a
    process on a slow machine, a tenth of the suite)."""
    if hasattr(config, "workerinput"):  # a worker: the controller did it
        return
    import compileall

    compileall.compile_dir(REPO / "agreements", quiet=1)


@contextlib.contextmanager
def interruptible(argv: list[str], **options: Any) -> Iterator[subprocess.Popen[str]]:
    """A child process that a test interrupts, never left running when the test fails.

    It gets SIGINT back as Python expects it: a shell that starts the suite in the
    background hands its children SIGINT ignored, and Python then never raises
    KeyboardInterrupt.
    """

    def default_interrupt() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    process = subprocess.Popen(argv, text=True, preexec_fn=default_interrupt, **options)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def run_process(
    *args: str, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, as a user runs it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "agreements", *args],
        capture_output=True, text=True, env=full_env, check=False, **kwargs,
    )  # fmt: skip


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def run_in_terminal(
    *args: str,
    columns: int = 80,
    rows: int = 200,
    env: dict[str, str | None] | None = None,
    colours: bool = False,
) -> tuple[int, str]:
    """The real command with a pseudo-terminal of that size for its input and output.

    Gives the exit code and what the terminal showed, without its colours unless asked.
    A variable of `env` set to None is taken out of the command's environment."""
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    given = {"COLUMNS": None, "LINES": None, **(env or {})}
    full_env = {**os.environ, "TERM": "xterm-256color"}
    for name, value in given.items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
    process = subprocess.Popen(
        [sys.executable, "-m", "agreements", *args],
        stdin=follower, stdout=follower, stderr=follower, env=full_env,
    )  # fmt: skip
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is gone once the command has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    code = process.wait(timeout=60)
    text = shown.decode("utf-8", errors="replace")
    if not colours:
        text = ANSI_ESCAPE.sub("", text)
    return code, text.replace("\r\n", "\n")


def csv_export(agreements, today) -> str:
    """Our CSV of these agreements, as `agreements export` writes it."""
    import io

    stream = io.BytesIO()
    write_csv(((a.id, stored_record(a)) for a in agreements), today, stream)
    return stream.getvalue().decode("utf-8")


def bench_registers() -> Any:
    """bench/registers.py, which builds the benchmark's registers, as a module."""
    import importlib.util

    path = Path(__file__).parent.parent / "bench" / "registers.py"
    spec = importlib.util.spec_from_file_location("registers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
