"""Slow fault and concurrency checks, run by CI as their own step: `pytest -m slow`.

Plan tests 2 (random kills), 6 (concurrent adds), 7 (lost updates), 8 (readers during
writes) and the timing half of 10 (busy within the timeout).
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import SAMPLE, Cli, lock_held, run_process

pytestmark = pytest.mark.slow

WAIT = {"AGREEMENTS_LOCK_TIMEOUT": "120"}


def start(*args, env=None):
    return subprocess.Popen(
        [sys.executable, "-m", "agreements", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


def test_twenty_concurrent_adds_ten_times(tmp_path):
    db = tmp_path / "register.json"
    for round_number in range(10):

        def add(number, round_number=round_number):
            return run_process(
                "--db", str(db), "add", "-p", f"City {round_number}-{number}, DK",
                "-p", "Turku, FI", "-t", "twinning", env=WAIT,
            )  # fmt: skip

        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(add, range(20)))
        assert [r.returncode for r in results] == [0] * 20, [r.stderr for r in results]
        records = json.loads(db.read_text(encoding="utf-8"))["agreements"]
        assert len(records) == 20 * (round_number + 1)
        assert len({r["parties"][0]["name"] for r in records.values()}) == len(records)
        ids = [int(r.stdout) for r in results]
        assert len(set(ids)) == 20


def test_twenty_concurrent_edits_of_one_record_all_land(tmp_path):
    db = tmp_path / "register.json"
    Cli(db).ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning")

    def add_tag(number):
        return run_process("--db", str(db), "edit", "1", "--add-tag", f"tag-{number}", env=WAIT)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(add_tag, range(20)))
    assert [r.returncode for r in results] == [0] * 20, [r.stderr for r in results]
    tags = Cli(db).records()["1"]["tags"]
    assert sorted(tags) == sorted(f"tag-{n}" for n in range(20))


def test_readers_see_a_whole_register_while_a_writer_edits(tmp_path):
    db = tmp_path / "register.json"
    Cli(db).ok("import", str(SAMPLE))
    script = (
        "import sys\n"
        "from agreements.cli import app\n"
        "for n in range(300):\n"
        "    try:\n"
        "        app(['--db', sys.argv[1], 'edit', str(n % 17 + 1), '--place', f'Place {n}'])\n"
        "    except SystemExit as done:\n"
        "        assert done.code == 0, done.code\n"
    )  # 300 edits, each a whole locked save, in one process to keep the test short
    writer = subprocess.Popen(
        [sys.executable, "-c", script, str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def read_until_done(_):
        reads = 0
        while writer.poll() is None or reads == 0:
            result = run_process("--db", str(db), "list", "--format", "json")
            assert result.returncode == 0, result.stderr
            assert len(json.loads(result.stdout)) == 17
            reads += 1
        return reads

    with ThreadPoolExecutor(max_workers=4) as pool:
        reads = list(pool.map(read_until_done, range(4)))
    assert writer.wait() == 0
    assert min(reads) > 0
    history = Cli(db).ok("history", "-n", "0", "-f", "json").json()
    assert len(history) == 301


def test_random_kills_during_edits_never_leave_a_mix(tmp_path):
    """200 kills at random moments; the file is always the old one or the whole new one."""
    db = tmp_path / "register.json"
    Cli(db).ok("import", str(SAMPLE))
    data = json.loads(db.read_text(encoding="utf-8"))
    template = data["agreements"]["1"]
    rows = [{**template, "title": f"Town {n}", "notes": "x" * 5000} for n in range(700)]
    bulk = tmp_path / "bulk.json"
    bulk.write_text(json.dumps(rows), encoding="utf-8")
    Cli(db).ok("import", str(bulk))  # about 5 MB
    rng = random.Random(20261128)
    landed = 0
    for attempt in range(200):
        old = db.read_bytes()
        process = start("--db", str(db), "edit", "3", "--place", f"Place {attempt}", env=WAIT)
        time.sleep(rng.uniform(0.0, 0.8))
        process.send_signal(signal.SIGKILL)
        process.wait()
        content = db.read_bytes()
        place = json.loads(content)["agreements"]["3"]["place"]
        if content != old:
            assert place == f"Place {attempt}"
            landed += 1
    Cli(db).ok("edit", "3", "--place", "after the kills")  # also clears a killed save's temp file
    check = Cli(db)("check")
    assert check.exit_code == 0 and "the last matches the file" in check.stdout, check.stdout
    assert not list(tmp_path.glob(".*.tmp"))
    assert 0 < landed < 200  # the kills fell both before and after the replace


def test_busy_comes_within_the_timeout_and_a_half_second(tmp_path):
    db = tmp_path / "Kommune Århus register ÆØÅ 栖霞.json"
    Cli(db).ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning")
    free = tmp_path / "free.json"
    Cli(free).ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning")
    started_alone = time.monotonic()  # the same command where nobody holds the lock
    run_process("--db", str(free), "edit", "1", "--place", "x")
    startup = time.monotonic() - started_alone
    with lock_held(db):
        started = time.monotonic()
        result = run_process(
            "--db", str(db), "edit", "1", "--place", "x", env={"AGREEMENTS_LOCK_TIMEOUT": "1"}
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 4
    assert elapsed - startup <= 1.5
