"""CSV and TSV written on two cores are byte for byte what one process writes.

The threshold of a large register is lowered for these tests, so that a register of a few
thousand agreements is written in two halves, and compared with the same command run with
the threshold out of reach.
"""

import os

import pytest
from conftest import Cli, bench_registers

from agreements.store import parallel, snapshot

TWO_CORES = hasattr(os, "fork") and (os.cpu_count() or 1) > 1

COMMANDS = {
    "export": ["export"],
    "export tsv": ["export", "--format", "tsv"],
    "export for Excel in German": ["export", "--delimiter", ";", "--no-bom"],
    "export of a sector": ["export", "--sector", "education", "--country", "CN"],
    "export of a party": ["export", "--party", "københavn"],
    "list csv": ["list", "--format", "csv"],
    "list tsv of a type": ["list", "--format", "tsv", "--type", "sister-city"],
    "list csv of a former country": ["list", "--format", "csv", "--country", "Soviet Union"],
    "list csv of nothing": ["list", "--format", "csv", "--sector", "disaster-relief"],
}


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    bench = bench_registers()
    records = bench.stored_records(bench.agreements(2_500))
    for number, record in records:
        if number % 29 == 0:
            record["parties"][1].update(country=None, country_at_signing="SUHH", name="Kyiv")
        if number % 31 == 0:
            record["notes"] = '=HYPERLINK("x")\tand a tab; \\ a backslash\nand a line'
    db = tmp_path_factory.mktemp("two-cores") / "register.json"
    bench.write_register(db, records)
    return db


@pytest.mark.parametrize("name", COMMANDS)
def test_two_cores_write_what_one_writes(register, monkeypatch, name):
    monkeypatch.setattr(snapshot, "WORTH_TWO_CORES", 1 << 60)
    alone = Cli(register).ok(*COMMANDS[name]).stdout
    monkeypatch.setattr(snapshot, "WORTH_TWO_CORES", 0)
    assert Cli(register).ok(*COMMANDS[name]).stdout == alone
    assert alone.count("\n") > 1 or name == "list csv of nothing"


def test_the_halves_meet_between_two_lines(register, monkeypatch):
    monkeypatch.setattr(snapshot, "WORTH_TWO_CORES", 0)
    exported = Cli(register).ok("list", "--format", "tsv").stdout.splitlines()
    assert [int(line.split("\t")[0]) for line in exported[1:]] == list(range(1, 2_501))


def test_an_export_to_a_file_counts_both_halves(register, tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "WORTH_TWO_CORES", 0)
    result = Cli(register).ok("export", "-o", str(tmp_path / "all.csv"))
    assert "Exported 2500 agreements" in result.stderr
    assert (tmp_path / "all.csv").read_bytes().count(b"\r\n") == 2_501


def test_a_child_that_fails_leaves_its_half_to_the_parent(register, monkeypatch):
    monkeypatch.setattr(snapshot, "WORTH_TWO_CORES", 1 << 60)
    alone = Cli(register).ok("export").stdout
    monkeypatch.setattr(snapshot, "WORTH_TWO_CORES", 0)
    parent = os.getpid()
    real = parallel._written

    def failing(write, half):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        return real(write, half)

    monkeypatch.setattr(parallel, "_written", failing)
    assert Cli(register).ok("export").stdout == alone


@pytest.mark.skipif(not TWO_CORES, reason="one core: nothing is split")
def test_the_second_half_is_written_by_another_process(monkeypatch):
    monkeypatch.setattr(parallel, "WORTH_SPLITTING", 2)
    import io

    def write(items, stream, first):
        stream.write(b"%s:%d:%d\n" % (b"first" if first else b"rest", os.getpid(), sum(items)))
        return len(items)

    out = io.BytesIO()
    assert parallel.write_in_two_halves(([1, 2], [3, 4, 5]), write, out) == 5
    first, rest = out.getvalue().splitlines()
    assert first.startswith(b"first:%d:3" % os.getpid())
    assert rest.startswith(b"rest:") and rest.endswith(b":12")
    assert int(rest.split(b":")[1]) != os.getpid()
