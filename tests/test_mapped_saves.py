"""A save of a large register: its agreements are found by halving the file, and the lines
it keeps are copied from the old file by the kernel (or written from the mapping where the
file system cannot copy); either way every line it did not change stays byte for byte."""

import errno
import os
import random

import pytest
from conftest import Cli, bench_registers

from agreements.store.foreign import MappedFile, read_mapped
from agreements.store.layout import seal

COUNT = 1_500


@pytest.fixture
def big(tmp_path):
    bench = bench_registers()
    db = tmp_path / "register.json"
    bench.write_register(db, bench.stored_records(bench.agreements(COUNT)))
    assert isinstance(read_mapped(db), MappedFile)
    return db


def _lines(db):
    """Each agreement's line of the file, by id, straight from its bytes."""
    content = db.read_bytes()
    head, rest = content.split(b"\n", 1)
    assert head == b'{"agreements":{'
    table, _ = rest.split(b"\n},\n", 1)
    lines = {}
    for line in table.split(b"\n"):
        key, _ = line.split(b":", 1)
        lines[int(key.strip(b'"'))] = line.rstrip(b",")
    return lines


def _saves(db):
    cli = Cli(db)
    cli.ok("edit", "700", "--note", "Edited in the middle")
    cli.ok("remove", "1", "--yes")
    cli.ok("remove", str(COUNT), "--yes")
    cli.ok("activity", "add", "2", "--kind", "visit", "--on", "2026-11-30", "--summary", "Visit")
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Rostock, DE", "-t", "twinning", "--signed", "2026")
    return cli


def _kept_as_they_were(before, after):
    changed = {1, 2, 700, COUNT, COUNT + 1}
    assert set(after) == set(before) - {1, COUNT} | {COUNT + 1}
    assert {n: line for n, line in after.items() if n not in changed} == {
        n: line for n, line in before.items() if n not in changed
    }
    assert b"Edited in the middle" in after[700] and b"Visit" in after[2]


def test_a_save_keeps_every_line_it_did_not_change(big):
    before = _lines(big)
    cli = _saves(big)
    after = _lines(big)
    _kept_as_they_were(before, after)
    assert cli("check").exit_code == 0
    assert cli.ok("show", "700", "--format", "json").json()["notes"] == "Edited in the middle"


@pytest.mark.parametrize(
    "refusal",
    [errno.EXDEV, *[pytest.param(n, marks=pytest.mark.slow) for n in (errno.ENOSYS, errno.EINVAL)]],
)
def test_where_the_kernel_cannot_copy_the_mapping_is_written(big, monkeypatch, refusal):
    def cannot(*args, **kwargs):
        raise OSError(refusal, os.strerror(refusal))

    monkeypatch.setattr(os, "copy_file_range", cannot)
    before = _lines(big)
    cli = _saves(big)
    _kept_as_they_were(before, _lines(big))
    assert cli("check").exit_code == 0


def test_a_kernel_that_copies_a_little_at_a_time_is_asked_again(big, monkeypatch):
    real, calls = os.copy_file_range, []

    def little(source, target, count, *offsets):
        calls.append(count)
        return real(source, target, min(count, 4096), *offsets)

    monkeypatch.setattr(os, "copy_file_range", little)
    before = _lines(big)
    cli = _saves(big)
    _kept_as_they_were(before, _lines(big))
    assert len(calls) > 100
    assert cli("check").exit_code == 0


def test_a_kernel_that_copies_nothing_has_the_mapping_written(big, monkeypatch):
    monkeypatch.setattr(os, "copy_file_range", lambda *args: 0)
    before = _lines(big)
    cli = _saves(big)
    _kept_as_they_were(before, _lines(big))
    assert cli("check").exit_code == 0


def test_a_file_cut_short_under_the_copy_fails_the_save_and_changes_nothing(big, monkeypatch):
    def cut_short(*args):  # as the file looks once another program has truncated it
        monkeypatch.setattr(os, "fstat", lambda descriptor: os.stat_result((0,) * 10))
        return 0

    monkeypatch.setattr(os, "copy_file_range", cut_short)
    before = big.read_bytes()
    result = Cli(big)("edit", "700", "--note", "Never saved")
    monkeypatch.undo()
    assert result.exit_code == 6, result.stderr
    assert "cannot write" in result.stderr and "cut short" in result.stderr
    assert big.read_bytes() == before
    assert not list(big.parent.glob(".*.tmp"))


def test_every_id_is_found_where_a_plain_pass_over_the_lines_finds_it(big):
    cli = Cli(big)
    for gone in (1, 2, 3, 700, 701, 1_200, COUNT):
        cli.ok("remove", str(gone), "--yes")
    stored = _lines(big)
    sealed = seal(read_mapped(big))
    assert sealed is not None
    wanted = [0, 1, 4, 699, 700, 702, COUNT - 1, COUNT, COUNT + 1, 10**6]
    wanted += random.Random(7).sample(range(COUNT + 5), 900)
    for number in wanted:  # fewer lookups than make the file index its lines
        found = sealed.agreement(number)
        assert (found is None) == (number not in stored), number
        if found is not None:
            assert stored[number] == b'"%d":%s' % (number, found)
    for number in range(COUNT + 5):  # and the rest from that index
        assert (sealed.agreement(number) is None) == (number not in stored), number
    assert cli("show", "700").exit_code == 3
    assert cli.ok("show", "699", "--format", "json").json()["id"] == 699
    assert cli.ok("show", str(COUNT - 1), "--format", "json").json()["id"] == COUNT - 1
