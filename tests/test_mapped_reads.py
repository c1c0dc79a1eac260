"""Reading commands map a large register under a read lease: a program that rewrites the
file in place meanwhile waits until the reading is done, and a save of ours does not."""

import gc
import subprocess
import sys
import time

from conftest import Cli, bench_registers

from agreements.store.foreign import MappedFile, read_mapped


def _register(tmp_path):
    bench = bench_registers()
    db = tmp_path / "register.json"
    bench.write_register(db, bench.stored_records(bench.agreements(1_500)))
    assert db.stat().st_size > 1 << 20
    return db


def test_a_program_writing_in_place_waits_for_the_reading(tmp_path):
    db = _register(tmp_path)
    content = read_mapped(db)
    assert isinstance(content, MappedFile)
    before = content[:]
    writer = subprocess.Popen(
        [sys.executable, "-c", f"open({str(db)!r}, 'r+b').truncate(10)"],
    )
    time.sleep(0.5)
    assert writer.poll() is None  # waiting on the lease
    assert content[:] == before
    del content
    gc.collect()
    assert writer.wait(timeout=30) == 0
    assert db.stat().st_size == 10


def test_a_save_does_not_wait_for_a_reading(tmp_path):
    db = _register(tmp_path)
    content = read_mapped(db)
    assert isinstance(content, MappedFile)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "agreements", "--db", str(db), "edit", "7", "--note", "Saved"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 10
    assert b"Saved" not in content[:]  # the version it opened, whole
    assert Cli(db).ok("show", "7", "--format", "json").json()["notes"] == "Saved"


def test_small_registers_are_read_as_bytes(tmp_path, cli, db):
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Kiel, DE", "-t", "twinning")
    assert isinstance(read_mapped(db), bytes)
