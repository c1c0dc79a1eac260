"""The register file: atomic, locked, stable, and never overwritten when it cannot be read."""

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
import xxhash
from conftest import AARHUS_QIXIA, V1_REGISTER, run_process
from tinydb import TinyDB

from agreements.store.layout import seal


def test_file_is_strict_json_one_agreement_a_line_and_a_tinydb_database(cli, db):
    cli.ok(*AARHUS_QIXIA)
    cli.ok("add", "-p", "Vejle, DK", "-p", "Tondabayashi, JP", "-t", "sister-city")
    text = db.read_text(encoding="utf-8")
    data = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-JSON {name}"))
    lines = text.splitlines()
    assert lines[0] == '{"agreements":{'
    assert [json.loads(line.split(":", 1)[1].rstrip(",")) for line in lines[1:3]] == [
        data["agreements"]["1"],
        data["agreements"]["2"],
    ]
    assert (
        lines[1]
        == '"1":'
        + json.dumps(
            data["agreements"]["1"], sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        + ","
    )
    assert "栖霞区" in text  # readable, not \\u-escaped
    assert data["meta"]["1"]["next_id"] == 3
    with TinyDB(db, access_mode="r") as database:
        assert database.tables() == {"agreements", "sectors", "meta"}
        assert database.table("agreements").get(doc_id=2)["parties"][0]["name"] == "Vejle"


def test_a_register_in_another_layout_is_read_and_saved_in_ours(cli, db):
    with TinyDB(db, indent=4) as database:  # as TinyDB itself writes it
        database.table("agreements").insert(
            {"type": "friendship", "parties": [{"name": "Aarhus"}, {"name": "Turku"}]}
        )
    assert cli.ok("show", "1", "-f", "json").json()["title"] == "Aarhus – Turku"
    cli.ok("edit", "1", "--place", "Rådhuset")
    assert db.read_text(encoding="utf-8").startswith('{"agreements":{\n"1":{')
    assert cli.ok("check").stderr.strip().endswith("no problems in 1 agreement")


def with_checksum(content: bytes, checksum: str) -> bytes:
    body, meta = content.split(b'\n"meta":', 1)
    return body + b'\n"meta":' + meta.replace(meta.split(b'"')[5], checksum.encode())


def test_the_checksum_covers_every_byte_and_the_id_counter_and_schema(cli, db):
    cli.ok(*AARHUS_QIXIA)
    content = db.read_bytes()
    body = content[: content.index(b'\n"meta":') + len(b'\n"meta":')]
    meta = json.loads(content)["meta"]["1"]
    digest = xxhash.xxh3_128(body)
    digest.update(b'{"next_id":2,"schema_version":5}')
    assert meta["checksum"] == "xxh3-128+meta:" + digest.hexdigest()
    assert seal(content) is not None
    assert seal(content.replace(b"Aarhus", b"Aarhuz", 1)) is None
    assert seal(content.replace(b'"next_id":2', b'"next_id":1')) is None
    assert seal(content.replace(b',"schema_version":5', b"")) is None
    db.write_bytes(content.replace(b"Aarhus", b"Aarhuz", 1))
    assert cli("list").exit_code == 0  # read again, validated whole, and found sound


def test_a_lowered_id_counter_never_gives_an_id_twice(cli, db):
    cli.ok(*AARHUS_QIXIA)
    cli.ok("add", "-p", "Vejle, DK", "-p", "Kolding, DK", "-t", "friendship")
    cli.ok("remove", "2", "--yes")
    edited = db.read_bytes().replace(b'"next_id":3', b'"next_id":2')
    db.write_bytes(edited)
    refused = cli("add", "-p", "Oxford, UK", "-p", "Bonn, DE", "-t", "twinning")
    assert (
        refused.exit_code == 5 and "changed outside agreements after operation 3" in refused.stderr
    )
    assert db.read_bytes() == edited
    assert "the seal does not match" in cli("check").stdout
    cli.ok("check", "--accept-edit")
    assert cli.ok("add", "-p", "Oxford, UK", "-p", "Bonn, DE", "-t", "twinning").stdout == "3\n"
    assert sorted(cli.records()) == ["1", "3"]


def test_files_of_schema_1_sealed_with_xxh3_or_sha256_are_still_trusted(cli, db):
    content = V1_REGISTER.read_bytes()
    body = content[: content.index(b'\n"meta":') + len(b'\n"meta":')]
    assert json.loads(content)["meta"]["1"]["checksum"] == "xxh3-128:" + xxhash.xxh3_128_hexdigest(
        body
    )
    assert seal(content) is not None
    earlier = with_checksum(content, hashlib.sha256(body).hexdigest())
    assert seal(earlier) is not None
    assert seal(with_checksum(content, hashlib.sha256(body + b" ").hexdigest())) is None
    db.write_bytes(earlier)
    cli.ok("add", "-p", "Vejle, DK", "-p", "Kolding, DK", "-t", "friendship")
    assert json.loads(db.read_bytes())["meta"]["1"]["checksum"].startswith("xxh3-128+meta:")
    cli.ok("undo")
    cli.ok("undo")
    assert list(cli.records()) == list(json.loads(content)["agreements"])


def test_save_order_temp_fsync_history_backup_replace_folder_fsync(cli, db, monkeypatch):
    """Plan test 5: the live file is only ever replaced, after everything else is durable."""
    cli.ok(*AARHUS_QIXIA)
    inode = db.stat().st_ino
    events = []

    def track(name, real):
        def tracked(*args, **kwargs):
            paths = [_path_of(a) for a in args if isinstance(a, (int, str, os.PathLike))]
            if name == "open" and not args[1] & (os.O_WRONLY | os.O_RDWR):
                return real(*args, **kwargs)
            events.append((name, *paths))
            return real(*args, **kwargs)

        monkeypatch.setattr(os, name, tracked)

    for name in ("open", "fsync", "replace", "link"):
        track(name, getattr(os, name))
    cli.ok("edit", "1", "--place", "Rådhuset")
    history, backup = f"{db}.history", f"{db}.bak"
    link = str(db.parent / ".register.json.previous.tmp")
    temp = next(e[1] for e in events if e[0] == "open" and os.path.basename(e[1]).startswith("."))
    assert os.path.dirname(temp) == str(db.parent)
    order = [
        ("fsync", temp),
        ("fsync", history),
        ("link", str(db), link),
        ("replace", temp, str(db)),
        ("replace", link, backup),
        ("fsync", str(db.parent)),
    ]
    assert [event for event in events if event in order] == order
    assert not any(e[0] == "open" and e[1] == str(db) for e in events)  # never written in place
    assert db.stat().st_ino != inode and os.stat(backup).st_ino == inode
    assert not list(db.parent.glob(".*.tmp"))


def _path_of(value):
    if isinstance(value, int):
        try:
            return os.readlink(f"/proc/self/fd/{value}")
        except OSError:
            return value
    return str(value)


def test_a_failed_write_leaves_the_old_file(cli, db, monkeypatch):
    cli.ok(*AARHUS_QIXIA)
    before = db.read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = cli("edit", "1", "--place", "Rådhuset")
    assert result.exit_code == 6
    assert "the disk is full" in result.stderr
    assert db.read_bytes() == before
    assert not list(db.parent.glob(".*.tmp"))


def test_concurrent_adds_lose_nothing(tmp_path):
    db = tmp_path / "shared register ÆØÅ.json"

    def add(number):
        return run_process(
            "--db", str(db), "add", "-p", f"City {number}, DK", "-p", "Turku, FI", "-t", "twinning"
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(add, range(8)))
    assert [r.returncode for r in results] == [0] * 8
    records = json.loads(db.read_text(encoding="utf-8"))["agreements"]
    assert sorted(map(int, records)) == list(range(1, 9))
    assert sorted(int(r.stdout) for r in results) == list(range(1, 9))


def test_default_location_is_created_on_first_write(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("AGREEMENTS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    result = run_process(*AARHUS_QIXIA[:7])
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "xdg" / "agreements" / "agreements.json").exists()


def test_environment_variable_chooses_the_register(tmp_path):
    db = tmp_path / "from-env.json"
    run_process(*AARHUS_QIXIA[:7], env={"AGREEMENTS_DB": str(db)})
    assert db.exists()
