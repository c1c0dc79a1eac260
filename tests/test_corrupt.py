"""Damaged and hostile register files (plan tests 11 to 14).

Every command refuses them with one clean line and exit 5, writes nothing, and `check`
names every problem with its position, record and field.
"""

import json
import math

import pytest
from conftest import AARHUS_QIXIA, SAMPLE

from agreements.store import parallel

GOOD = SAMPLE.read_bytes()
RECORD = json.loads(GOOD)["agreements"]["1"]


def register_with(**fields):
    """The sample's first record with some fields replaced, as a whole register file."""
    return json.dumps({"agreements": {"1": {**RECORD, **fields}}}).encode()


CORRUPT = {
    "zero bytes": b"",
    "whitespace": b"  \n",
    "only NUL bytes": b"\0" * 4096,
    "truncated after one byte": GOOD[:1],
    "truncated in the middle": GOOD[: len(GOOD) // 2],
    "truncated before the last brace": GOOD[:-3],
    "trailing garbage": GOOD + b"}}",
    "the file twice": GOOD + GOOD,
    "NUL padding": GOOD + b"\0" * 512,
    "invalid utf-8": GOOD.replace("Århus".encode(), b"\xc5rhus", 1).replace(
        b"Aarhus", b"\xffrhus", 1
    ),
    "a byte order mark": b"\xef\xbb\xbf" + GOOD,
    "top level list": b"[]",
    "top level string": b'"register"',
    "top level null": b"null",
    "a record that is a string": b'{"agreements": {"1": "Aarhus"}}',
    "a record that is a list": b'{"agreements": {"1": []}}',
    "a table that is a list": b'{"agreements": []}',
    "a non-numeric id": b'{"agreements": {"one": {}}}',
    "id zero": b'{"agreements": {"0": {}}}',
    "a negative id": b'{"agreements": {"-4": {}}}',
    "NaN": b'{"agreements": {"1": {"title": NaN}}}',
    "Infinity": b'{"meta": {"1": {"next_id": Infinity}}}',
    "1e400": b'{"meta": {"1": {"next_id": 1e400}}}',
    "an unknown table": b'{"people": {}}',
    "an unknown table that is a list": b'{"people": []}',
    "a meta entry that is a number": b'{"meta": {"1": 5}}',
    "a meta table that is a list": b'{"meta": []}',
    "a meta entry agreements does not know": b'{"meta": {"2": {"next_id": 3}}}',
    "a meta field agreements does not know": b'{"meta": {"1": {"next_id": 3, "owner": "x"}}}',
    "a next id that is true": b'{"meta": {"1": {"next_id": true}}}',
    "a negative next id": b'{"meta": {"1": {"next_id": -5}}}',
    "a schema version that is text": b'{"meta": {"1": {"next_id": 2, "schema_version": "2"}}}',
    "schema version 0": b'{"meta": {"1": {"next_id": 2, "schema_version": 0}}}',
    "a sector that is text": b'{"sectors": {"1": "food"}}',
    "a sector table that is a list": b'{"sectors": []}',
    "synonyms that are not a list": b'{"sectors": {"1": {"name": "food", "synonyms": "x"}}}',
    "a record that is null": b'{"agreements": {"1": null}}',
    "parties that are text": register_with(parties="Aarhus; Qixia"),
    "parties that are numbers": register_with(parties=[1, 2]),
    "a party that is a list": register_with(parties=[["Aarhus"], {"name": "Qixia"}]),
    "sectors that are an object": register_with(sectors={"name": "cleantech"}),
    "tags that are numbers": register_with(tags=[1, 2]),
    "a title that is an object": register_with(title={"en": "x"}),
    "a sector without a name": b'{"sectors": {"1": {"synonyms": []}}}',
    "a next id that is text": b'{"meta": {"1": {"next_id": "x"}}}',
    "a record without parties": register_with(parties=[]),
    "a date that does not exist": register_with(signed_on="2023-02-29"),
    "status 42": register_with(status=42, status_manual=True),
    "an unknown field": register_with(colour="red"),
    "a 1 MB note that is a number list": register_with(notes=[1] * 250_000),
    "deep nesting": b'{"agreements": {"1": {"notes": ' + b"[" * 5000 + b"]" * 5000 + b"}}}",
    "nesting just within the parser": register_with(notes=json.loads("[" * 500 + "]" * 500)),
}

COMMANDS = {
    "list": ["list"],
    "show": ["show", "1"],
    "summary": ["summary"],
    "export": ["export"],
    "add": AARHUS_QIXIA,
    "edit": ["edit", "1", "--place", "x"],
    "remove": ["remove", "1", "--yes"],
    "import": ["import", str(SAMPLE)],
    "undo": ["undo"],
    "sectors list": ["sectors", "list"],
    "sectors add": ["sectors", "add", "food-security"],
    "check": ["check"],
}


# Every variant against a reading, a writing and the checking command by default; every
# command against every variant in the slow step.
QUICK = {"list", "add", "check"}
CASES = [
    pytest.param(variant, command, marks=() if command in QUICK else pytest.mark.slow)
    for variant in CORRUPT
    for command in COMMANDS
]


@pytest.mark.parametrize(("variant", "command"), CASES)
def test_a_damaged_file_is_refused_and_left_untouched(cli, db, variant, command):
    db.write_bytes(CORRUPT[variant])
    result = cli(*COMMANDS[command])
    assert result.exit_code == 5, result.stderr
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stdout + result.stderr
    if command != "check":
        assert "agreements check" in result.stderr
    assert db.read_bytes() == CORRUPT[variant]
    assert sorted(p.name for p in db.parent.iterdir() if p.name != "register.json.lock") == [
        "register.json"
    ]


def test_broken_json_names_its_position_in_the_error_and_in_check(cli, db):
    db.write_bytes(b'{\n  "agreements": {\n    "1": {,}\n  }\n}')
    result = cli("list")
    assert "line 3, column 11 (byte 30)" in result.stderr and str(db) in result.stderr
    checked = cli("check")
    assert checked.exit_code == 5
    assert checked.stdout.startswith("not valid JSON at line 3, column 11 (byte 30): ")


@pytest.mark.parametrize("split", [False, True], ids=["one process", "two halves"])
def test_check_lists_every_problem_by_record_and_field(cli, db, monkeypatch, split):
    if split:  # as for a large register: the second half is checked in a forked child
        monkeypatch.setattr(parallel, "WORTH_SPLITTING", 2)
    records = {
        "1": {**RECORD},
        "2": {**RECORD, "parties": [RECORD["parties"][0]], "signed_on": "2023-02-29"},
        "3": {**RECORD, "status": 42, "status_manual": True, "colour": "red"},
        "5": {**RECORD, "notes": "n" * 1_000_000},
        "7": {**RECORD, "signatories": [{"name": "X", "title": None, "party": "Nowhere"}]},
    }
    db.write_text(json.dumps({"agreements": records, "meta": {"1": {"next_id": 6}}}), "utf-8")
    result = cli("check")
    assert result.exit_code == 5
    problems = result.stdout.splitlines()
    assert "record 2, field 'signed_on': '2023-02-29' is not a real date" in problems[0]
    assert problems[1].startswith("record 3, field 'colour': unknown field")
    assert problems[2].startswith("record 3, field 'status': expected text, found int")
    assert problems[3] == (
        "record 7, field 'signatories': signatory 'X' signs for 'Nowhere', which is not a party"
    )
    assert problems[4] == "meta next_id is 6 but the highest id is 7: ids would be given twice"
    assert "5 problems" in result.stderr
    as_json = cli("check", "--format", "json")
    assert as_json.json()["clean"] is False and len(as_json.json()["problems"]) == 5


def test_check_reports_a_missing_party_once_the_fields_read(cli, db):
    db.write_text(
        json.dumps({"agreements": {"4": {**RECORD, "parties": [RECORD["parties"][0]]}}}), "utf-8"
    )
    problems = cli("check").stdout.splitlines()
    assert problems[0] == "record 4, field 'parties': an agreement needs at least two parties"


@pytest.mark.parametrize("split", [False, True], ids=["one process", "two halves"])
def test_check_names_dates_that_add_would_refuse_and_still_passes(cli, db, monkeypatch, split):
    if split:
        monkeypatch.setattr(parallel, "WORTH_SPLITTING", 2)
    cli.ok(*AARHUS_QIXIA)
    cli.ok(*AARHUS_QIXIA[:-2], "--review", "2030-01-01")
    data = json.loads(db.read_text("utf-8"))
    data["agreements"]["2"].update(expires_on="2001", review_on="2011-12")  # by hand
    db.write_text(json.dumps(data), "utf-8")
    cli.ok("check", "--accept-edit")
    result = cli.ok("check")
    lines = result.stdout.splitlines()
    refused = "; kept as saved, but add, edit and import refuse such dates"
    assert lines[:2] == [
        "record 2, field 'expires_on': the agreement would expire (2001) before it was signed "
        f"(2012-10-02){refused} (mend it with 'agreements edit 2')",
        "record 2, field 'review_on': the review (2011-12) would come before the signing "
        f"(2012-10-02){refused} (mend it with 'agreements edit 2')",
    ]
    assert "record 1" not in result.stdout
    assert "no problems in 2 agreements" in result.stderr
    assert cli("check", "--format", "json").json()["notes"][:2] == lines[:2]
    cli.ok("edit", "2", "--expires", "2030", "--review", "2029")
    assert "record 2" not in cli.ok("check").stdout


def test_check_on_a_sound_register(cli, db):
    cli.ok("import", str(SAMPLE))
    result = cli.ok("check")
    assert result.stdout.splitlines() == [
        "history: 1 operation, the last matches the file",
        "checked: strict JSON, no key named twice, the tables, ids and meta, 17 records field "
        "by field, the id counter, the seal (it matches) and the lines it vouches for, the "
        "lock, history and backup are files of agreements, every line of the history, and "
        "the history against the file",
    ]
    assert result.stderr.strip() == f"{db}: no problems in 17 agreements"
    assert cli("--db", str(db.parent / "none.json"), "check").exit_code == 3


def test_history_stays_readable_when_the_register_is_damaged(cli, db):
    cli.ok(*AARHUS_QIXIA)
    db.write_bytes(b"")
    shown = cli.ok("history").stdout
    assert "added agreement 1" in shown
    assert "changed outside agreements" in cli("check").stdout


def test_a_zero_byte_file_is_refused_and_a_missing_one_is_empty(cli, db):
    db.write_bytes(b"")
    assert cli(*AARHUS_QIXIA).exit_code == 5
    assert db.read_bytes() == b""
    missing = db.parent / "new" / "register.json"
    missing.parent.mkdir()
    assert cli("--db", str(missing), "list", "--format", "json").stdout.strip() == "[]"
    assert not list(missing.parent.iterdir())


def test_only_strict_json_reaches_the_file(cli, db, tmp_path):
    hostile = tmp_path / "hostile.json"
    hostile.write_text('[{"type": "friendship", "title": NaN, "parties": []}]', "utf-8")
    assert cli("import", str(hostile)).exit_code == 2
    cli.ok(*AARHUS_QIXIA)
    assert cli("edit", "1", "--signed", "1e400").exit_code == 2
    strict = json.loads(db.read_text("utf-8"), parse_constant=lambda name: pytest.fail(name))
    assert all(not isinstance(v, float) or math.isfinite(v) for v in _values(strict))


def _values(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)
    else:
        yield node
