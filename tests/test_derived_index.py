"""`--search`, `summary` and `due` through the indexes beside the register give what they
give without them.

A folder in an index's place keeps agreements from using one, so the same command run
against a copy of the register with those folders is the plain full scan to compare with.
"""

import json
import os
import re
import shutil

import pytest
import xxhash
from conftest import Cli, bench_registers

SEARCHES = [
    "københavn",  # accents folded
    "KØBENHAVN",
    "Kobenhavn",
    "南京",  # another script
    "denmark",  # a country by its name, not stored in the record
    "send the report",  # the follow-up of an activity
    "visit in",
    "file 123",  # a note, and a prefix of longer numbers
    "1235",  # also a line's id in the index, which must not count by itself
    "frankfurt",
    "paris",
    "united states",
    "brandenburg",
    "renewed in 1980; file",
    "recount",  # a status reason
    "zzz no such text",
]


def _varied(records):
    for number, record in records:
        if number % 13 == 0:
            record.update(status="suspended", status_reason="elections; recount")
        if number % 29 == 0:
            record["parties"][1].update(country=None, country_at_signing="SUHH", name="Kyiv")
        if number % 31 == 0:  # namesakes: Frankfurt on the Main and on the Oder, Paris, Texas
            record["parties"][0].update(name="Frankfurt", parent="Brandenburg", country="DE")
            record["parties"][1].update(name="Paris", parent="Texas", country="US")
        if number % 37 == 0:
            record["parties"][0].update(name="Frankfurt", parent="Hessen", country="DE")
            record["parties"][1].update(name="Paris", parent=None, country="FR")
        for activity in record["activities"]:  # hosted by the party as now named
            activity["party"] = activity["party"] and record["parties"][0]["name"]
    return records


@pytest.fixture(scope="module")
def registers(tmp_path_factory):
    """The same register twice: one searched with the index, one without any."""
    bench = bench_registers()
    folder = tmp_path_factory.mktemp("search")
    indexed, plain = folder / "indexed" / "register.json", folder / "plain" / "register.json"
    for db in (indexed, plain):
        db.parent.mkdir()
        bench.write_register(db, _varied(bench.stored_records(bench.agreements(3_000))))
    for kind in ("search", "summary", "due"):
        (plain.parent / f"register.json.{kind}").mkdir()
    return indexed, plain


SUMMARY = ["summary", "--format", "json", "--top", "0", "--by", "sector", "--by", "country",
           "--by", "partner-country", "--by", "type", "--by", "year", "--by", "status",
           "--by", "activity", "--by", "activity-year"]  # fmt: skip


def _summary(db, *arguments):
    return Cli(db).ok(*SUMMARY, *arguments).stdout


def test_summary_with_the_index_counts_what_a_full_scan_counts(registers):
    indexed, plain = registers
    for as_of in ("2026-12-01", "2031-06-30", "1999-01-01"):
        counted = _summary(indexed, "--as-of", as_of)
        assert counted == _summary(plain, "--as-of", as_of)
        assert '"dormant"' in counted or as_of == "1999-01-01"
    assert (indexed.parent / "register.json.summary").is_file()


DUE = ["due", "--as-of", "2026-12-01", "--within", "2y", "--format", "csv"]


def _due(db):
    return Cli(db).ok(*DUE).stdout


def test_due_with_the_index_lists_what_it_lists_without(registers):
    indexed, plain = registers
    listed = _due(indexed)
    assert listed == _due(plain)
    assert listed.count("\n") > 1_000
    assert (indexed.parent / "register.json.due").read_bytes().startswith(b"agreements-due 1 ")
    for command in (["calendar"], ["due", "--format", "json", "--kind", "dormant"]):
        outputs = [Cli(db).ok(*command, "--as-of", "2027-03-01").stdout for db in registers]
        unstamped = [re.sub(r"DTSTAMP:\w+", "", output) for output in outputs]  # the clock's
        assert unstamped[0] == unstamped[1]


def _ids(db, *arguments):
    listed = Cli(db).ok("list", "--format", "json", "--sort", "id", *arguments).json()
    return [record["id"] for record in listed]


@pytest.mark.parametrize("text", SEARCHES)
def test_search_with_the_index_finds_what_a_full_scan_finds(registers, text):
    indexed, plain = registers
    found = _ids(indexed, "--search", text)
    assert found == _ids(plain, "--search", text)
    assert (indexed.parent / "register.json.search").is_file()
    assert found or text == "zzz no such text"


def test_search_with_other_filters_and_in_every_command(registers):
    indexed, plain = registers
    arguments = ["--search", "københavn", "--sector", "education", "--country", "CN"]
    assert _ids(indexed, *arguments) == _ids(plain, *arguments)
    for command in (["export", "--format", "json"], ["summary", "--format", "json"]):
        assert Cli(indexed).ok(*command, "--search", "send the report").stdout == (
            Cli(plain).ok(*command, "--search", "send the report").stdout
        )


def _copies(tmp_path, registers):
    """A copy of the indexed register and of the plain one, to change side by side."""
    copies = []
    for source, name in zip(registers, ("indexed", "plain"), strict=True):
        (tmp_path / name).mkdir()
        shutil.copyfile(source, tmp_path / name / "register.json")
        copies.append(tmp_path / name / "register.json")
    for kind in ("search", "summary", "due"):
        (tmp_path / "plain" / f"register.json.{kind}").mkdir()
    return copies


def test_changes_reach_the_index(tmp_path, registers):
    indexed, plain = _copies(tmp_path, registers)
    changes = [
        ["edit", "776", "--note", "Nothing about files"],
        ["remove", "774", "--yes"],
        [
            "activity",
            "add",
            "772",
            "--kind",
            "visit",
            "--on",
            "2026-11-30",
            "--summary",
            "Quixotic",
        ],
        [
            "activity",
            "add",
            "770",
            "--kind",
            "call",
            "--on",
            "2026-10-01",
            "--summary",
            "Planning call",
            "--follow-up",
            "2027-01",
            "--follow-up-note",
            "send the programme",
        ],
        ["add", "-p", "Aarhus, DK", "-p", "Kiel, DE", "-t", "twinning", "--note", "file 77"],
        ["undo"],
        ["add", "-p", "Aarhus, DK", "-p", "Kiel, DE", "-t", "twinning", "--note", "File 77a"],
    ]
    for change in changes:
        for db in (indexed, plain):
            Cli(db).ok(*change)
        for text in ("file 77", "quixotic", "nothing about"):
            found = _ids(indexed, "--search", text)
            assert found == _ids(plain, "--search", text), (change, text)
        assert _summary(indexed) == _summary(plain), change
        if change[0] in ("activity", "undo"):  # the due index is slower to compare
            assert _due(indexed) == _due(plain), change
    assert _due(indexed) == _due(plain)
    assert _ids(indexed, "--search", "quixotic") == [772]
    assert "send the programme" in _due(indexed)
    assert 774 not in _ids(indexed, "--search", "file 77")


@pytest.mark.parametrize(
    "damage",
    ["flipped byte", "truncated", "another register's", "empty", "another release's"],
)
def test_a_damaged_or_stale_index_is_never_believed(tmp_path, registers, damage):
    db, plain = _copies(tmp_path, registers)
    index = db.with_name("register.json.search")
    _ids(db, "--search", "file 1235")
    content = index.read_bytes()
    if damage == "flipped byte":
        position = content.index(b"file 1235")
        content = content[:position] + b"X" + content[position + 1 :]
    elif damage == "truncated":
        content = content[: len(content) // 2]
    elif damage == "another register's":
        for register in (db, plain):  # the index stays that of the file before the edit
            Cli(register).ok("edit", "1235", "--note", "renamed")
    elif damage == "empty":
        content = b""
    else:
        content = content.replace(b"agreements-search 1 0.1.0", b"agreements-search 1 0.0.9", 1)
    index.write_bytes(content)
    for text in ("file 1235", "renamed", "file 123"):
        assert _ids(db, "--search", text) == _ids(plain, "--search", text)
    assert index.read_bytes() != content  # made again


@pytest.mark.parametrize("damage", ["flipped byte", "another register's", "another release's"])
def test_a_damaged_or_stale_summary_index_is_never_believed(tmp_path, registers, damage):
    db, plain = _copies(tmp_path, registers)
    index = db.with_name("register.json.summary")
    _summary(db)
    content = index.read_bytes()
    if damage == "flipped byte":
        content = content.replace(b'"education"', b'"educatiom"', 1)
    elif damage == "another register's":
        for register in (db, plain):
            Cli(register).ok("edit", "1235", "--sector", "water", "--type", "friendship")
    else:
        content = content.replace(b"agreements-summary 1 0.1.0", b"agreements-summary 1 0.0", 1)
    index.write_bytes(content)
    assert _summary(db) == _summary(plain)
    assert index.read_bytes() != content


@pytest.mark.parametrize(
    "damage", ["flipped byte", "another register's", "another release's", "not facts"]
)
def test_a_damaged_or_stale_due_index_is_never_believed(tmp_path, registers, damage):
    db, plain = _copies(tmp_path, registers)
    index = db.with_name("register.json.due")
    _due(db)
    content = index.read_bytes()
    header, body = content.split(b"\n", 1)
    if damage == "flipped byte":
        content = content.replace(b"Send the report", b"Send the rePort", 1)
    elif damage == "another register's":
        for register in (db, plain):
            Cli(register).ok("edit", "1235", "--review", "2027-02-01")
    elif damage == "another release's":
        content = content.replace(b"agreements-due 1 0.1.0", b"agreements-due 1 0.0.9", 1)
    else:  # what an index of another shape would hold, under a checksum that holds
        body = b"".join(line.split(b" [", 1)[0] + b' [1,"two",[3]]\n' for line in body.splitlines())
        fields = header.split(b" ")
        fields[-1] = xxhash.xxh3_128_hexdigest(body).encode()
        content = b" ".join(fields) + b"\n" + body
    index.write_bytes(content)
    assert _due(db) == _due(plain)
    if damage == "not facts":  # put aside, and made again by the next command
        assert not index.exists()
        assert _due(db) == _due(plain)
    assert index.read_bytes() != content
    assert index.read_bytes().startswith(b"agreements-due 1 ")


@pytest.mark.parametrize("command", ["due", "calendar"])
def test_a_due_index_of_texts_that_are_not_texts_is_put_aside(tmp_path, registers, command):
    """Numbers where the titles, notes and descriptions belong, under a checksum that holds:
    both commands answer from the records, as with no index, and the index is made again."""
    db, plain = _copies(tmp_path, registers)
    index = db.with_name("register.json.due")
    _due(db)
    header, body = index.read_bytes().split(b"\n", 1)
    lines = []
    for line in body.splitlines():
        head, facts = line.split(b" [", 1)
        shaped = json.loads(b"[" + facts)
        if shaped[6] is not None:
            shaped[6][3] = 5
        for follow_up in shaped[9]:
            follow_up[4] = 7
        shaped[10] = 9
        lines.append(head + b" " + json.dumps(shaped, separators=(",", ":")).encode() + b"\n")
    body = b"".join(lines)
    fields = header.split(b" ")
    fields[-1] = xxhash.xxh3_128_hexdigest(body).encode()
    index.write_bytes(b" ".join(fields) + b"\n" + body)
    asked = [*DUE] if command == "due" else ["calendar", *DUE[DUE.index("--as-of") :][:2]]
    answer = Cli(db).ok(*asked).stdout
    expected = Cli(plain).ok(*asked).stdout
    if command == "calendar":
        answer, expected = (re.sub(r"DTSTAMP:\w+", "", text) for text in (answer, expected))
    assert answer == expected
    assert not index.exists()


def test_a_foreign_file_in_the_index_place_is_left_alone(tmp_path, registers):
    db = tmp_path / "register.json"
    shutil.copyfile(registers[0], db)
    elsewhere = tmp_path / "notes.txt"
    elsewhere.write_text("mine\n")
    index = tmp_path / "register.json.search"
    index.symlink_to(elsewhere)
    assert _ids(db, "--search", "file 1235") == [1235]
    assert index.is_symlink() and elsewhere.read_text() == "mine\n"
    index.unlink()
    index.write_text("someone else's file\n")
    assert _ids(db, "--search", "file 1235") == [1235]
    assert index.read_text() == "someone else's file\n"
    result = Cli(db)("export", "-o", str(index))
    assert result.exit_code == 2 and "register's own file" in result.stderr


def test_the_index_is_as_private_as_the_register(tmp_path, registers):
    db = tmp_path / "register.json"
    shutil.copyfile(registers[0], db)
    db.chmod(0o600)
    _ids(db, "--search", "aarhus")
    assert (tmp_path / "register.json.search").stat().st_mode & 0o777 == 0o600
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_a_big_register_edited_by_hand_is_read_whole_and_searched_without_the_index(
    tmp_path, registers
):
    db = tmp_path / "register.json"
    content = registers[0].read_bytes()
    assert len(content) > 1 << 20  # mapped rather than read, when sealed
    start = content.index(b'"title":"', content.index(b'\n"1235":')) + len(b'"title":"')
    db.write_bytes(content[:start] + b"Zanzibar " + content[start:])
    _ids(registers[0], "--search", "aarhus")  # an index of the file before the edit
    shutil.copyfile(
        registers[0].with_name("register.json.search"), db.with_name(db.name + ".search")
    )
    assert _ids(db, "--search", "zanzibar") == [1235]
    assert Cli(db)("check").exit_code != 0
