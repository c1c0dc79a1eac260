"""Our own JSON list, read record by record in two processes, imports as the whole file
read at once does: the same register, report, messages and exit code."""

import copy
import io
import json
from datetime import date

import orjson
import pytest
from conftest import Cli, bench_registers

import agreements.exchange.importing as importing
import agreements.exchange.own_json as own_json
import agreements.exchange.registry as registry
from agreements.domain.strict_json import duplicate_keys, duplicate_keys_of
from agreements.exchange.json_files import write_json_list


def _varied(records):
    """Namesakes, former countries, accents written apart, and notes of two lines."""
    for number, record in records:
        first, second = record["parties"]
        if number % 19 == 0 and second["country"] == "DE":
            second["country_at_signing"] = "DDDE"
        if number % 23 == 0:
            second.update(name=first["name"], country=first["country"])
        if number % 29 == 0:
            record["notes"] = "first line\nsecond line"
    return records


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    registers = bench_registers()
    db = tmp_path_factory.mktemp("own-json") / "register.json"
    registers.write_register(db, _varied(registers.stored_records(registers.agreements(400))))
    return orjson.loads(Cli(db).ok("export", "--format", "json").stdout)


def _listed(records):
    stream = io.BytesIO()
    write_json_list(records, stream)
    return stream.getvalue().decode("utf-8")


def _again(record, **changes):
    copied = copy.deepcopy(record)
    copied.pop("id")
    return {**copied, **changes}


def _mixed(records):
    """Rows with every kind of problem, and rows that are one agreement."""
    rows = copy.deepcopy(records)
    rows[10]["type"] = "bogus"
    rows[11]["expires_on"] = "1900-01-01"
    rows[12]["title"] = "Evil \u202e title"
    rows[13]["title"] = "Bell \x07 title"
    rows[14]["parties"][0]["name"] = "Ko\u0308ln"
    rows[15]["notes"] = "=SUM(A1) \\ back"
    rows[16]["id"] = rows[17]["id"]
    rows[18]["parties"][1]["country"] = "XX1"
    rows[19]["sectors"] = [rows[19]["sectors"][0]] * 2
    rows[20]["id"] = rows[21]["id"]
    rows[20]["expires_on"] = "1900-01-01"
    rows += [
        _again(records[30], title="Another title", notes="More notes"),
        _again(records[31]),
        _again(records[31], place="Elsewhere"),
        _again(records[32], type="other" if records[32]["type"] != "other" else "friendship"),
        _again(records[33], created_at="", updated_at=""),
        {"title": "Few", "type": "friendship", "parties": [{"name": "Køge"}, {"name": "Kiel"}]},
    ]
    return rows


def _imported(tmp_path, name, source, args, *, base=None):
    db = tmp_path / f"{name}.json"
    if base is not None:
        Cli(db).ok("import", str(base))
    report = tmp_path / f"{name}-report.json"
    result = Cli(db)("import", str(source), "--report", str(report), *args)
    today = date.today().isoformat()
    stored = json.loads(db.read_text(encoding="utf-8")) if db.exists() else None
    for record in (stored or {}).get("agreements", {}).values():
        for stamp in ("created_at", "updated_at"):
            if record[stamp].startswith(today):
                record[stamp] = "now"
        if record["created_at"] == "now" and record["uid"] is not None:
            record["uid"] = "made now"  # a digest of the time it was made, among the rest
    if stored is not None:
        stored["meta"]["1"].pop("checksum")  # it covers the timestamps
    shown = report.read_text(encoding="utf-8") if report.exists() else None
    return result.exit_code, result.stdout, result.stderr, shown, stored


def _both_ways(monkeypatch, tmp_path, text, *args, fast=True, base=None):
    """Import `text` with the record-by-record reading split at every record, and with the
    whole file read at once; assert they agree."""
    source = tmp_path / "in.json"
    source.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    taken = []
    with monkeypatch.context() as patched:
        patched.setattr(own_json, "WORTH_SPLITTING", 2)
        patched.setattr(importing, "OWN_JSON_WORTH_SPLITTING", 2)
        patched.setattr(registry, "own_json_list", lambda data: taken.append(1) or split(data))
        split_way = _imported(tmp_path, "split", source, args, base=base)
    with monkeypatch.context() as patched:
        patched.setattr(registry, "own_json_list", lambda data: None)
        whole_way = _imported(tmp_path, "whole", source, args, base=base)
    assert taken
    assert split_way == whole_way
    return split_way


split = own_json.own_json_list


@pytest.mark.parametrize("args", [(), ("--skip-invalid",), ("--dry-run",)])
def test_a_mixed_list_imports_as_the_whole_file_does(exported, monkeypatch, tmp_path, args):
    code, stdout, stderr, _, _ = _both_ways(monkeypatch, tmp_path, _listed(_mixed(exported)), *args)
    assert "item 11" in stdout + stderr and "is not one of" in stdout + stderr
    assert code == (0 if args else 2)


def test_a_clean_list_is_read_record_by_record(exported, monkeypatch, tmp_path):
    text = _listed(exported)
    assert split(text.encode("utf-8")) is not None
    code, _, _, _, stored = _both_ways(monkeypatch, tmp_path, text)
    assert code == 0 and stored is not None and len(stored["agreements"]) == len(exported)
    with_bom = b"\xef\xbb\xbf" + text.encode("utf-8")
    assert _both_ways(monkeypatch, tmp_path, with_bom)[0] == 0


@pytest.mark.parametrize("option", ["skip", "update", "error"])
def test_rows_the_register_holds_meet_it_as_before(exported, monkeypatch, tmp_path, option):
    base = tmp_path / "base.json"
    base.write_text(_listed(exported), encoding="utf-8")
    changed = [
        _again(r, notes=f"changed {n}") if n % 3 else _again(r) for n, r in enumerate(exported)
    ]
    args = ("--on-duplicate", option, "--skip-invalid")
    _both_ways(monkeypatch, tmp_path, _listed(changed + _mixed(exported)[:25]), *args, base=base)


def _text_of_record(text, number):
    """Where record `number` (from 0) of a listed text begins."""
    position = 0
    for _ in range(number + 1):
        position = text.index("\n  {\n", position) + 1
    return position


@pytest.mark.parametrize(
    "change",
    [
        lambda text, at: text[:at] + '  {\n    "title": "twice",' + text[at + 3 :],
        lambda text, at: text[:at] + text[at:].replace("false", "fals", 1),
        lambda text, at: text[:at] + text[at:].replace('"title": "', '"title": "\\u00e9 ', 1),
        lambda text, at: text[:at] + text[at:].replace('"title": "', '"title": "\\u001b ', 1),
        lambda text, at: text[:at] + text[at:].replace('"notes": null', '"notes": [[[[1]]]]', 1),
        lambda text, at: text[:at] + text[at:].replace("\n  },\n  {", "\n  }, {", 1),
        lambda text, at: text.replace("\n", "\n\n"),
    ],
)
def test_a_file_that_does_not_split_cleanly_reads_as_before(
    exported, monkeypatch, tmp_path, change
):
    text = _listed(exported[:40])
    _both_ways(monkeypatch, tmp_path, change(text, _text_of_record(text, 7)))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "b": {"c": ":", "d": [1, {"e": "f:g"}]}}',
        '{"a": 1, "b": {"c": ":", "c": [1, {"e": "f:g"}]}}',
        '[{"a": 1}, {"a": 2, "a": 3}]',
        '{"a\\u003a": 1, "b": 2}',
        '{"a\\u003a": 1, "a:": 2}',
        '{"x": ' + "[" * 300 + "]" * 300 + "}",
    ],
)
def test_keys_twice_are_found_as_the_slow_reader_finds_them(text):
    assert duplicate_keys_of(text, orjson.loads(text)) == duplicate_keys(text)


def test_a_list_that_is_not_utf8_is_refused_as_before(exported, monkeypatch, tmp_path):
    text = _listed(exported[:40]).encode("utf-8")
    at = text.index(b'"title": "', 2000) + len(b'"title": "')
    code, _, stderr, _, _ = _both_ways(monkeypatch, tmp_path, text[:at] + b"\xff" + text[at:])
    assert code == 2 and "UTF-8" in stderr


@pytest.mark.parametrize(("name", "args"), [("in.txt", ()), ("in.json", ("--format", "jsonl"))])
def test_the_format_is_told_as_before(exported, tmp_path, name, args):
    source = tmp_path / name
    source.write_text(_listed(exported[:30]), encoding="utf-8")
    results = []
    for way in ("split", "whole"):
        with pytest.MonkeyPatch.context() as patched:
            if way == "whole":
                patched.setattr(registry, "own_json_list", lambda data: None)
            result = Cli(tmp_path / f"{way}.json")("import", str(source), *args)
        results.append((result.exit_code, result.stdout, result.stderr))
    assert results[0] == results[1]


def _csv_imported(tmp_path, name, source, args, worth):
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(importing, "OWN_JSON_WORTH_SPLITTING", worth)
        return _imported(tmp_path, name, source, args)


def test_our_csv_imports_the_agreements_our_json_does(exported, tmp_path):
    listed = tmp_path / "in.json"
    listed.write_text(_listed(exported), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(registry, "own_json_list", lambda data: None)
        from_json = _imported(tmp_path, "from-json", listed, ())
    rows = tmp_path / "in.csv"
    Cli(tmp_path / "from-json.json").ok("export", "-o", str(rows))
    from_csv = _csv_imported(tmp_path, "from-csv", rows, (), 2)
    for way in (from_json, from_csv):  # activities travel in a CSV of their own
        for record in way[4]["agreements"].values():
            record.pop("activities")
    assert from_csv[0] == 0 and from_csv[4] == from_json[4]


@pytest.mark.parametrize("args", [(), ("--skip-invalid",), ("--dry-run",)])
def test_csv_rows_split_at_every_row_meet_as_in_one_process(exported, tmp_path, args):
    listed = tmp_path / "in.json"
    listed.write_text(_listed(_mixed(exported)), encoding="utf-8")
    Cli(tmp_path / "all.json").ok("import", str(listed), "--skip-invalid")
    Cli(tmp_path / "all.json").ok("export", "-o", str(tmp_path / "all.csv"))
    lines = (tmp_path / "all.csv").read_text(encoding="utf-8-sig").split("\n")
    header, rows = lines[0], lines[1:-1]
    rows[5] = rows[5].replace("2026-01-01T00:00:00Z", "", 2)
    rows[7] = rows[7].replace("friendship", "bogus", 1).replace("sister-city", "bogus", 1)
    rows[9] = ",".join(["3", *rows[9].split(",")[1:]])
    rows += [rows[10], ",".join(["", *rows[11].split(",")[1:]])]
    source = tmp_path / "in.csv"
    source.write_text("\n".join([header, *rows, ""]), encoding="utf-8")
    split_way = _csv_imported(tmp_path, "split", source, args, 2)
    whole_way = _csv_imported(tmp_path, "whole", source, args, 10**9)
    assert split_way == whole_way
